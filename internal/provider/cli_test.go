package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccCLI_requestsPerResourceAndDriftExitCode proves, with the fake's
// counters, one PATCH per change and one GET per resource per refresh, and that
// a scheduled `plan -detailed-exitcode` exits 2 on drift and 0 when clean.
func TestAccCLI_requestsPerResourceAndDriftExitCode(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	const n = 6
	ids := make([]string, n)
	var body strings.Builder
	for i := range ids {
		ids[i] = e.agent(fmt.Sprintf("agent %d", i))
		mode := `enable_auth = true`
		if i%2 == 1 {
			mode = fmt.Sprintf(`allowlist = ["app%d.example.com"]`, i)
		}
		fmt.Fprintf(&body, "resource \"elevenlabs_agent_auth\" \"a%d\" {\n  agent_id = %q\n  %s\n}\n", i, ids[i], mode)
	}
	w.write(body.String())

	w.mustRun(0, "apply", "-auto-approve")
	if got := e.fake.Count("PATCH", fakeapi.RouteAgent); got != n {
		t.Errorf("apply from scratch: %d PATCH, want %d (one per resource)", got, n)
	}
	if got := e.fake.Count("GET", fakeapi.RouteAgent); got != 0 {
		t.Errorf("apply from scratch: %d GET, want 0 (state comes from the PATCH answer)", got)
	}

	e.fake.ResetCounters()
	out := w.mustRun(0, "plan", "-detailed-exitcode")
	if !strings.Contains(out, "No changes.") {
		t.Errorf("plan after apply is not empty:\n%s", out)
	}
	if got := e.fake.Count("GET", fakeapi.RouteAgent); got != n {
		t.Errorf("refresh: %d GET, want %d (one per resource)", got, n)
	}
	if got := e.fake.Count("PATCH", fakeapi.RouteAgent); got != 0 {
		t.Errorf("plan sent %d PATCH", got)
	}

	// Someone edits one agent in the dashboard.
	e.fake.SetAuth(ids[1], fakeAuth(true, false, "app1.example.com", "intruder.example.net"))
	out = w.mustRun(2, "plan", "-detailed-exitcode")
	for _, want := range []string{
		"elevenlabs_agent_auth.a1 will be updated in-place",
		`~ enable_auth           = true -> false`,
		`- "intruder.example.net",`,
		"Plan: 0 to add, 1 to change, 0 to destroy.",
		"has both signed URLs and an allowlist",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("drift plan lacks %q:\n%s", want, out)
		}
	}

	e.fake.ResetCounters()
	w.mustRun(0, "apply", "-auto-approve")
	if got := e.fake.Count("PATCH", fakeapi.RouteAgent); got != 1 {
		t.Errorf("repair: %d PATCH, want 1", got)
	}
	w.mustRun(0, "plan", "-detailed-exitcode")

	out = w.mustRun(0, "plan", "-destroy")
	if !strings.Contains(out, "will become public") {
		t.Errorf("destroy plan does not warn that agents become public:\n%s", out)
	}
	e.fake.ResetCounters()
	w.mustRun(0, "destroy", "-auto-approve")
	if got := e.fake.Count("PATCH", fakeapi.RouteAgent); got != n {
		t.Errorf("destroy: %d PATCH, want %d", got, n)
	}
	for _, id := range ids {
		if err := e.checkFakeAuth(id, false, nil, false)(nil); err != nil {
			t.Error(err)
		}
	}
}

// TestAccCLI_validateNeedsNoKeyOrNetwork runs `validate` with no key and an
// unreachable API: plan-time rules still fire.
func TestAccCLI_validateNeedsNoKeyOrNetwork(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.env = append(w.env, EnvAPIKey+"=", EnvBaseURL+"=http://127.0.0.1:1")
	w.write(`
resource "elevenlabs_agent_auth" "ok" {
  agent_id    = "agent_ok"
  enable_auth = true
}
resource "elevenlabs_agent_auth" "bad" {
  agent_id    = "agent_bad"
  enable_auth = true
  allowlist   = ["*.example.com"]
}`)
	out := w.mustRun(1, "validate")
	for _, want := range []string{"Conflicting authentication methods", "Invalid allowlist hostname", `"*.example.com"`} {
		if !strings.Contains(out, want) {
			t.Errorf("validate output lacks %q:\n%s", want, out)
		}
	}
	w.write(`
resource "elevenlabs_agent_auth" "ok" {
  agent_id    = "agent_ok"
  enable_auth = true
}
resource "elevenlabs_agent_auth" "public" {
  agent_id = "agent_public"
}`)
	out = w.mustRun(0, "validate")
	if !strings.Contains(out, "Agent will be public") {
		t.Errorf("validate does not warn about a public agent:\n%s", out)
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("validate made %d API requests", n)
	}
}

