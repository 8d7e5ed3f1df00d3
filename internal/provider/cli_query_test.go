package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// `terraform query` through the CLI, with examples/query: what a user runs
// and sees (the results, the warnings, the generated configuration and the
// plans after it), and the requests the fake counts. Skipped on OpenTofu,
// which has no query (featureQuery; scripts/test.sh needs[query]).

// queryResults returns the ids of the results the CLI printed for the list
// block addr ("list.elevenlabs_agent_auth.NAME   agent_id=ID   DISPLAY NAME").
func queryResults(out, addr string) []string {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(addr) + `\s+agent_id=(\S+)\s`)
	ids := []string{}
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// queryCounts asserts the list calls and agent GETs since the last reset.
func (e *testEnv) queryCounts(t *testing.T, what string, lists, gets int) {
	t.Helper()
	if got := e.fake.Count("GET", fakeapi.RouteAgents); got != lists {
		t.Errorf("%s: %d list calls, want %d", what, got, lists)
	}
	if got := e.fake.Count("GET", fakeapi.RouteAgent); got != gets {
		t.Errorf("%s: %d agent GETs, want %d", what, got, gets)
	}
	if got := e.fake.Count("PATCH", fakeapi.RouteAgent); got != 0 {
		t.Errorf("%s: %d PATCH", what, got)
	}
}

