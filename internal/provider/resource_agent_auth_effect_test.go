package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccAgentAuth_settingsTakeEffect proves through the fake's conversation-start
// endpoint that each mode the resource applies does what it says.
func TestAccAgentAuth_settingsTakeEffect(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("effect")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Public before Terraform touches it.
					if err := e.expectConnect(id, "https://anyone.example.org", connected, "")(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = %q
  allowlist = ["app.example.com", "localhost:3000"]
}`, id),
				Check: resource.ComposeTestCheckFunc(
					e.expectConnect(id, "https://app.example.com", connected, ""),
					e.expectConnect(id, "http://localhost:3000", connected, ""),
					e.expectConnect(id, "http://localhost:3001", 403, fakeapi.ReasonOriginNotAllowed),
					e.expectConnect(id, "https://evil.example.net", 403, fakeapi.ReasonOriginNotAllowed),
					e.expectConnect(id, "", connected, ""), // no Origin header: allowed until require_origin_header
				),
			},
			{
				Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id              = %q
  allowlist             = ["app.example.com"]
  require_origin_header = true
}`, id),
				Check: resource.ComposeTestCheckFunc(
					e.expectConnect(id, "https://app.example.com", connected, ""),
					e.expectConnect(id, "", 403, fakeapi.ReasonOriginRequired),
				),
			},
			{
				Config: e.providerBlock() + signedModeResource(id),
				Check: resource.ComposeTestCheckFunc(
					e.expectConnect(id, "", 403, fakeapi.ReasonSignatureRequired),
					e.expectConnect(id, "https://app.example.com", 403, fakeapi.ReasonSignatureRequired),
				),
			},
			{
				Config:  e.providerBlock() + signedModeResource(id),
				Destroy: true,
				Check:   e.expectConnect(id, "https://anyone.example.org", connected, ""),
			},
		},
	})
}