// TestAccCLI_defaultPortWarningAtPlan: an allowlist entry with a default port
// is accepted (an http page on port 443 does send it), and plan says, on the
// entry, which pages it cannot match.
func TestAccCLI_defaultPortWarningAtPlan(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("default port")
	w.write(fmt.Sprintf(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = %q
  allowlist = ["app.example.com", "example.com:443"]
}`, id))
	out := flatOut(w.mustRun(0, "plan"))
	for _, want := range []string{
		"Warning: Allowlist hostname with a default port",
		"with elevenlabs_agent_auth.test,",
		`"example.com:443" only matches pages served over http on port 443: browsers leave the default port out of the Origin, so a page at https://example.com sends the Origin https://example.com, which matches the entry "example.com". If the page is served over https, list "example.com" instead.`,
		"Plan: 1 to add, 0 to change, 0 to destroy.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "Warning: Allowlist hostname") != 1 {
		t.Errorf("want exactly one default-port warning:\n%s", out)
	}
}

// TestAccCLI_importCommand imports with the CLI's import command and then plans clean.
func TestAccCLI_importCommand(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("imported")
	e.fake.SetAuth(id, fakeAuth(false, true, "b.example.com", "a.example.com"))
	w.write(fmt.Sprintf(`
resource "elevenlabs_agent_auth" "imported" {
  agent_id              = %q
  allowlist             = ["a.example.com", "b.example.com"]
  require_origin_header = true
}`, id))
	w.mustRun(0, "import", "elevenlabs_agent_auth.imported", id)
	w.mustRun(0, "plan", "-detailed-exitcode")
	if got := e.fake.Count("PATCH", fakeapi.RouteAgent); got != 0 {
		t.Errorf("import sent %d PATCH", got)
	}
	w.write(fmt.Sprintf(`
resource "elevenlabs_agent_auth" "imported" {
  agent_id              = %q
  allowlist             = ["a.example.com", "b.example.com"]
  require_origin_header = true
}
resource "elevenlabs_agent_auth" "other" {
  agent_id    = "agent_other"
  enable_auth = true
}`, id))
	out, code := w.run(nil, "import", "elevenlabs_agent_auth.other", "agent/with/slashes")
	if code == 0 || !strings.Contains(out, "Invalid import id") {
		t.Errorf("bad import id: exit %d\n%s", code, out)
	}
}

// TestAccCLI_warningsReachTheUser checks the warnings a user relies on: an agent
// deleted out of band, and a signed URL minted for an agent that does not need one.
func TestAccCLI_warningsReachTheUser(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	gone := e.agent("to be deleted")
	public := e.agent("public")
	allow := e.agent("allowlisted")
	e.fake.SetAuth(allow, fakeAuth(false, false, "app.example.com"))
	w.write(fmt.Sprintf(`
resource "elevenlabs_agent_auth" "gone" {
  agent_id    = %q
  enable_auth = true
}
resource "elevenlabs_agent_auth" "allow" {
  agent_id  = %q
  allowlist = ["app.example.com"]
}
ephemeral "elevenlabs_signed_url" "public" {
  agent_id         = %q
  check_agent_auth = true
}
ephemeral "elevenlabs_signed_url" "allow" {
  agent_id         = %q
  check_agent_auth = true
}
`, gone, allow, public, allow))
	out := flatOut(w.mustRun(0, "apply", "-auto-approve"))
	for _, want := range []string{
		"Warning: Signed URL not required by agent " + public,
		"The agent does not have enable_auth set, so it is public: a signed URL is not needed to talk to it.",
		"Warning: Signed URL not required by agent " + allow,
		"it is protected by a hostname allowlist, which a signed URL does not bypass.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("apply output lacks %q:\n%s", want, out)
		}
	}
	e.fake.SetAuth(allow, fakeAuth(false, false, "app.example.com", "app.example.com"))
	e.fake.DeleteAgentOOB(gone)
	out = flatOut(w.mustRun(2, "plan", "-detailed-exitcode"))
	for _, want := range []string{
		"Warning: Agent " + gone + " no longer exists",
		"so elevenlabs_agent_auth is removed from the state. The next plan proposes to create it",
		"elevenlabs_agent_auth.gone will be created",
		"Warning: Duplicate allowlist entries on agent " + allow,
		"lists app.example.com more than once (edited outside Terraform)",
		"Plan: 1 to add, 0 to change, 0 to destroy.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
}