// TestAccCLI_queryAdoptsEveryAgent runs examples/query against 27 agents in
// each mode plus the odd ones (112 agents, two list pages): `terraform query
// -generate-config-out` finds every agent the resource can mirror with
// ceil(112/100) list calls and one GET each, warns about each of the others
// with its reason and writes no configuration for them; the plan then imports
// every adoptable agent and changes nothing, the apply sends no PATCH, and the
// next plan is empty.
func TestAccCLI_queryAdoptsEveryAgent(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	requireCLI(t, featureQuery)
	w.writeExample("query")
	const perMode = 27
	f := e.seedAdoptionFleet(t, perMode)

	out := w.mustRun(0, "query", "-generate-config-out=adopt.tf")
	e.queryCounts(t, "query -generate-config-out", 2, f.total)
	found := queryResults(out, "list.elevenlabs_agent_auth.agent")
	if len(found) != f.adoptable {
		t.Errorf("query found %d agents, want %d:\n%s", len(found), f.adoptable, out)
	}
	// Every agent left out is named in a warning of its own, with the reason.
	for _, b := range f.odd {
		wantAll(t, "query output", out, []string{"Warning: Agent " + b.name + " cannot be adopted as it is", b.reason})
	}
	for i := range perMode {
		wantAll(t, "query output", out, []string{fmt.Sprintf("Warning: Agent conflicting %d (", i)})
	}
	if n := strings.Count(flatOut(out), "both methods are on (enable_auth and an allowlist), which the resource refuses: choose one."); n != perMode {
		t.Errorf("%d warnings give the conflicting reason, want %d", n, perMode)
	}
	if n := strings.Count(flatOut(out), "cannot be adopted as it is"); n != perMode+len(f.odd) {
		t.Errorf("%d agents reported as not adoptable, want %d:\n%s", n, perMode+len(f.odd), out)
	}
	generated := w.read("adopt.tf")
	for what, want := range map[string]int{
		`resource "elevenlabs_agent_auth" "agent_`: f.adoptable,
		"import {":                     f.adoptable,
		"identity = {":                 f.adoptable,
		"c0.example.com":               0, // a conflicting agent's allowlist
		"h0.example.com":               0,
		"legacy.example":               0,
		"localhost:3000":               perMode,
		"enable_auth           = true": perMode, // the signed_url agents
	} {
		if got := strings.Count(generated, what); got != want {
			t.Errorf("adopt.tf holds %q %d times, want %d", what, got, want)
		}
	}

	e.fake.ResetCounters()
	out = w.mustRun(2, "plan", "-detailed-exitcode", "-out=adopt.tfplan")
	wantAll(t, "first plan", out, []string{fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", f.adoptable)},
		"will be updated in-place", "must be replaced", "Error")
	e.queryCounts(t, "first plan", 0, f.adoptable)

	e.fake.ResetCounters()
	out = w.mustRun(0, "apply", "adopt.tfplan")
	wantAll(t, "apply", out, []string{fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", f.adoptable)})
	e.queryCounts(t, "apply", 0, 0)

	out = w.mustRun(0, "plan", "-detailed-exitcode")
	wantAll(t, "plan after adoption", out, []string{"No changes."})
	if n := strings.Count(w.read("terraform.tfstate"), `"type": "elevenlabs_agent_auth"`); n != f.adoptable {
		t.Errorf("state holds %d elevenlabs_agent_auth resources, want %d", n, f.adoptable)
	}
}

// TestAccCLI_queryCountsRequests: ceil(N/100) list calls (one at least), and
// one GET per agent only when the auth settings are needed (auth_mode or
// include_resource); a limit below N stops reading early, with no page or
// GET more than needed. Terraform's own default limit is 100.
func TestAccCLI_queryCountsRequests(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	requireCLI(t, featureQuery)
	w.write("provider \"elevenlabs\" {}\n")
	// 250 agents, every fifth (by creation) signed_url; the list gives the
	// newest first. "north 0".."north 99", "northeast", "south 0".."south 148".
	ids := e.fake.SeedAgents(250, func(i int) fakeapi.AgentSpec {
		name := fmt.Sprintf("south %d", i-101)
		switch {
		case i < 100:
			name = fmt.Sprintf("north %d", i)
		case i == 100:
			name = "northeast"
		}
		spec := fakeapi.AgentSpec{Name: name}
		if i%5 == 0 {
			spec.Auth = fakeAuth(true, false)
		}
		return spec
	})
	for _, tc := range []struct {
		name        string
		block       string // the list block's body
		results     int
		lists, gets int
	}{
		{"no agent", "  config {\n    search = \"nobody\"\n  }\n", 0, 1, 0},
		{"one agent", "  config {\n    search = \"northeast\"\n  }\n", 1, 1, 0},
		{"one full page", "  config {\n    search = \"north \"\n  }\n", 100, 1, 0},
		{"one agent more than a page", "  limit = 1000\n  config {\n    search = \"north\"\n  }\n", 101, 2, 0},
		{"every agent", "  limit = 1000\n", 250, 3, 0},
		{"every agent, resource objects", "  limit = 1000\n  include_resource = true\n", 250, 3, 250},
		{"every agent, auth_mode", "  limit = 1000\n  config {\n    auth_mode = \"public\"\n  }\n", 200, 3, 250},
		// Terraform's default limit is 100: the first page is enough.
		{"default limit", "", 100, 1, 0},
		{"limit 150", "  limit = 150\n", 150, 2, 0},
		{"limit 5, resource objects", "  limit = 5\n  include_resource = true\n", 5, 1, 5},
		// The 10th signed_url agent in list order is the 50th listed.
		{"limit 10, auth_mode", "  limit = 10\n  config {\n    auth_mode = \"signed_url\"\n  }\n", 10, 1, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := "list \"elevenlabs_agent_auth\" \"q\" {\n  provider = elevenlabs\n" + tc.block + "}\n"
			if err := os.WriteFile(filepath.Join(w.dir, "q.tfquery.hcl"), []byte(q), 0o600); err != nil {
				t.Fatal(err)
			}
			e.fake.ResetCounters()
			out := w.mustRun(0, "query")
			if got := queryResults(out, "list.elevenlabs_agent_auth.q"); len(got) != tc.results {
				t.Errorf("%d results, want %d:\n%s", len(got), tc.results, out)
			}
			e.queryCounts(t, tc.name, tc.lists, tc.gets)
		})
	}
	// The results come in list order: the newest agent first.
	out := w.mustRun(0, "query")
	if got := queryResults(out, "list.elevenlabs_agent_auth.q"); len(got) != 10 || got[0] != ids[245] || got[9] != ids[200] {
		t.Errorf("signed_url results %v, want %s first and %s last", got, ids[245], ids[200])
	}
}

// TestAccCLI_queryReportsWhatItLeavesOut: with resource objects, an agent the
// resource cannot mirror (its settings unreadable included) and one deleted
// between the list and its GET are warnings naming them, not results; under an
// auth_mode filter, an agent whose mode is unknown is a warning too; entries of an allowlist that are not
// hostnames are named in a warning and left out of the mirror, which still
// imports without change. A mistyped auth_mode fails `validate -query`, with
// no key and no request; a query without a key fails with no request.
func TestAccCLI_queryReportsWhatItLeavesOut(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	requireCLI(t, featureQuery)
	w.writeExample("query")
	fine := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Fine", Auth: fakeAuth(true, false)})
	gone := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Gone"})
	both := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Both on", Auth: fakeAuth(true, false, "c.example.com")})
	odd := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Odd entry"})
	e.fake.SetAuth(odd, map[string]any{"enable_auth": false, "require_origin_header": false,
		"allowlist": []any{map[string]any{"hostname": "app.example.com"}, 42}})
	unreadable := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Unreadable"})
	e.fake.SetAuth(unreadable, nil)

	// Filtered on public, the agent whose mode is unknown is named, not dropped.
	out := w.mustRun(0, "query", "-var", "auth_mode=public")
	if got := queryResults(out, "list.elevenlabs_agent_auth.agent"); strings.Join(got, " ") != gone {
		t.Errorf("public results %v, want %s alone", got, gone)
	}
	wantAll(t, "query of the public agents", out, []string{
		"Warning: Auth settings of agent Unreadable (" + unreadable + ") cannot be read",
		`Its auth_mode is "unknown", so it is not among the auth_mode = "public" results, and it may be in that mode`,
	})

	// Gone is deleted as its GET arrives: the list, read again, confirms it.
	e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + gone, DeleteAgent: true})
	out = w.mustRun(0, "query", "-generate-config-out=adopt.tf")
	if got := queryResults(out, "list.elevenlabs_agent_auth.agent"); strings.Join(got, " ") != odd+" "+fine {
		t.Errorf("results %v, want %s and %s", got, odd, fine)
	}
	wantAll(t, "query output", out, []string{
		"Warning: Agent Both on (" + both + ") cannot be adopted as it is",
		"both methods are on (enable_auth and an allowlist), which the resource refuses: choose one",
		"It is not a result, so no configuration is generated for it.",
		"Warning: Agent Gone (" + gone + ") was deleted while the query ran",
		"Warning: Agent Unreadable (" + unreadable + ") cannot be adopted as it is",
		"its auth settings cannot be read from the API's answer (platform_settings has no auth)",
		"Warning: Allowlist entries on agent " + odd + " that are not hostnames",
		"entry 2 is 42",
	})
	generated := w.read("adopt.tf")
	wantAll(t, "adopt.tf", generated, []string{`agent_id              = "` + odd + `"`, `allowlist             = ["app.example.com"]`},
		both, gone, unreadable)
	e.fake.ClearFaults()
	out = w.mustRun(2, "plan", "-detailed-exitcode")
	wantAll(t, "plan", out, []string{"Plan: 2 to import, 0 to add, 0 to change, 0 to destroy."})

	// validate -query checks auth_mode without a key or a request.
	if err := os.WriteFile(filepath.Join(w.dir, "typo.tfquery.hcl"),
		[]byte("list \"elevenlabs_agent_auth\" \"typo\" {\n  provider = elevenlabs\n  config {\n    auth_mode = \"Public\"\n  }\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.fake.ResetCounters()
	out, code := w.run([]string{EnvAPIKey + "="}, "validate", "-query")
	if code != 1 {
		t.Fatalf("validate -query exited %d, want 1:\n%s", code, out)
	}
	wantAll(t, "validate -query", out, []string{"Error: Invalid auth_mode", `on typo.tfquery.hcl line 1`,
		`"Public" is not an auth mode: use one of "public", "signed_url", "allowlist", "conflicting" or "unknown"`})
	e.queryCounts(t, "validate -query", 0, 0)

	// Without a key the query says how to give one, and sends nothing.
	if err := os.Remove(filepath.Join(w.dir, "typo.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}
	out, code = w.run([]string{EnvAPIKey + "="}, "query")
	if code != 1 {
		t.Fatalf("query without a key exited %d, want 1:\n%s", code, out)
	}
	wantAll(t, "query without a key", out, []string{"Error: Missing ElevenLabs API key", "ELEVENLABS_API_KEY"})
	e.queryCounts(t, "query without a key", 0, 0)
}

// TestAccCLI_queryFailsOnA404ForAListedAgent: an agent whose GET answers 404
// is reported as deleted only once the list, read a second time, no longer
// has it; one still listed ends the query with an error naming it (at most 10
// ids, then how many more), so a proxy answering 404 to every agent's own URL
// cannot make a query of the public agents come back empty. The second reading
// is made only after a 404 and stops once every agent that answered 404 is
// found; proving an agent gone takes the whole list, whatever the limit.
func TestAccCLI_queryFailsOnA404ForAListedAgent(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	requireCLI(t, featureQuery)
	w.write("provider \"elevenlabs\" {}\n")
	ids := e.fake.SeedAgents(250, func(i int) fakeapi.AgentSpec { return fakeapi.AgentSpec{Name: fmt.Sprint("agent ", i)} })
	// listed returns the ids in list order (newest first), without those gone.
	listed := func(gone ...string) []string {
		var out []string
		for i := len(ids) - 1; i >= 0; i-- {
			if !slices.Contains(gone, ids[i]) {
				out = append(out, ids[i])
			}
		}
		return out
	}
	// query runs the list block with the faults, and counts from zero.
	query := func(block string, faults ...fakeapi.Fault) (string, int) {
		t.Helper()
		q := "list \"elevenlabs_agent_auth\" \"q\" {\n  provider = elevenlabs\n" + block + "}\n"
		if err := os.WriteFile(filepath.Join(w.dir, "q.tfquery.hcl"), []byte(q), 0o600); err != nil {
			t.Fatal(err)
		}
		e.fake.ClearFaults()
		for _, f := range faults {
			e.fake.InjectFault(f)
		}
		e.fake.ResetCounters()
		return w.run(nil, "query")
	}
	const public = "  limit = 5\n  config {\n    auth_mode = \"public\"\n  }\n"

	t.Run("every agent's URL answers 404", func(t *testing.T) {
		out, code := query(public, fakeapi.Fault{Method: "GET", Path: fakeapi.RouteAgent, Status: 404, Code: "agent_not_found"})
		if code != 1 {
			t.Fatalf("query exited %d, want 1:\n%s", code, out)
		}
		sorted := slices.Sorted(slices.Values(ids))
		wantAll(t, "query", out, []string{"Error: Could not list the agents",
			"250 agent(s) answered 404 Not Found to GET /v1/convai/agents/{agent_id} and are still listed by GET " +
				"/v1/convai/agents: " + strings.Join(sorted[:10], ", ") + " and 240 more. The API contradicts itself"},
			"was deleted while the query ran")
		// No result is kept, so the walk reads every agent; the second
		// reading finds the last of them on its last page.
		e.queryCounts(t, "every GET 404", 3+3, 250)
	})
	t.Run("an agent still listed after a 404", func(t *testing.T) {
		stuck := listed()[1]
		out, code := query(public, fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + stuck, Status: 404, Code: "agent_not_found"})
		if code != 1 {
			t.Fatalf("query exited %d, want 1:\n%s", code, out)
		}
		wantAll(t, "query", out, []string{"Error: Could not list the agents",
			"1 agent(s) answered 404 Not Found to GET /v1/convai/agents/{agent_id} and are still listed by GET " +
				"/v1/convai/agents: " + stuck + ". The API contradicts itself"}, "was deleted while the query ran")
		// The second reading stops on its first page, which lists it.
		e.queryCounts(t, "one GET 404", 1+1, 6)
		// No configuration is generated from a query that failed.
		e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + stuck, Status: 404, Code: "agent_not_found"})
		out, code = w.run(nil, "query", "-generate-config-out=adopt.tf")
		if code != 1 {
			t.Fatalf("query -generate-config-out exited %d, want 1:\n%s", code, out)
		}
		if b, err := os.ReadFile(filepath.Join(w.dir, "adopt.tf")); err == nil {
			t.Errorf("a failed query wrote adopt.tf:\n%s", b)
		}
	})
	t.Run("an agent deleted during the query", func(t *testing.T) {
		gone := listed()[1]
		out, code := query(public, fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + gone, DeleteAgent: true})
		if code != 0 {
			t.Fatalf("query exited %d, want 0:\n%s", code, out)
		}
		want := listed(gone)[:5]
		if got := queryResults(out, "list.elevenlabs_agent_auth.q"); !slices.Equal(got, want) {
			t.Errorf("results %v, want %v", got, want)
		}
		wantAll(t, "query", out, []string{"Warning: Agent agent 248 (" + gone + ") was deleted while the query ran"}, "Error")
		// Proving it gone takes the whole list again: ceil(249/100) calls.
		e.queryCounts(t, "one agent deleted", 1+3, 6)
	})
}
