package cliversions

import (
	"strings"
	"testing"
)

func TestMarkdown(t *testing.T) {
	pins := testPins()
	pins[0].Bin, pins[0].File = "bin/tofu", "tools/opentofu/go.mod"
	full := Markdown(pins, true)
	for _, want := range []string{
		"| feature | Terraform | OpenTofu | tested in CI with | the CLI has it since (release notes) |\n| --- | --- | --- | --- | --- |\n",
		"| `elevenlabs_agent_auth` (resource), `terraform import` | >= 1.8 | >= 1.7 | Terraform 1.8.5, 1.12.2, 1.15.0; OpenTofu 1.7.8, 1.12.6 | Terraform 1.0, OpenTofu 1.6 |\n",
		"| ephemeral resources (`elevenlabs_signed_url`, `elevenlabs_conversation_token`) | >= 1.12 | >= 1.12 | Terraform 1.12.2, 1.15.0; OpenTofu 1.12.6 | Terraform 1.10, OpenTofu 1.11 |\n",
		"| list resources and `terraform query` (the `elevenlabs_agent_auth` list resource) | >= 1.15 | no | Terraform 1.15.0 | Terraform 1.14, not in OpenTofu |\n",
		"- OpenTofu 1.12.6: `bin/tofu`, pinned in `tools/opentofu/go.mod`\n",
	} {
		if !strings.Contains(full, want) {
			t.Errorf("CONTRIBUTING's table lacks %q:\n%s", want, full)
		}
	}
	if got := strings.Count(full, "\n| "); got != len(Features)+1 {
		t.Errorf("the table has %d rows after its header, want one per feature (%d):\n%s", got-1, len(Features), full)
	}
	users := Markdown(pins, false)
	if !strings.HasPrefix(full, users) || strings.Contains(users, "pinned in") {
		t.Errorf("the README's and the docs index's version is CONTRIBUTING's without the pins:\n%s", users)
	}
}

func TestReplace(t *testing.T) {
	text := "# Title\n\n" + BeginMarker + "\nold table\n" + EndMarker + "\n\nmore\n"
	got, err := Replace(text, "new table\n")
	if want := "# Title\n\n" + BeginMarker + "\nnew table\n" + EndMarker + "\n\nmore\n"; err != nil || got != want {
		t.Errorf("Replace = %q, %v; want %q", got, err, want)
	}
	if again, _ := Replace(got, "new table\n"); again != got {
		t.Errorf("Replace is not idempotent: %q", again)
	}
	for _, bad := range []string{
		"no markers\n",
		EndMarker + "\n" + BeginMarker + "\n",
		BeginMarker + "\n" + EndMarker + "\n" + BeginMarker + "\n" + EndMarker + "\n",
		"only " + BeginMarker + "\n",
	} {
		if _, err := Replace(bad, "x\n"); err == nil {
			t.Errorf("Replace(%q): no error", bad)
		}
	}
}
