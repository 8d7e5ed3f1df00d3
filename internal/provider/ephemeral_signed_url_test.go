package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

func TestAccSignedURL_mintsAndOpensConversation(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("signed")
	e.fake.SetAuth(id, fakeAuth(true, false))
	mintedAt := e.clock.Now()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   ephemeralVersions,
		Steps: []resource.TestStep{{
			Config: e.echoEphemeral("elevenlabs_signed_url", id, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", echoData("expires_at"),
					knownvalue.StringExact(mintedAt.Add(15*time.Minute).UTC().Format(time.RFC3339))),
				statecheck.ExpectKnownValue("echo.test", echoData("include_conversation_id"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("echo.test", echoData("check_agent_auth"), knownvalue.Bool(false)),
			},
			Check: func(s *terraform.State) error {
				u, err := echoAttr(s, "signed_url")
				if err != nil {
					return err
				}
				if !strings.HasPrefix(u, "ws://") || !strings.Contains(u, "agent_id="+id) || !strings.Contains(u, "conversation_signature=") {
					return fmt.Errorf("signed_url %q does not look like the API's", u)
				}
				// Unsigned: refused. Signed: accepted, until the clock passes expires_at.
				if err := e.connectAs(strings.SplitN(u, "&", 2)[0], "", 403, fakeapi.ReasonSignatureRequired); err != nil {
					return fmt.Errorf("unsigned: %w", err)
				}
				if err := e.connectAs(u, "", connected, ""); err != nil {
					return fmt.Errorf("signed, within 15 minutes: %w", err)
				}
				e.clock.Advance(15*time.Minute + time.Second)
				if err := e.connectAs(u, "", 403, fakeapi.ReasonSignatureExpired); err != nil {
					return fmt.Errorf("signed, after expires_at: %w", err)
				}
				return nil
			},
		}},
	})
}

func TestAccSignedURL_passesOptions(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("options")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   ephemeralVersions,
		Steps: []resource.TestStep{{
			Config: e.echoEphemeral("elevenlabs_signed_url", id, `
  include_conversation_id = true
  branch_id               = "agtbrch_123"
  environment             = "staging"`),
			Check: e.checkQueries(fakeapi.RouteSignedURL,
				"include_conversation_id=true", "branch_id=agtbrch_123", "environment=staging", "agent_id="+id),
		}},
	})
}

func TestAccSignedURL_errors(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   ephemeralVersions,
		Steps: []resource.TestStep{
			{
				Config: e.echoEphemeral("elevenlabs_signed_url", "agent_doesnotexist", ""),
				ExpectError: msgRE(`Could not mint a signed URL for agent agent_doesnotexist`,
					`returned 404 Not Found: agent_not_found`, `No agent with this id exists in the workspace of the API key`),
			},
			{
				Config: strings.Replace(e.echoEphemeral("elevenlabs_signed_url", "agent_x", ""), testAPIKey, "xi_bad_key", 1),
				ExpectError: msgRE(`Could not mint a signed URL for agent agent_x`,
					`returned 401 Unauthorized: invalid_api_key`, `Check the API key (api_key or ELEVENLABS_API_KEY)`),
			},
		},
	})
}

func TestAccSignedURL_checkAgentAuthWarnsOnlyWhenAsked(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("public but signed")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   ephemeralVersions,
		Steps: []resource.TestStep{{
			Config: e.echoEphemeral("elevenlabs_signed_url", id, ""),
			Check: func(*terraform.State) error {
				if n := e.fake.Count("GET", fakeapi.RouteAgent); n != 0 {
					return fmt.Errorf("minting read the agent %d times; the hot path must make one call", n)
				}
				return nil
			},
		}, {
			Config: e.echoEphemeral("elevenlabs_signed_url", id, "check_agent_auth = true"),
			Check: func(*terraform.State) error {
				if n := e.fake.Count("GET", fakeapi.RouteAgent); n == 0 {
					return fmt.Errorf("check_agent_auth did not read the agent")
				}
				return nil
			},
		}},
	})
}

func TestAccSignedURL_passesVersionID(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("version")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   ephemeralVersions,
		Steps: []resource.TestStep{{
			Config: e.echoEphemeral("elevenlabs_signed_url", id, `version_id = "agtvrsn_456"`),
			Check:  e.checkQueries(fakeapi.RouteSignedURL, "agent_id="+id, "version_id=agtvrsn_456"),
		}},
	})
}
