package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccCLI_agentsRequestCounts: one `plan` of a configuration holding only
// elevenlabs_agents makes exactly ceil(N/100) list calls (one for an empty
// workspace) and N GETs, counted by the fake.
func TestAccCLI_agentsRequestCounts(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.write(`
data "elevenlabs_agents" "all" {}

output "agents" {
  value = length(data.elevenlabs_agents.all.agents)
}
`)
	w.mustRun(0, "validate")
	if got := e.fake.Counts(); len(got) != 0 {
		t.Fatalf("validate called the API: %v", got)
	}
	total := 0
	for _, n := range []int{0, 1, 100, 101, 250} {
		e.fake.SeedAgents(n-total, func(i int) fakeapi.AgentSpec { return fakeapi.AgentSpec{Name: fmt.Sprint("agent ", total+i)} })
		total = n
		e.fake.ResetCounters()
		out := w.mustRun(0, "plan")
		wantAll(t, fmt.Sprintf("plan with %d agents", n), out, []string{fmt.Sprintf("+ agents = %d", n)})
		pages := max(1, (n+elevenlabs.MaxPageSize-1)/elevenlabs.MaxPageSize)
		if got := e.fake.Count("GET", fakeapi.RouteAgents); got != pages {
			t.Errorf("%d agents: %d list calls, want %d", n, got, pages)
		}
		if got := e.fake.Count("GET", fakeapi.RouteAgent); got != n {
			t.Errorf("%d agents: %d GETs, want %d", n, got, n)
		}
		if got := len(e.fake.Counts()); got > 2 {
			t.Errorf("%d agents: other calls: %v", n, e.fake.Counts())
		}
	}
}

// TestAccCLI_agentsDeletedAgentIsLoggedAtDebug: an agent that 404s between the
// list and its GET is left out, logged at DEBUG with its id, and not an error.
func TestAccCLI_agentsDeletedAgentIsLoggedAtDebug(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.write(`
data "elevenlabs_agents" "all" {}

output "ids" {
  value = [for a in data.elevenlabs_agents.all.agents : a.agent_id]
}
`)
	keep := e.agent("keep")
	gone := e.agent("gone")
	e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + gone, Status: 404, Code: "agent_not_found"})
	out, code := w.run([]string{"TF_LOG_PROVIDER=DEBUG"}, "plan")
	if code != 0 {
		t.Fatalf("plan exited %d:\n%s", code, out)
	}
	wantAll(t, "plan", out, []string{`+ ids = [ + "` + keep + `", ]`})
	logged := false
	for _, line := range strings.Split(out, "\n") {
		logged = logged || strings.Contains(line, "[DEBUG]") && strings.Contains(line, "agent deleted between list and read; left out") &&
			strings.Contains(line, "agent_id="+gone)
	}
	if !logged {
		t.Errorf("no DEBUG line names the deleted agent %s:\n%s", gone, out)
	}
	if strings.Contains(out, `"`+gone+`",`) {
		t.Errorf("the deleted agent is listed:\n%s", out)
	}
	out, _ = w.run(nil, "plan")
	if strings.Contains(out, "deleted between list and read") {
		t.Errorf("DEBUG line without TF_LOG:\n%s", out)
	}
}

// TestAccCLI_agentsErrorsNeverEchoTheKey: a server that echoes the request
// (key included) in its error body, on the list or on one agent's GET, fails
// the read with an error that names what failed and never shows the key.
func TestAccCLI_agentsErrorsNeverEchoTheKey(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.write(`data "elevenlabs_agents" "all" {}` + "\n")
	id := e.agent("echoed")
	for _, c := range []struct {
		path string
		want string
	}{
		{fakeapi.RouteAgents, "Could not list the agents"},
		{"/v1/convai/agents/" + id, "Could not read the auth settings of agent " + id},
	} {
		e.fake.ClearFaults()
		e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: c.path, Status: 403, Code: "forbidden", EchoRequest: true})
		out, code := w.run([]string{"TF_LOG=TRACE"}, "plan")
		if code != 1 {
			t.Fatalf("%s: plan exited %d:\n%s", c.path, code, out)
		}
		wantAll(t, c.path, out, []string{c.want, "returned 403 Forbidden: forbidden"})
		if strings.Contains(out, testAPIKey) {
			t.Errorf("%s: the API key appears in the output (TRACE log included)", c.path)
		}
	}
}
