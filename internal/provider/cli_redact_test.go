package provider

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAccCLI_traceLogMasksShareableToken: the agent answers carry a
// server-set shareable_token; an apply and a plan at TF_LOG=trace log the
// bodies with its value masked, and it appears nowhere else.
func TestAccCLI_traceLogMasksShareableToken(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	const shareable = "shr_5f0e1d2c3b4a69788796a5b4"
	id := e.agent("shared")
	auth := fakeAuth(false, false)
	auth["shareable_token"] = shareable
	e.fake.SetAuth(id, auth)
	w.write(signedModeResource(id))
	log := filepath.Join(w.dir, "trace.log")
	env := []string{"TF_LOG=trace", "TF_LOG_PATH=" + log}
	out, code := w.run(env, "apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	out2, code := w.run(env, "plan", "-detailed-exitcode")
	if code != 0 {
		t.Fatalf("plan exited %d:\n%s", code, out2)
	}
	trace := w.read("trace.log")
	if !strings.Contains(trace, `shareable_token\\\":\\\"***`) && !strings.Contains(trace, `shareable_token\":\"***`) {
		t.Errorf("the trace log has no masked shareable_token: the bodies were not logged?")
	}
	f := &secretFinder{t: t, secrets: map[string]string{shareable: "shareable_token", testAPIKey: "API key"}}
	f.check("apply output", out)
	f.check("plan output", out2)
	f.check("trace log", trace)
	f.check("state", w.read("terraform.tfstate"))
}
