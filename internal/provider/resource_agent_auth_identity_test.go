package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccAgentAuth_identity: apply records the identity (agent_id) in the
// state, and an import block with that identity imports the agent with an
// empty plan. Skipped on CLIs without resource identity (scripts/test.sh
// allows that skip by name).
func TestAccAgentAuth_identity(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("identity")
	const res = "elevenlabs_agent_auth.test"
	config := e.providerBlock() + allowlistResource(id, "app.example.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureIdentity},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(res, map[string]knownvalue.Check{"agent_id": knownvalue.StringExact(id)}),
					statecheck.ExpectIdentityValueMatchesState(res, tfjsonpath.New("agent_id")),
				},
			},
			{ // import block with identity = { agent_id = ... }: no change, same identity
				Config:          config,
				ResourceName:    res,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				Check:           e.checkCount("PATCH", fakeapi.RouteAgent, 1),
			},
		},
	})
}

// TestAccCLI_importByIdentity imports with an import block that names the
// agent by identity, as a user writes it, then applies: the agent is adopted
// without a write, the state records the identity, and the next plan is empty.
// A bad identity is refused with the reason.
func TestAccCLI_importByIdentity(t *testing.T) {
	requireCLI(t, featureIdentity)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("adopted by identity")
	e.fake.SetAuth(id, fakeAuth(false, false, "app.example.com"))
	w.write(fmt.Sprintf(`
import {
  to       = elevenlabs_agent_auth.adopted
  identity = { agent_id = %q }
}
resource "elevenlabs_agent_auth" "adopted" {
  agent_id  = %q
  allowlist = ["app.example.com"]
}`, id, id))
	out := strings.Join(strings.Fields(w.mustRun(0, "plan")), " ")
	for _, want := range []string{
		"elevenlabs_agent_auth.adopted will be imported",
		"imported using resource identity",
		`"agent_id": "` + id + `"`,
		"Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	w.mustRun(0, "apply", "-auto-approve")
	var st struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address        string         `json:"address"`
					IdentityValues map[string]any `json:"identity"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(w.mustRun(0, "show", "-json")), &st); err != nil {
		t.Fatal(err)
	}
	if rs := st.Values.RootModule.Resources; len(rs) != 1 || fmt.Sprint(rs[0].IdentityValues) != fmt.Sprint(map[string]any{"agent_id": id}) {
		t.Errorf("state resources = %+v, want one with identity agent_id = %s", rs, id)
	}
	w.mustRun(0, "plan", "-detailed-exitcode")
	if n := e.fake.Count("PATCH", fakeapi.RouteAgent); n != 0 {
		t.Errorf("import by identity sent %d PATCH", n)
	}

	w.write(fmt.Sprintf(`
import {
  to       = elevenlabs_agent_auth.adopted
  identity = { agent_id = %q }
}
resource "elevenlabs_agent_auth" "adopted" {
  agent_id  = %q
  allowlist = ["app.example.com"]
}
import {
  to       = elevenlabs_agent_auth.bad
  identity = { agent_id = "agents/agent_x" }
}
resource "elevenlabs_agent_auth" "bad" {
  agent_id    = "agent_x"
  enable_auth = true
}
import {
  to       = elevenlabs_agent_auth.missing
  identity = { agent_id = "agent_missing" }
}
resource "elevenlabs_agent_auth" "missing" {
  agent_id    = "agent_missing"
  enable_auth = true
}`, id, id))
	out, code := w.run(nil, "plan")
	flat := strings.Join(strings.Fields(out), " ")
	if want := `Error: Invalid import identity Import elevenlabs_agent_auth by identity with identity = { agent_id = "agent_..." }: agent id "agents/agent_x" contains '/'; give the bare id, not a URL or path (agent ids look like agent_3701k3ttaq12ewp8b7qv5rfyszkz).`; code != 1 || !strings.Contains(flat, want) {
		t.Errorf("bad identity: exit %d, want 1 and %q:\n%s", code, want, out)
	}
	if want := "Error: Cannot import non-existent remote object"; !strings.Contains(flat, want) {
		t.Errorf("identity of a missing agent: want %q:\n%s", want, out)
	}
}
