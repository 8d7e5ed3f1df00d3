package provider

import (
	"fmt"
	"strings"
	"testing"
)

// TestAccCLI_auditGateFailsPlanOnPublicAgents: the examples/audit/gate
// postcondition fails `plan` with exit 1 naming exactly the public agents,
// and passes once none is public.
func TestAccCLI_auditGateFailsPlanOnPublicAgents(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.writeExample("audit/gate")
	public, _ := e.seedAudit()

	out := w.mustRun(1, "plan")
	wantAll(t, "gate plan", out,
		append([]string{"Resource postcondition failed", "2 public agent(s), which anyone who knows the agent id can talk to:"}, public...),
		"Mobile", "Widget", "Both (")

	for _, p := range public {
		id := p[strings.LastIndex(p, "(")+1 : len(p)-1]
		e.fake.SetAuth(id, fakeAuth(true, false))
	}
	out = w.mustRun(0, "plan", "-detailed-exitcode")
	wantAll(t, "gate plan with no public agent", out, []string{"No changes."}, "postcondition")
}

// TestAccCLI_auditScheduledWarnsAndKeepsDriftExitCode: the
// examples/audit/scheduled check block warns with the public agents' names,
// while `plan -detailed-exitcode` exits 0 without drift and 2 with drift of a
// managed agent.
func TestAccCLI_auditScheduledWarnsAndKeepsDriftExitCode(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.writeExample("audit/scheduled")
	public, _ := e.seedAudit()
	managed := []string{e.agent("Managed one"), e.agent("Managed two")}
	vars := fmt.Sprintf(`-var=signed_url_agents=["%s"]`, strings.Join(managed, `","`))

	out, code := w.run(nil, "apply", "-auto-approve", vars)
	if code != 0 {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	// Before the apply both managed agents were public too: the check saw them.
	wantAll(t, "apply", out, append([]string{"Check block assertion failed", "4 public agent(s)"}, public...))

	out, code = w.run(nil, "plan", "-detailed-exitcode", vars)
	if code != 0 {
		t.Fatalf("plan without drift exited %d, want 0:\n%s", code, out)
	}
	wantAll(t, "audit plan", out, append([]string{"No changes.", "Warning: Check block assertion failed", "2 public agent(s)"}, public...),
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
		"3 public agent(s)", "Managed two (" + managed[1] + ")",
	}, public...))
}

// TestAccCLI_auditTestFailsOnPublicAgents: `tofu test` / `terraform test` with
// examples/audit/test fails while an agent is public and passes when none is.
func TestAccCLI_auditTestFailsOnPublicAgents(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.writeExample("audit/test")
	public, _ := e.seedAudit()

	out := w.mustRun(1, "test")
	wantAll(t, "test with public agents", out, append([]string{"run \"no_public_agents\"... fail", "Public agents:"}, public...))

	for _, p := range public {
		id := p[strings.LastIndex(p, "(")+1 : len(p)-1]
		e.fake.SetAuth(id, fakeAuth(false, false, "www.example.com"))
	}
	out = w.mustRun(0, "test")
	wantAll(t, "test with no public agent", out, []string{"run \"no_public_agents\"... pass", "1 passed, 0 failed"})
}
