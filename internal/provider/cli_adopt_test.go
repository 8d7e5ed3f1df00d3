package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccCLI_adoptAllImportsEveryModeWithoutChange runs examples/adopt-all
// against 27 agents in each mode (public, signed_url, allowlist, conflicting)
// plus the odd ones (unknown included), across two list pages: the first plan imports every
// adoptable agent and changes nothing, the apply sends no PATCH, the next plan
// is empty, and the output names the agents left out.
func TestAccCLI_adoptAllImportsEveryModeWithoutChange(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	w.writeExample("adopt-all")
	const perMode = 27
	f := e.seedAdoptionFleet(t, perMode)
	adoptable := f.adoptable

	out := w.mustRun(2, "plan", "-detailed-exitcode", "-out=adopt.tfplan")
	wantAll(t, "first plan", out, []string{fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", adoptable)},
		"will be updated in-place", "must be replaced")
	if got := e.fake.Count("GET", fakeapi.RouteAgents); got != 2 {
		t.Errorf("first plan: %d list calls, want 2", got)
	}

	e.fake.ResetCounters()
	out = w.mustRun(0, "apply", "adopt.tfplan")
	wantAll(t, "apply", out, []string{fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", adoptable)})
	if got := e.fake.Count("PATCH", fakeapi.RouteAgent); got != 0 {
		t.Errorf("adoption sent %d PATCH", got)
	}
	wants := []string{"not_adopted = [", "conflicting 0 (", "conflicting 26 ("}
	for _, b := range f.odd {
		wants = append(wants, b.name+": "+strings.ReplaceAll(b.reason, `"`, `\"`))
	}
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("apply output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "): both methods are on (enable_auth and an allowlist), which the resource refuses: choose one"); n != perMode {
		t.Errorf("not_adopted lists %d conflicting agents, want %d", n, perMode)
	}

	out = w.mustRun(0, "plan", "-detailed-exitcode")
	wantAll(t, "plan after adoption", out, []string{"No changes."})
	// Later: one agent is created and one deleted in the dashboard.
	gone := f.public[0]
	e.fake.DeleteAgentOOB(gone)
	newcomer := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "newcomer", Auth: fakeAuth(true, false)})
	out = w.mustRun(2, "plan", "-detailed-exitcode")
	wantAll(t, "plan after dashboard changes", out, []string{
		`elevenlabs_agent_auth.all["` + newcomer + `"] will be imported`,
		"Agent " + gone + " no longer exists",
		"Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.",
	})
	w.mustRun(0, "apply", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")

	state := w.read("terraform.tfstate")
	if n := strings.Count(state, `"type": "elevenlabs_agent_auth"`); n != 1 {
		t.Errorf("state holds %d elevenlabs_agent_auth blocks", n)
	}
	if n := strings.Count(state, `"index_key": "agent_`); n != adoptable { // one deleted, one created
		t.Errorf("state holds %d instances, want %d", n, adoptable)
	}
}

// adoptionFleet is what seedAdoptionFleet planted.
type adoptionFleet struct {
	total     int      // agents listed
	adoptable int      // agents elevenlabs_agent_auth can mirror
	public    []string // ids of the public agents (adoptable)
	// odd are the blocked agents apart from the conflicting ones: "name (id)"
	// and the adoption_blocker.
	odd []struct{ name, reason string }
}

// seedAdoptionFleet plants perMode agents in each mode (public, signed_url,
// allowlist, conflicting), three more the resource cannot mirror (require_origin_header
// without an allowlist, 11 hostnames, a hostname with a scheme) and one
// without an auth block (auth_mode unknown), more than one list page in all.
func (e *testEnv) seedAdoptionFleet(t *testing.T, perMode int) adoptionFleet {
	t.Helper()
	modes := []struct {
		mode string
		auth func(i int) map[string]any
	}{
		{"public", func(int) map[string]any { return fakeAuth(false, false) }},
		{"signed_url", func(int) map[string]any { return fakeAuth(true, false) }},
		{"allowlist", func(i int) map[string]any {
			// Unsorted, half with require_origin_header.
			return fakeAuth(false, i%2 == 0, fmt.Sprintf("z%d.example.com", i), "localhost:3000", fmt.Sprintf("a%d.example.com", i))
		}},
		{"conflicting", func(i int) map[string]any { return fakeAuth(true, false, fmt.Sprintf("c%d.example.com", i)) }},
	}
	var f adoptionFleet
	for _, m := range modes {
		ids := e.fake.SeedAgents(perMode, func(i int) fakeapi.AgentSpec {
			return fakeapi.AgentSpec{Name: fmt.Sprintf("%s %d", m.mode, i), Auth: m.auth(i)}
		})
		if m.mode == "public" {
			f.public = ids
		}
		if m.mode != "conflicting" {
			f.adoptable += perMode
		}
	}
	odd := func(name string, auth map[string]any, reason string) {
		id := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: name, Auth: auth})
		f.odd = append(f.odd, struct{ name, reason string }{name + " (" + id + ")", reason})
	}
	// Settings the resource refuses, apart from both methods: left out too.
	odd("origin without allowlist", fakeAuth(false, true), "require_origin_header is on without an allowlist")
	hosts := make([]string, 11)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("h%d.example.com", i)
	}
	odd("eleven hosts", fakeAuth(false, false, hosts...), "11 allowlist hostnames, more than the 10 the resource accepts")
	// A hostname the resource refuses (stored with a scheme, as the API's own
	// OpenAPI example writes it): mirroring it would fail the whole plan.
	odd("scheme in allowlist", fakeAuth(false, false, "https://legacy.example.com"), `"https://legacy.example.com" is not a valid allowlist hostname`)
	// An agent with no auth block is unknown, never public: nothing to
	// mirror, so it is left out with the reason.
	bare := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "bare"})
	e.fake.SetAuth(bare, nil)
	f.odd = append(f.odd, struct{ name, reason string }{"bare (" + bare + ")",
		"its auth settings cannot be read from the API's answer (platform_settings has no auth), so there is nothing to mirror"})
	f.total = 4*perMode + 4
	if f.total <= 100 {
		t.Fatalf("%d agents fit one page", f.total)
	}
	return f
}
