package provider

import (
	"regexp"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

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
// says so; an agent that 404s and is still listed fails the read; one that
// 404s because it was deleted between list and GET is left out.
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
					// A 404 for an agent that is still listed: not a deletion.
					e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + gone, Status: 404, Code: "agent_not_found"})
				},
				Config: cfg,
				ExpectError: msgRE("Could not list the agents", "1 agent(s) answered 404 Not Found to GET /v1/convai/agents/{agent_id} and",
					"are still listed by GET /v1/convai/agents: "+gone+". The API contradicts itself"),
			},
			{
				PreConfig: func() {
					e.fake.ClearFaults()
					// Deleted after the list: the GET answers 404, the list no longer has it.
					e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + gone, DeleteAgent: true})
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
