package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func TestAccFunctionHostnameFromURL(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureFunctions},
		Steps: []resource.TestStep{
			{
				Config: `
output "bad" {
  value = provider::elevenlabs::hostname_from_url("ftp://files.example.com/x")
}`,
				ExpectError: msgRE(`Invalid function argument`, `ftp`),
			},
			{
				Config: `
output "bad" {
  value = provider::elevenlabs::hostname_from_url("null")
}`,
				ExpectError: msgRE(`Invalid function argument`, `cannot derive an allowlist hostname from "null": "null" is the Origin browsers send from sandboxed iframes and file:// pages`),
			},
			{
				Config: `
output "default_https_port" {
  value = provider::elevenlabs::hostname_from_url("https://App.Example.com:443/login?next=1#top")
}
output "other_port" {
  value = provider::elevenlabs::hostname_from_url("http://localhost:3000/")
}
output "default_http_port" {
  value = provider::elevenlabs::hostname_from_url("http://127.0.0.1:80")
}
output "bare" {
  value = provider::elevenlabs::hostname_from_url("www.example.com/path")
}
output "idn" {
  value = provider::elevenlabs::hostname_from_url("https://bücher.example/")
}
output "full_width" {
  value = provider::elevenlabs::hostname_from_url("https://ａｐｐ.example.com/")
}
output "underscore" {
  value = provider::elevenlabs::hostname_from_url("https://my_app.example.com/")
}
output "for_allowlist" {
  value = [for u in ["https://a.example.com/x", "https://b.example.com:8443"] : provider::elevenlabs::hostname_from_url(u)]
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("default_https_port", knownvalue.StringExact("app.example.com")),
					statecheck.ExpectKnownOutputValue("other_port", knownvalue.StringExact("localhost:3000")),
					statecheck.ExpectKnownOutputValue("default_http_port", knownvalue.StringExact("127.0.0.1")),
					statecheck.ExpectKnownOutputValue("bare", knownvalue.StringExact("www.example.com")),
					statecheck.ExpectKnownOutputValue("idn", knownvalue.StringExact("xn--bcher-kva.example")),
					statecheck.ExpectKnownOutputValue("full_width", knownvalue.StringExact("app.example.com")),
					statecheck.ExpectKnownOutputValue("underscore", knownvalue.StringExact("my_app.example.com")),
					statecheck.ExpectKnownOutputValue("for_allowlist", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("a.example.com"), knownvalue.StringExact("b.example.com:8443"),
					})),
				},
			},
		},
	})
}

func TestAccFunctionHostnameFromURL_feedsAllowlist(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("from urls")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureFunctions},
		Steps: []resource.TestStep{{
			Config: e.config(`
locals {
  pages = ["https://Shop.Example.com/checkout", "https://shop.example.com/help", "https://support.example.com:8443/chat"]
}
resource "elevenlabs_agent_auth" "test" {
  agent_id  = %q
  allowlist = [for u in local.pages : provider::elevenlabs::hostname_from_url(u)]
}`, id),
			Check: e.checkFakeAuth(id, false, []string{"shop.example.com", "support.example.com:8443"}, false),
		}},
	})
}
