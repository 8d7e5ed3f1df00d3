package provider

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// secretFinder reports where any of the secrets occurs in a text.
type secretFinder struct {
	t       *testing.T
	secrets map[string]string // value -> label
}

func (f *secretFinder) check(where, text string) {
	f.t.Helper()
	for value, label := range f.secrets {
		if value != "" && strings.Contains(text, value) {
			f.t.Errorf("%s holds the %s", where, label)
		}
	}
}

// zipText returns the decompressed content of every file in a saved plan.
func zipText(t *testing.T, path string) string {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("saved plan %s: %v", path, err)
	}
	defer r.Close()
	var b strings.Builder
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		b.Write(data)
	}
	return b.String()
}

// TestAccCLI_signedURLNeverPersists mints signed URLs in a plan and an apply,
// hands one to a provisioner, and then reads every file and output the CLI made:
// no signature, signed URL or API key may appear in the state, the saved plan,
// `show -json`, the CLI output or a TF_LOG=trace log.
func TestAccCLI_signedURLNeverPersists(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("secret keeper")
	e.fake.SetAuth(id, fakeAuth(true, false))
	w.write(fmt.Sprintf(`
ephemeral "elevenlabs_signed_url" "support" {
  agent_id = %q
}

resource "elevenlabs_agent_auth" "support" {
  agent_id    = %q
  enable_auth = true
}

resource "terraform_data" "handoff" {
  input = "once"
  provisioner "local-exec" {
    command = "printf '%%s|%%s' \"$SIGNED_URL\" \"$EXPIRES_AT\" > handoff.txt"
    environment = {
      SIGNED_URL = ephemeral.elevenlabs_signed_url.support.signed_url
      EXPIRES_AT = ephemeral.elevenlabs_signed_url.support.expires_at
    }
  }
}
`, id, id))

	var outputs strings.Builder
	for _, step := range []struct {
		log  string
		args []string
	}{
		{"plan.log", []string{"plan", "-out=tfplan"}},
		{"apply.log", []string{"apply", "tfplan"}},
		{"replan.log", []string{"plan", "-detailed-exitcode"}},
	} {
		out, code := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + filepath.Join(w.dir, step.log)}, step.args...)
		if code != 0 {
			t.Fatalf("%v exited %d:\n%s", step.args, code, out)
		}
		outputs.WriteString(out)
	}
	w.mustRun(0, "plan", "-out=tfplan2")
	showPlan := w.mustRun(0, "show", "-json", "tfplan2")
	showState := w.mustRun(0, "show", "-json")

	// The provisioner got a working URL and its expiry.
	parts := strings.SplitN(w.read("handoff.txt"), "|", 2)
	if len(parts) != 2 || !strings.HasPrefix(parts[0], "ws://") || !strings.Contains(parts[0], "conversation_signature=") || parts[1] == "" {
		t.Fatalf("the provisioner did not receive the signed URL and expiry: %q", parts)
	}
	if code, _, err := e.connect(parts[0], ""); err != nil || code != connected {
		t.Errorf("the handed-off URL does not open a conversation: %d %v", code, err)
	}

	sigs := e.fake.Signatures()
	if len(sigs) < 3 {
		t.Fatalf("expected a signed URL minted in each plan and apply, the fake minted %d", len(sigs))
	}
	f := &secretFinder{t: t, secrets: map[string]string{testAPIKey: "API key", parts[0]: "signed URL"}}
	for _, s := range sigs {
		f.secrets[s] = "conversation signature " + s[:4] + "…"
	}
	f.check("the CLI output", outputs.String())
	f.check("terraform.tfstate", w.read("terraform.tfstate"))
	f.check("the saved plan tfplan", zipText(t, filepath.Join(w.dir, "tfplan")))
	f.check("the saved plan tfplan2", zipText(t, filepath.Join(w.dir, "tfplan2")))
	f.check("show -json of the plan", showPlan)
	f.check("show -json of the state", showState)
	for _, log := range []string{"plan.log", "apply.log", "replan.log"} {
		text := w.read(log)
		if !strings.Contains(text, "elevenlabs_signed_url") || !strings.Contains(text, "ElevenLabs API request") {
			t.Errorf("%s does not look like a trace log of this run (%d bytes)", log, len(text))
		}
		f.check(log, text)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate.backup")); err == nil {
		f.check("terraform.tfstate.backup", w.read("terraform.tfstate.backup"))
	}
}

