package provider

import (
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
