package provider

import (
	"fmt"
	"sort"
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

// TestAccCLI_agentsDeletedAgentWarns: an agent deleted between the list and
// its GET is left out with a warning that names it, so that a person reading
// a gate's output knows the fleet changed during the read; it is not an
// error. An agent that answers 404 but is still listed is no deleted agent:
// the audit gate fails with an error naming it, instead of passing on a
// fleet without it.
func TestAccCLI_agentsDeletedAgentWarns(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.write(`
data "elevenlabs_agents" "all" {}

output "ids" {
  value = [for a in data.elevenlabs_agents.all.agents : a.agent_id]
}
`)
	keep := e.agent("keep")
	gone := []string{e.agent("gone one"), e.agent("gone two")}
	sort.Strings(gone)
	for _, id := range gone {
		e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + id, DeleteAgent: true})
	}
	out := w.mustRun(0, "plan")
	wantAll(t, "plan", out, []string{
		`+ ids = [ + "` + keep + `", ]`,
		"Warning: 2 agent(s) deleted during the read, left out",
		"Listed, then answered 404 Not Found to their own GET, so they were deleted between the list and the read: " +
			gone[0] + ", " + gone[1] + ". They are not in agents. The fleet changed while it was read: run again for a settled view.",
	}, `"`+gone[0]+`",`, `"`+gone[1]+`",`)
	e.fake.ClearFaults()
	wantAll(t, "plan once the fleet settled", w.mustRun(0, "plan"), nil, "deleted during the read")

	// The only agent answers 404 to its GET and is still listed: without the
	// second reading of the list, the gate would pass on an empty fleet.
	w.writeExample("audit/gate")
	e.fake.SetAuth(keep, fakeAuth(false, false)) // public: the gate must not pass
	e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + keep, Status: 404, Code: "agent_not_found"})
	out, code := w.run(nil, "plan")
	if code != 1 {
		t.Fatalf("plan of the gate exited %d, want 1:\n%s", code, out)
	}
	wantAll(t, "gate plan", out, []string{"Error: Could not list the agents",
		"1 agent(s) answered 404 Not Found to GET /v1/convai/agents/{agent_id} and are still listed by GET /v1/convai/agents: " +
			keep + ". The API contradicts itself, so they are not left out as deleted and the read fails."}, "deleted during the read")
}

// TestAccCLI_agentsDeletedWarningIsBounded: the warning about agents deleted
// during the read names at most 10 of them, in agent_id order, then says how
// many more, as the error about agents still listed does: a fleet that
// changed by hundreds of agents gives a warning of a few lines.
func TestAccCLI_agentsDeletedWarningIsBounded(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.write("data \"elevenlabs_agents\" \"all\" {}\n")
	keep := e.agent("keep")
	gone := make([]string, 12)
	for i := range gone {
		gone[i] = e.agent(fmt.Sprint("gone ", i))
		e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + gone[i], DeleteAgent: true})
	}
	sort.Strings(gone)
	out := w.mustRun(0, "plan")
	wantAll(t, "plan", out, []string{
		"Warning: 12 agent(s) deleted during the read, left out",
		"so they were deleted between the list and the read: " + strings.Join(gone[:10], ", ") + " and 2 more. They are not in agents.",
	}, gone[10], gone[11], keep)
}

// TestAccCLI_agentsListAnswerFailsClosed: a list answer that is not the
// documented page ({"agents": null}, null, {}, a summary without a required
// key) fails the plan naming the page and the field, also under the audit
// gate, which would otherwise pass on an empty fleet; only a well-formed
// "agents": [] is a workspace without agents.
func TestAccCLI_agentsListAnswerFailsClosed(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.writeExample("audit/gate")
	id := e.agent("listed")
	for body, want := range map[string]string{
		`{"agents":null,"has_more":false}`: "page 1: agents is null.",
		`null`:                             "page 1: the answer is null, not an object.",
		`{}`:                               "page 1: agents is missing.",
		`{"agents":[]}`:                    "page 1: has_more is missing.",
		`{"agents":[{"agent_id":"` + id + `","name":"listed","tags":[],"created_at_unix_secs":1,` +
			`"access_info":{"is_creator":true,"creator_name":"a","creator_email":"a@b","role":"admin"}}],"has_more":false}`: "page 1: agent " + id + " (entry 1 of agents): voice_id is missing.",
	} {
		e.fake.ClearFaults()
		e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteAgents, Status: 200, Body: body})
		wantAll(t, "plan of "+body, w.mustRun(1, "plan"), []string{
			"Error: Could not list the agents",
			"ElevenLabs API: GET /v1/convai/agents " + want + " The answer is not the documented list of agents, so it is not used",
		}, "postcondition", "No changes")
	}
	e.fake.ClearFaults()
	e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteAgents, Status: 200, Body: `{"agents":[],"has_more":false}`})
	wantAll(t, "plan of an empty list", w.mustRun(0, "plan"), []string{"No changes."})
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

// TestAccCLI_agentsMalformedAllowlistWarns: an agent whose allowlist holds
// entries that are not {"hostname": string} is read with a warning naming the
// agent and the entries, never silently; its mode comes from the hostnames.
func TestAccCLI_agentsMalformedAllowlistWarns(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.write(`
data "elevenlabs_agents" "all" {}

output "modes" {
  value = [for a in data.elevenlabs_agents.all.agents : "${a.name}=${a.auth_mode}"]
}
`)
	id := e.agent("odd")
	a, _ := e.fake.Agent(id)
	a["platform_settings"].(map[string]any)["auth"].(map[string]any)["allowlist"] = []any{"www.example.com", 42}
	e.fake.PutAgent(id, a)
	wantAll(t, "plan", w.mustRun(0, "plan"), []string{
		"Warning: Allowlist entries on agent " + id + " that are not hostnames",
		`The agent's allowlist on ElevenLabs holds entries that are not {"hostname": string}: entry 1 is "www.example.com"; ` +
			`entry 2 is 42. They are left out of this agent's allowlist and auth_mode`,
		`"odd=public"`,
	})
}
