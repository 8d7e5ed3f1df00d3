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

// TestAccSignedURL_checkedBeforeHandover answers get-signed-url (through the
// fake's fault hook) with URLs a client must not be handed: each is an error
// that names the problem; a well-formed URL on another host is handed over.
func TestAccSignedURL_checkedBeforeHandover(t *testing.T) {
	requireCLI(t, featureEphemeral)
	const sig = "c2lnbmF0dXJlLXNob3duLW5ldmVy"
	for name, tc := range map[string]struct {
		url     string // {host} is the fake's host:port, {agent} the agent id
		wantErr []string
	}{
		"javascript": {url: "javascript:alert('" + sig + "')",
			wantErr: []string{`The API answered with the signed URL javascript:***, which uses the scheme "javascript": only wss is accepted.`}},
		"plain http": {url: "http://{host}/v1/convai/conversation?agent_id={agent}&conversation_signature=" + sig,
			wantErr: []string{`signed URL http://{host}/v1/convai/conversation?agent_id={agent}&conversation_signature=***, which uses the scheme "http"`}},
		"ws elsewhere": {url: "ws://conversations.example.com/v1/convai/conversation?agent_id={agent}&conversation_signature=" + sig,
			wantErr: []string{`which uses ws to a host that is not loopback: the signature would travel in clear text`}},
		"no signature": {url: "ws://{host}/v1/convai/conversation?agent_id={agent}&sig=" + sig,
			wantErr: []string{`signed URL ws://{host}/v1/convai/conversation?agent_id={agent}&sig=***, which has no conversation_signature parameter`}},
		"other path": {url: "ws://{host}/v1/convai/agents?agent_id={agent}&conversation_signature=" + sig,
			wantErr: []string{`which is not on the conversation path /v1/convai/conversation`}},
		"other agent": {url: "ws://{host}/v1/convai/conversation?agent_id=agent_other&conversation_signature=" + sig,
			wantErr: []string{`which is not for agent {agent}`}},
		"another host": {url: "wss://conversations.example.com/v1/convai/conversation?agent_id={agent}&conversation_signature=" + sig},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			id := e.agent("checked")
			host := strings.TrimPrefix(e.url, "http://")
			fill := strings.NewReplacer("{host}", host, "{agent}", id).Replace
			signed := fill(tc.url)
			e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteSignedURL, Status: 200,
				Body: fmt.Sprintf(`{"signed_url":%q}`, signed)})
			step := resource.TestStep{Config: e.echoEphemeral("elevenlabs_signed_url", id, "")}
			if tc.wantErr != nil {
				want := []string{"Unusable signed URL for agent " + id}
				for _, w := range tc.wantErr {
					want = append(want, fill(w))
				}
				want = append(want, "so none was handed over. Check that base_url (or ELEVENLABS_BASE_URL) and residency name the ElevenLabs API")
				step.ExpectError = msgRE(want...)
			} else {
				step.ConfigStateChecks = []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", echoData("signed_url"), knownvalue.StringExact(signed)),
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: e.factories(),
				TerraformVersionChecks:   ephemeralVersions,
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}
