package provider

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccCLI_patchAnswerWithoutAuthFails: a 2xx answer to the auth PATCH
// without platform_settings.auth (or null, or of another shape) fails apply
// and destroy with words that say what is missing, never the framework's
// "inconsistent result" provider bug.
func TestAccCLI_patchAnswerWithoutAuthFails(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("no auth answer")
	w.write(signedModeResource(id))
	check := func(what, out string, code int, problem string) {
		t.Helper()
		want := "PATCH /v1/convai/agents/" + id + " succeeded but answered without auth settings (" + problem + "), " +
			"so the provider cannot confirm that the change was saved and reports it as not done."
		flat := flatOut(out)
		if code == 0 || !strings.Contains(flat, want) {
			t.Errorf("%s: exit %d, want a failure with %q:\n%s", what, code, want, out)
		}
		for _, bad := range []string{"inconsistent result", "bug in the provider", "Apply complete", "Destroy complete"} {
			if strings.Contains(flat, bad) {
				t.Errorf("%s: output says %q:\n%s", what, bad, out)
			}
		}
	}

	e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 200, Body: "null", Count: 1})
	out, code := w.run(nil, "apply", "-auto-approve")
	check("apply answered null", out, code, "the answer is null, not an agent")
	e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 200, Count: 1,
		Body: `{"agent_id":"` + id + `","name":"x","platform_settings":{"call_limits":{"daily_limit":1}}}`})
	out, code = w.run(nil, "apply", "-auto-approve")
	check("apply answered without auth", out, code, "platform_settings has no auth")
	e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 200, Count: 1,
		Body: `{"agent_id":"` + id + `","platform_settings":{"auth":{"enable_auth":"true"}}}`})
	out, code = w.run(nil, "apply", "-auto-approve")
	check("apply answered enable_auth as a string", out, code, "platform_settings.auth.enable_auth is a string, not a boolean")

	w.mustRun(0, "apply", "-auto-approve")
	e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 200, Body: `{"platform_settings":{"auth":null}}`, Count: 1})
	out, code = w.run(nil, "destroy", "-auto-approve")
	check("destroy answered auth null", out, code, "platform_settings.auth is null, not an object")
	if !strings.Contains(w.read("terraform.tfstate"), id) {
		t.Error("the failed destroy removed the resource from the state")
	}
	w.mustRun(0, "destroy", "-auto-approve")
}

// TestAccCLI_oddAllowlistAnswersAreNamed: an allowlist answered with entries
// that are not {"hostname": string}, and with an empty hostname twice, plans
// with warnings that name each of them.
func TestAccCLI_oddAllowlistAnswersAreNamed(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("odd allowlist")
	w.write(allowlistResource(id, "app.example.com"))
	w.mustRun(0, "apply", "-auto-approve")
	a, _ := e.fake.Agent(id)
	a["platform_settings"].(map[string]any)["auth"].(map[string]any)["allowlist"] = []any{
		map[string]any{"hostname": "app.example.com"}, "www.example.com", 42, map[string]any{"hostname": nil},
		map[string]any{"hostname": ""}, map[string]any{"hostname": ""},
	}
	e.fake.PutAgent(id, a)
	out := flatOut(w.mustRun(2, "plan", "-detailed-exitcode"))
	for _, want := range []string{
		"Warning: Allowlist entries on agent " + id + " that are not hostnames",
		`The agent's allowlist on ElevenLabs holds entries that are not {"hostname": string}: entry 2 is "www.example.com"; ` +
			`entry 3 is 42; entry 4 is {"hostname":null}. They match no origin the provider can manage`,
		"Warning: Duplicate allowlist entries on agent " + id,
		`lists "" (an empty hostname) more than once`,
		// The empty hostname itself is drift: the plan removes it.
		"Plan: 0 to add, 1 to change, 0 to destroy.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
}

// TestAccCLI_residencyKeyOnGlobalHostHint: the API's 401 for a key of a
// data-residency workspace sent to the global host adds a hint to set residency.
func TestAccCLI_residencyKeyOnGlobalHostHint(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("residency")
	w.write(signedModeResource(id))
	e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 401,
		Body: `{"detail":{"status":"invalid_api_key","message":"The API key you used is for a data residency stack, however this server is a global server. Please use the correct server."}}`})
	out, code := w.run(nil, "apply", "-auto-approve")
	flat := flatOut(out)
	for _, want := range []string{
		"returned 401 Unauthorized: invalid_api_key: The API key you used is for a data residency stack",
		`The API key and the API host belong to different regions. For a key of a data-residency workspace, set residency on the provider ("eu", "in" or "sg")`,
	} {
		if code == 0 || !strings.Contains(flat, want) {
			t.Errorf("exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
}

// TestAccCLI_unreadableAuthIsNeverPublic: a GET answer without auth settings
// the provider can read fails drift detection (exit 1, not 2 with a planned
// change back from "public") and import (nothing written to the state),
// naming the agent, what is missing and what to do; the state keeps what was
// last read.
func TestAccCLI_unreadableAuthIsNeverPublic(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("managed")
	other := e.agent("to import")
	w.write(signedModeResource(id) + fmt.Sprintf(`
resource "elevenlabs_agent_auth" "other" {
  agent_id    = %q
  enable_auth = true
}
`, other))
	w.mustRun(0, "apply", "-auto-approve", "-target", res)
	e.fake.SetAuth(id, nil)
	e.fake.SetAuth(other, nil)
	want := func(agent string) []string {
		return []string{
			"Error: Could not read the auth settings of agent " + agent,
			"The API's answer about agent " + agent + " has no auth settings the provider can read: " +
				"platform_settings has no auth. The provider does not read such an answer as the API defaults (a public agent): " +
				"that would report drift that is not there, or import settings the agent may not have. Nothing was changed. " +
				"Run the command again; if this repeats, check that base_url (or ELEVENLABS_BASE_URL) points at the ElevenLabs API",
		}
	}
	wantAll(t, "drift plan", w.mustRun(1, "plan", "-detailed-exitcode", "-target", res), want(id), "will be updated", "enable_auth")
	wantAll(t, "import", w.mustRun(1, "import", "elevenlabs_agent_auth.other", other), want(other), "Import successful")
	st := w.read("terraform.tfstate")
	if strings.Contains(st, other) || !strings.Contains(st, `"enable_auth": true`) {
		t.Errorf("state after the failed read and import:\n%s", st)
	}
	if n := e.fake.Count("PATCH", fakeapi.RouteAgent); n != 1 {
		t.Errorf("%d PATCH, want 1 (the first apply)", n)
	}
	e.fake.SetAuth(id, fakeAuth(true, false))
	w.mustRun(0, "plan", "-detailed-exitcode", "-target", res)
}

// TestAccCLI_signedURLCheckOnUnreadableAuthSaysSo: check_agent_auth on an
// agent whose auth settings cannot be read warns that it could not check,
// never that the agent is public; the URL is minted all the same.
func TestAccCLI_signedURLCheckOnUnreadableAuthSaysSo(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "unreadable", Auth: fakeAuth(true, false)})
	e.fake.SetAuth(id, nil)
	w.write(fmt.Sprintf(`
ephemeral "elevenlabs_signed_url" "this" {
  agent_id         = %q
  check_agent_auth = true
}
`, id))
	wantAll(t, "apply", w.mustRun(0, "apply", "-auto-approve"), []string{
		"Warning: Could not check whether agent " + id + " requires signed URLs",
		"check_agent_auth: the auth settings of agent " + id + " cannot be read from the API's answer: platform_settings has no auth. " +
			"The provider does not guess, so nothing is said about the agent's settings; the signed URL is minted all the same.",
	}, "Signed URL not required", "it is public")
	// Minted for each open (Terraform opens it during plan and apply, OpenTofu during apply).
	if n := e.fake.Count("GET", fakeapi.RouteSignedURL); n < 1 {
		t.Errorf("no signed URL minted")
	}
}

