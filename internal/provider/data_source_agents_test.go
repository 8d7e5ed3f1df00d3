package provider

import (
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

const agentsDS = "data.elevenlabs_agents.all"

// seedModes plants one agent per auth mode plus the odd cases, and returns
// the expected agents entries keyed by agent id.
func (e *testEnv) seedModes(t *testing.T) map[string]map[string]knownvalue.Check {
	t.Helper()
	created := e.clock.Now().UTC().Format(time.RFC3339)
	strs := func(ss ...string) knownvalue.Check {
		l := make([]knownvalue.Check, len(ss))
		for i, s := range ss {
			l[i] = knownvalue.StringExact(s)
		}
		return knownvalue.ListExact(l)
	}
	want := map[string]map[string]knownvalue.Check{}
	add := func(spec fakeapi.AgentSpec, enable bool, hosts []string, requireOrigin bool, mode string) string {
		id := e.fake.CreateAgentWith(spec)
		tags := spec.Tags
		if tags == nil {
			tags = []string{}
		}
		want[id] = map[string]knownvalue.Check{
			"agent_id":              knownvalue.StringExact(id),
			"name":                  knownvalue.StringExact(spec.Name),
			"tags":                  strs(tags...),
			"archived":              knownvalue.Bool(spec.Archived),
			"created_at":            knownvalue.StringExact(created),
			"enable_auth":           knownvalue.Bool(enable),
			"allowlist":             strs(hosts...),
			"require_origin_header": knownvalue.Bool(requireOrigin),
			"auth_mode":             knownvalue.StringExact(mode),
			"adoption_blocker":      knownvalue.Null(),
		}
		return id
	}
	add(fakeapi.AgentSpec{Name: "Public demo", Tags: []string{"demo", "eu"}}, false, nil, false, "public")
	add(fakeapi.AgentSpec{Name: "Mobile app", Auth: fakeAuth(true, false)}, true, nil, false, "signed_url")
	// Unsorted, with a duplicate: listed sorted, each once.
	add(fakeapi.AgentSpec{Name: "Widget", Auth: fakeAuth(false, true, "b.example.com", "a.example.com", "b.example.com")},
		false, []string{"a.example.com", "b.example.com"}, true, "allowlist")
	both := add(fakeapi.AgentSpec{Name: "Both on", Auth: fakeAuth(true, false, "c.example.com")},
		true, []string{"c.example.com"}, false, "conflicting")
	want[both]["adoption_blocker"] = knownvalue.StringExact("both methods are on (enable_auth and an allowlist), which the resource refuses: choose one")
	// No auth block at all reads as the API defaults: public.
	noAuth := add(fakeapi.AgentSpec{Name: "Bare"}, false, nil, false, "public")
	e.fake.SetAuth(noAuth, nil)
	// Archived agents are listed only with archived = true.
	e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Old", Archived: true})
	return want
}

// TestAccAgentsDataSource_everyModeSorted checks every attribute of every
// entry, the order by agent_id, and the filters.
func TestAccAgentsDataSource_everyModeSorted(t *testing.T) {
	e := newTestEnv(t)
	want := e.seedModes(t)
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	entries := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		entries[i] = knownvalue.ObjectExact(want[id])
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.config(`data "elevenlabs_agents" "all" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents"), knownvalue.ListExact(entries)),
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("search"), knownvalue.Null()),
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("archived"), knownvalue.Null()),
				},
			},
			{
				Config: e.config(`data "elevenlabs_agents" "all" {
  archived = true
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("Old")),
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents").AtSliceIndex(0).AtMapKey("archived"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents"), knownvalue.ListSizeExact(1)),
				},
			},
			{
				Config: e.config(`data "elevenlabs_agents" "all" {
  search   = "WIDGET"
  archived = false
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("Widget")),
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents"), knownvalue.ListSizeExact(1)),
				},
			},
			{
				Config: e.config(`data "elevenlabs_agents" "all" {
  search = "no such agent"
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
		},
	})
	for _, r := range e.fake.Requests() {
		if r.Route == fakeapi.RouteAgents && r.Method == "GET" {
			if q := r.RawQuery; !regexp.MustCompile(`^(archived=(true|false)&)?page_size=100(&search=[^&]+)?$`).MatchString(q) {
				t.Errorf("list query %q", q)
			}
		}
	}
}

// TestAccAgentsDataSource_errors: a failed GET names the agent; a failed list
// says so; an agent that 404s between list and GET is left out.
func TestAccAgentsDataSource_errors(t *testing.T) {
	e := newTestEnv(t)
	keep := e.agent("keep")
	gone := e.agent("gone")
	broken := e.agent("broken")
	cfg := e.config(`data "elevenlabs_agents" "all" {}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + broken, Status: 403, Code: "forbidden"})
				},
				Config:      cfg,
				ExpectError: msgRE("Could not read the auth settings of agent "+broken, "GET /v1/convai/agents/"+broken+" returned 403", "forbidden"),
			},
			{
				PreConfig: func() {
					e.fake.ClearFaults()
					e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteAgents, Status: 401, Code: "invalid_api_key"})
				},
				Config:      cfg,
				ExpectError: msgRE("Could not list the agents", "GET /v1/convai/agents returned 401", "Check the API key"),
			},
			{
				PreConfig: func() {
					e.fake.ClearFaults()
					// Deleted after the list: the GET answers 404.
					e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + gone, Status: 404, Code: "agent_not_found"})
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents").AtSliceIndex(0).AtMapKey("agent_id"), knownvalue.StringExact(min(keep, broken))),
					statecheck.ExpectKnownValue(agentsDS, tfjsonpath.New("agents").AtSliceIndex(1).AtMapKey("agent_id"), knownvalue.StringExact(max(keep, broken))),
				},
			},
		},
	})
}
