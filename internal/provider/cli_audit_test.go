package provider

import (
	"fmt"
	"strings"
	"testing"
)

// The audit examples (examples/audit) fail closed: an agent whose auth
// settings the provider cannot read (auth_mode "unknown") fails each gate
// like a public one, because each names the modes that pass.

// TestAccCLI_auditGateFailsPlanOnUnprotectedAgents: the examples/audit/gate
// postcondition fails `plan` with exit 1 naming exactly the public and the
// unknown agents, with a warning naming the unknown one, and passes once
// every agent is protected.
func TestAccCLI_auditGateFailsPlanOnUnprotectedAgents(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.writeExample("audit/gate")
	unprotected, _ := e.seedAudit()
	glitch := auditIDOf(unprotected[2])

	out := w.mustRun(1, "plan")
	wantAll(t, "gate plan", out,
		append([]string{"Resource postcondition failed", "3 agent(s) not protected:",
			"Warning: Auth settings of agent " + glitch + " cannot be read",
			"The API's answer about agent " + glitch + " has no auth settings the provider can read: platform_settings has no auth. " +
				`It is listed with auth_mode "unknown"`}, unprotected...),
		"Mobile", "Widget", "Both (")

	// The unknown agent alone still fails the gate.
	for _, u := range unprotected[:2] {
		e.fake.SetAuth(auditIDOf(u), fakeAuth(true, false))
	}
	wantAll(t, "gate plan with only the unknown agent", w.mustRun(1, "plan"),
		[]string{"Resource postcondition failed", "1 agent(s) not protected: " + unprotected[2] + "."})

	e.fake.SetAuth(glitch, fakeAuth(false, false, "www.example.com"))
	out = w.mustRun(0, "plan", "-detailed-exitcode")
	wantAll(t, "gate plan with every agent protected", out, []string{"No changes."}, "postcondition", "cannot be read")
}

// TestAccCLI_auditScheduledWarnsAndKeepsDriftExitCode: the
// examples/audit/scheduled check block warns with the unprotected agents'
// names and modes, while `plan -detailed-exitcode` exits 0 without drift and
// 2 with drift of a managed agent.
func TestAccCLI_auditScheduledWarnsAndKeepsDriftExitCode(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.writeExample("audit/scheduled")
	unprotected, _ := e.seedAudit()
	managed := []string{e.agent("Managed one"), e.agent("Managed two")}
	vars := fmt.Sprintf(`-var=signed_url_agents=["%s"]`, strings.Join(managed, `","`))

	out, code := w.run(nil, "apply", "-auto-approve", vars)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	// Before the apply both managed agents were public too: the check saw them.
	wantAll(t, "apply", out, append([]string{"Check block assertion failed", "5 agent(s) not protected"}, unprotected...))

	out, code = w.run(nil, "plan", "-detailed-exitcode", vars)
	if code != 0 {
		t.Fatalf("plan without drift exited %d, want 0:\n%s", code, out)
	}
	wantAll(t, "audit plan", out, append([]string{"No changes.", "Warning: Check block assertion failed", "3 agent(s) not protected"}, unprotected...),
		"Managed one", "Managed two")

	// Someone makes a managed agent public in the dashboard.
	e.fake.SetAuth(managed[1], fakeAuth(false, false))
	out, code = w.run(nil, "plan", "-detailed-exitcode", vars)
	if code != 2 {
		t.Fatalf("plan with drift exited %d, want 2:\n%s", code, out)
	}
	wantAll(t, "drift plan", out, append([]string{
		`elevenlabs_agent_auth.managed["` + managed[1] + `"] will be updated in-place`,
		"Plan: 0 to add, 1 to change, 0 to destroy.",
		"4 agent(s) not protected", "Managed two (" + managed[1] + ") is public",
	}, unprotected...))
}

// TestAccCLI_auditTestFailsOnUnprotectedAgents: `tofu test` / `terraform
// test` with examples/audit/test fails while an agent is public or unknown,
// and passes when every agent is protected.
func TestAccCLI_auditTestFailsOnUnprotectedAgents(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.writeExample("audit/test")
	unprotected, _ := e.seedAudit()

	out := w.mustRun(1, "test")
	wantAll(t, "test with unprotected agents", out, append([]string{"run \"every_agent_protected\"... fail", "Agents not protected:"}, unprotected...))

	for _, u := range unprotected[:2] {
		e.fake.SetAuth(auditIDOf(u), fakeAuth(false, false, "www.example.com"))
	}
	wantAll(t, "test with only the unknown agent", w.mustRun(1, "test"), []string{"run \"every_agent_protected\"... fail", unprotected[2]})

	e.fake.SetAuth(auditIDOf(unprotected[2]), fakeAuth(true, false))
	out = w.mustRun(0, "test")
	wantAll(t, "test with every agent protected", out, []string{"run \"every_agent_protected\"... pass", "1 passed, 0 failed"})
}