// TestAccCLI_answerEchoingTheKeyIsRefused: a server that echoes the API key
// into what the provider shows and stores (an agent's name, raw; another's
// tag, base64-encoded) fails the plan and the apply with an error that says
// so, masked, and what to check; the key reaches none of the CLI output, the
// trace log, the state (and its backup) or a saved plan, in any form.
func TestAccCLI_answerEchoingTheKeyIsRefused(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("protected")
	w.write(signedModeResource(id) + "\ndata \"elevenlabs_agents\" \"all\" {}\n\noutput \"names\" {\n" +
		"  value = [for a in data.elevenlabs_agents.all.agents : a.name]\n}\n")
	w.mustRun(0, "plan", "-out=tfplan")
	w.mustRun(0, "apply", "tfplan")

	e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: testAPIKey})
	e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "tagged", Tags: []string{base64.StdEncoding.EncodeToString([]byte(testAPIKey))}})
	var outputs strings.Builder
	for _, args := range [][]string{{"plan", "-out=tfplan2"}, {"apply", "-auto-approve"}} {
		out, code := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + filepath.Join(w.dir, args[0]+".log")}, args...)
		if code != 1 {
			t.Fatalf("%v exited %d, want 1:\n%s", args, code, out)
		}
		wantAll(t, args[0], out, []string{"Error: Could not list the agents",
			"GET /v1/convai/agents returned 200 with an answer that holds the API key (***), which no ElevenLabs " +
				"answer carries: the whole answer is refused and nothing in it is used. Check that base_url (or " +
				"ELEVENLABS_BASE_URL) points at the ElevenLabs API itself, and that no proxy between them " +
				"(HTTPS_PROXY) rewrites answers"})
		outputs.WriteString(out)
	}
	f := &secretFinder{t: t, secrets: map[string]string{blobCore(testAPIKey): "API key inside a base64 blob"}}
	for i, form := range secretForms(testAPIKey) {
		f.secrets[form] = fmt.Sprintf("API key in form %d", i)
	}
	f.check("the CLI output", outputs.String())
	f.check("the state", w.read("terraform.tfstate"))
	f.check("the saved plan", zipText(t, filepath.Join(w.dir, "tfplan")))
	// OpenTofu saves the plan of a failed plan too (it cannot be applied);
	// Terraform saves none.
	if _, err := os.Stat(filepath.Join(w.dir, "tfplan2")); err == nil {
		f.check("the saved plan of the failed plan", zipText(t, filepath.Join(w.dir, "tfplan2")))
	}
	for _, log := range []string{"plan.log", "apply.log"} {
		text := w.read(log)
		wantAll(t, log, text, []string{"ElevenLabs API response headers and body"})
		f.check(log, text)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate.backup")); err == nil {
		f.check("the state backup", w.read("terraform.tfstate.backup"))
	}
}
