package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// The list resource through terraform-plugin-testing's query mode (a
// `terraform query -json` run per step). Skipped on OpenTofu, which has no
// query (featureQuery; scripts/test.sh needs[query]). Request counts, the
// warnings and the generated configuration are checked through the CLI
// (cli_query_test.go), since query mode shows neither.

// queryModes plants one agent per auth mode, an agent with no auth block and
// an archived one, and returns their display names ("name (id)") by name.
func (e *testEnv) queryModes() map[string]string {
	names := map[string]string{}
	add := func(spec fakeapi.AgentSpec) string {
		id := e.fake.CreateAgentWith(spec)
		names[spec.Name] = spec.Name + " (" + id + ")"
		return id
	}
	add(fakeapi.AgentSpec{Name: "Public demo"})
	add(fakeapi.AgentSpec{Name: "Mobile app", Auth: fakeAuth(true, false)})
	// Unsorted, with a duplicate.
	add(fakeapi.AgentSpec{Name: "Widget", Auth: fakeAuth(false, true, "b.example.com", "a.example.com", "b.example.com")})
	add(fakeapi.AgentSpec{Name: "Both on", Auth: fakeAuth(true, false, "c.example.com")})
	bare := add(fakeapi.AgentSpec{Name: "Bare"})
	e.fake.SetAuth(bare, nil) // no auth block: auth_mode unknown, never public
	add(fakeapi.AgentSpec{Name: "Old", Archived: true})
	return names
}

// queryTest runs query steps (Query is set on each) after the configuration
// step they run in, skipped on CLIs without query (featureQuery).
func queryTest(t *testing.T, e *testEnv, steps ...resource.TestStep) {
	t.Helper()
	for i := range steps {
		steps[i].Query = true
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureQuery},
		Steps:                    append([]resource.TestStep{{Config: e.providerBlock()}}, steps...),
	})
}

// listBlocks is a query file: one list block per name, each with its body.
func listBlocks(blocks ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(blocks); i += 2 {
		fmt.Fprintf(&b, "list \"elevenlabs_agent_auth\" %q {\n  provider = elevenlabs\n%s}\n", blocks[i], blocks[i+1])
	}
	return b.String()
}

// expectFound asserts the results of the list block addr, in order, by
// display name, and that each result's identity is the id in its name.
type expectFound struct {
	addr string
	want []string
}

func (c expectFound) CheckQuery(_ context.Context, req querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	got := []string{}
	for _, r := range req.Query {
		if strings.TrimPrefix(r.Address, "list.") != c.addr {
			continue
		}
		got = append(got, r.DisplayName)
		if id, _ := r.Identity["agent_id"].(string); !strings.HasSuffix(r.DisplayName, "("+id+")") {
			resp.Error = fmt.Errorf("%s: result %q has the identity %v", c.addr, r.DisplayName, r.Identity)
			return
		}
	}
	if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
		resp.Error = fmt.Errorf("%s found %q, want %q", c.addr, got, c.want)
	}
}

// TestAccAgentAuthList_findsAndFilters: every agent in list order (newest
// first) with its identity and display name, and each filter: auth_mode
// (which reads every agent), archived, search, limit.
func TestAccAgentAuthList_findsAndFilters(t *testing.T) {
	e := newTestEnv(t)
	n := e.queryModes()
	queryTest(t, e,
		resource.TestStep{
			Config: listBlocks(
				"all", "",
				"public", "  config {\n    auth_mode = \"public\"\n  }\n",
				"signed_url", "  config {\n    auth_mode = \"signed_url\"\n  }\n",
				"allowlist", "  config {\n    auth_mode = \"allowlist\"\n  }\n",
				"unknown", "  config {\n    auth_mode = \"unknown\"\n  }\n",
				// Listed, with a warning: no configuration is generated without include_resource.
				"conflicting", "  config {\n    auth_mode = \"conflicting\"\n  }\n",
				"archived", "  config {\n    archived = true\n  }\n",
				"search", "  config {\n    search   = \"WIDGET\"\n    archived = false\n  }\n",
				"first_two", "  limit = 2\n",
			),
			QueryResultChecks: []querycheck.QueryResultCheck{
				expectFound{"elevenlabs_agent_auth.all", []string{n["Bare"], n["Both on"], n["Widget"], n["Mobile app"], n["Public demo"]}},
				// Bare's mode is unknown: not a public result (a warning names
				// it, cli_query_test.go), found under unknown.
				expectFound{"elevenlabs_agent_auth.public", []string{n["Public demo"]}},
				expectFound{"elevenlabs_agent_auth.unknown", []string{n["Bare"]}},
				expectFound{"elevenlabs_agent_auth.signed_url", []string{n["Mobile app"]}},
				expectFound{"elevenlabs_agent_auth.allowlist", []string{n["Widget"]}},
				expectFound{"elevenlabs_agent_auth.conflicting", []string{n["Both on"]}},
				expectFound{"elevenlabs_agent_auth.archived", []string{n["Old"]}},
				expectFound{"elevenlabs_agent_auth.search", []string{n["Widget"]}},
				expectFound{"elevenlabs_agent_auth.first_two", []string{n["Bare"], n["Both on"]}},
				querycheck.ExpectLength("elevenlabs_agent_auth.all", 5),
			},
		},
	)
}

