package provider

import (
	"fmt"
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