// TestAccCLI_importByIdentity imports with an import block that names the
// agent by identity, as a user writes it, then applies the saved plan: the plan
// imports by that identity (its JSON form, which Terraform and OpenTofu share;
// their plan wording differs), the agent is adopted without a write, the state
// records the identity, and the next plan is empty. A bad identity is refused
// with the reason.
func TestAccCLI_importByIdentity(t *testing.T) {
	requireCLI(t, featureIdentity)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("adopted by identity")
	e.fake.SetAuth(id, fakeAuth(false, false, "app.example.com"))
	adopted := fmt.Sprintf(`
import {
  to       = elevenlabs_agent_auth.adopted
  identity = { agent_id = %q }
}
resource "elevenlabs_agent_auth" "adopted" {
  agent_id  = %q
  allowlist = ["app.example.com"]
}`, id, id)
	w.write(adopted)
	out := flatOut(w.mustRun(0, "plan", "-out=tfplan"))
	for _, want := range []string{
		"elevenlabs_agent_auth.adopted will be imported",
		"Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string `json:"actions"`
				Importing *struct {
					ID       string         `json:"id"`
					Identity map[string]any `json:"identity"`
				} `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	shown := w.mustRun(0, "show", "-json", "tfplan")
	if err := json.Unmarshal([]byte(shown), &plan); err != nil {
		t.Fatal(err)
	}
	if rc := plan.ResourceChanges; len(rc) != 1 || rc[0].Address != "elevenlabs_agent_auth.adopted" ||
		fmt.Sprint(rc[0].Change.Actions) != "[no-op]" || rc[0].Change.Importing == nil ||
		rc[0].Change.Importing.ID != "" || fmt.Sprint(rc[0].Change.Importing.Identity) != fmt.Sprint(map[string]any{"agent_id": id}) {
		t.Errorf("the plan's resource_changes: want one no-op import of elevenlabs_agent_auth.adopted by identity agent_id = %s (no id); show -json:\n%s", id, shown)
	}
	w.mustRun(0, "apply", "tfplan")
	var st struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address        string         `json:"address"`
					IdentityValues map[string]any `json:"identity"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(w.mustRun(0, "show", "-json")), &st); err != nil {
		t.Fatal(err)
	}
	if rs := st.Values.RootModule.Resources; len(rs) != 1 || fmt.Sprint(rs[0].IdentityValues) != fmt.Sprint(map[string]any{"agent_id": id}) {
		t.Errorf("state resources = %+v, want one with identity agent_id = %s", rs, id)
	}
	w.mustRun(0, "plan", "-detailed-exitcode")
	if n := e.fake.Count("PATCH", fakeapi.RouteAgent); n != 0 {
		t.Errorf("import by identity sent %d PATCH", n)
	}

	w.write(adopted + `
import {
  to       = elevenlabs_agent_auth.bad
  identity = { agent_id = "agents/agent_x" }
}
resource "elevenlabs_agent_auth" "bad" {
  agent_id    = "agent_x"
  enable_auth = true
}
import {
  to       = elevenlabs_agent_auth.missing
  identity = { agent_id = "agent_missing" }
}
resource "elevenlabs_agent_auth" "missing" {
  agent_id    = "agent_missing"
  enable_auth = true
}`)
	out, code := w.run(nil, "plan")
	flat := flatOut(out)
	if want := `Error: Invalid import identity Import elevenlabs_agent_auth by identity with identity = { agent_id = "agent_..." }: agent id "agents/agent_x" contains '/'; give the bare id, not a URL or path (agent ids look like agent_3701k3ttaq12ewp8b7qv5rfyszkz).`; code != 1 || !strings.Contains(flat, want) {
		t.Errorf("bad identity: exit %d, want 1 and %q:\n%s", code, want, out)
	}
	if want := "Error: Cannot import non-existent remote object"; !strings.Contains(flat, want) {
		t.Errorf("identity of a missing agent: want %q:\n%s", want, out)
	}
}

// TestAccCLI_importEmptyIDSaysWhatAnAgentIDIs: `import ADDR ""` is answered
// with what an agent id is and where to find one, never the framework's
// "Value Conversion Error ... always an error in the provider" (the CLI sends
// a null identity with an empty id).
func TestAccCLI_importEmptyIDSaysWhatAnAgentIDIs(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.write(signedModeResource("agent_x"))
	out := w.mustRun(1, "import", res, "")
	wantAll(t, "import of an empty id", out, []string{
		"Error: Invalid import id",
		"Import elevenlabs_agent_auth by the id of an existing agent, e.g. terraform import elevenlabs_agent_auth.NAME " +
			"agent_3701k3ttaq12ewp8b7qv5rfyszkz (or id = \"...\" in an import block): the agent id is empty. " + agentIDWhere,
	}, "Value Conversion Error", "bug in the provider", "always an error in the provider")
	if n := len(e.fake.Counts()); n != 0 {
		t.Errorf("the failed import called the API: %v", e.fake.Counts())
	}
}