// TestAccAgentAuthList_includeResource: with include_resource each result
// carries the state an import reads (id, the allowlist sorted and without
// its duplicate, null when empty), and the agents the resource cannot mirror
// (both methods on; settings that cannot be read) are no result.
func TestAccAgentAuthList_includeResource(t *testing.T) {
	e := newTestEnv(t)
	n := e.queryModes()
	idOf := func(name string) string {
		return strings.TrimSuffix(strings.TrimPrefix(n[name], name+" ("), ")")
	}
	object := func(name string, enable bool, allowlist knownvalue.Check, requireOrigin bool) querycheck.QueryResultCheck {
		id := idOf(name)
		return querycheck.ExpectResourceKnownValues("elevenlabs_agent_auth.all",
			queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"agent_id": knownvalue.StringExact(id)}),
			[]querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(id)},
				{Path: tfjsonpath.New("agent_id"), KnownValue: knownvalue.StringExact(id)},
				{Path: tfjsonpath.New("enable_auth"), KnownValue: knownvalue.Bool(enable)},
				{Path: tfjsonpath.New("allowlist"), KnownValue: allowlist},
				{Path: tfjsonpath.New("require_origin_header"), KnownValue: knownvalue.Bool(requireOrigin)},
			})
	}
	queryTest(t, e,
		resource.TestStep{
			Config: listBlocks(
				"all", "  include_resource = true\n",
				"conflicting", "  include_resource = true\n  config {\n    auth_mode = \"conflicting\"\n  }\n",
			),
			QueryResultChecks: []querycheck.QueryResultCheck{
				expectFound{"elevenlabs_agent_auth.all", []string{n["Widget"], n["Mobile app"], n["Public demo"]}},
				expectFound{"elevenlabs_agent_auth.conflicting", []string{}},
				object("Widget", false, knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact("a.example.com"), knownvalue.StringExact("b.example.com"),
				}), true),
				object("Mobile app", true, knownvalue.Null(), false),
				object("Public demo", false, knownvalue.Null(), false),
			},
		},
	)
}

// TestAccAgentAuthList_invalidAuthMode: an auth_mode no agent can have is
// refused before any request, with the modes to choose from.
func TestAccAgentAuthList_invalidAuthMode(t *testing.T) {
	e := newTestEnv(t)
	queryTest(t, e,
		resource.TestStep{
			Config: listBlocks("bad", "  config {\n    auth_mode = \"Public\"\n  }\n"),
			ExpectError: msgRE(`Invalid auth_mode`, `"Public" is not an auth mode: use one of "public", "signed_url",`,
				`"allowlist", "conflicting" or "unknown"`),
		},
	)
	if got := e.fake.Count("GET", fakeapi.RouteAgents) + e.fake.Count("GET", fakeapi.RouteAgent); got != 0 {
		t.Errorf("%d requests for an invalid query", got)
	}
}

// TestAccAgentAuthList_failuresEndTheQuery: a failed GET ends the query with
// an error naming the agent; a list that says has_more without a cursor ends
// it too (the client's paging guards hold for the query).
func TestAccAgentAuthList_failuresEndTheQuery(t *testing.T) {
	e := newTestEnv(t)
	e.agent("fine")
	broken := e.agent("broken")
	queryTest(t, e,
		resource.TestStep{
			PreConfig: func() {
				e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: "/v1/convai/agents/" + broken, Status: 403, Code: "forbidden"})
			},
			Config:      listBlocks("public", "  config {\n    auth_mode = \"public\"\n  }\n"),
			ExpectError: msgRE("Could not read the auth settings of agent "+broken, "GET /v1/convai/agents/"+broken+" returned 403", "forbidden"),
		},
		resource.TestStep{
			PreConfig: func() {
				e.fake.ClearFaults()
				e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteAgents, Status: 200, Body: `{"agents":[],"has_more":true}`})
			},
			Config:      listBlocks("all", ""),
			ExpectError: msgRE("Could not list the agents", "page 1 says has_more but gives no next_cursor"),
		},
	)
}

// TestAgentAuthListSchema: the list resource is named after the resource it
// lists, and every argument says what it does.
func TestAgentAuthListSchema(t *testing.T) {
	r := NewAgentAuthListResource()
	var meta fwresource.MetadataResponse
	r.Metadata(context.Background(), fwresource.MetadataRequest{ProviderTypeName: "elevenlabs"}, &meta)
	if meta.TypeName != "elevenlabs_agent_auth" {
		t.Errorf("type name %q", meta.TypeName)
	}
	var resp list.ListResourceSchemaResponse
	r.ListResourceConfigSchema(context.Background(), list.ListResourceSchemaRequest{}, &resp)
	if resp.Schema.MarkdownDescription == "" || len(resp.Schema.Attributes) != 3 {
		t.Fatalf("schema: %d attributes, description %q", len(resp.Schema.Attributes), resp.Schema.MarkdownDescription)
	}
	for name, a := range resp.Schema.Attributes {
		if len(a.GetMarkdownDescription()) < 40 {
			t.Errorf("%s: description %q", name, a.GetMarkdownDescription())
		}
	}
}