// TestAccCLI_conversationTokenNeverPersists is the signed-URL probe for the
// WebRTC conversation token: minted once in each plan and each apply, handed to
// a provisioner, and found in none of the state, the saved plans, `show -json`,
// the CLI output or a TF_LOG=trace log.
func TestAccCLI_conversationTokenNeverPersists(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("token keeper")
	e.fake.SetAuth(id, fakeAuth(true, false))
	w.write(fmt.Sprintf(`
ephemeral "elevenlabs_conversation_token" "support" {
  agent_id         = %q
  participant_name = "ci"
}

resource "terraform_data" "handoff" {
  input = "once"
  provisioner "local-exec" {
    command = "printf '%%s|%%s|%%s' \"$TOKEN\" \"$CONVERSATION_ID\" \"$EXPIRES_AT\" > handoff.txt"
    environment = {
      TOKEN           = ephemeral.elevenlabs_conversation_token.support.token
      CONVERSATION_ID = ephemeral.elevenlabs_conversation_token.support.conversation_id
      EXPIRES_AT      = ephemeral.elevenlabs_conversation_token.support.expires_at
    }
  }
}
`, id))

	var outputs strings.Builder
	for i, step := range []struct {
		log  string
		args []string
	}{
		{"plan.log", []string{"plan", "-out=tfplan"}},
		{"apply.log", []string{"apply", "tfplan"}},
		{"replan.log", []string{"plan", "-detailed-exitcode"}},
	} {
		out, code := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + filepath.Join(w.dir, step.log)}, step.args...)
		if code != 0 {
			t.Fatalf("%v exited %d:\n%s", step.args, code, out)
		}
		outputs.WriteString(out)
		// One GET per open, and one open per plan or apply.
		if n := e.fake.Count("GET", fakeapi.RouteConversationToken); n != i+1 {
			t.Errorf("after %v the token endpoint was called %d times, want %d", step.args, n, i+1)
		}
	}
	w.mustRun(0, "plan", "-out=tfplan2")
	showPlan := w.mustRun(0, "show", "-json", "tfplan2")
	showState := w.mustRun(0, "show", "-json")

	// The provisioner got a working token, its conversation and its expiry.
	parts := strings.SplitN(w.read("handoff.txt"), "|", 3)
	if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		t.Fatalf("the provisioner did not receive the token, conversation id and expiry: %q", parts)
	}
	if claims, reason := e.fake.JoinWebRTC(parts[0], id); reason != "" || claims.ConversationID != parts[1] {
		t.Errorf("the handed-off token does not join its conversation: %q", reason)
	}

	tokens := e.fake.Tokens()
	if len(tokens) < 3 {
		t.Fatalf("expected a token minted in each plan and apply, the fake minted %d", len(tokens))
	}
	f := &secretFinder{t: t, secrets: map[string]string{testAPIKey: "API key"}}
	for i, tok := range tokens {
		f.secrets[tok] = fmt.Sprintf("conversation token #%d", i+1)
		if segs := strings.Split(tok, "."); len(segs) == 3 {
			f.secrets[segs[2]] = fmt.Sprintf("signature of conversation token #%d", i+1)
		}
	}
	f.check("the CLI output", outputs.String())
	f.check("terraform.tfstate", w.read("terraform.tfstate"))
	f.check("the saved plan tfplan", zipText(t, filepath.Join(w.dir, "tfplan")))
	f.check("the saved plan tfplan2", zipText(t, filepath.Join(w.dir, "tfplan2")))
	f.check("show -json of the plan", showPlan)
	f.check("show -json of the state", showState)
	for _, log := range []string{"plan.log", "apply.log", "replan.log"} {
		text := w.read(log)
		if !strings.Contains(text, "elevenlabs_conversation_token") || !strings.Contains(text, "ElevenLabs API response headers and body") {
			t.Errorf("%s does not look like a trace log of this run (%d bytes)", log, len(text))
		}
		f.check(log, text)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate.backup")); err == nil {
		f.check("terraform.tfstate.backup", w.read("terraform.tfstate.backup"))
	}
}
