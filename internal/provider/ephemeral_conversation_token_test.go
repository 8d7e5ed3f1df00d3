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

func TestAccConversationToken_mintsAWorkingToken(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("webrtc")
	e.fake.SetAuth(id, fakeAuth(true, false))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   ephemeralVersions,
		Steps: []resource.TestStep{{
			Config: e.echoEphemeral("elevenlabs_conversation_token", id, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				// The fake mints tokens valid for 15 minutes; expires_at is read from the token.
				statecheck.ExpectKnownValue("echo.test", echoData("expires_at"),
					knownvalue.StringExact(e.clock.Now().Add(fakeapi.DefaultTokenLifetime).UTC().Format(time.RFC3339))),
				statecheck.ExpectKnownValue("echo.test", echoData("participant_name"), knownvalue.Null()),
				statecheck.ExpectKnownValue("echo.test", echoData("version_id"), knownvalue.Null()),
			},
			Check: func(s *terraform.State) error {
				token, err := echoAttr(s, "token")
				if err != nil {
					return err
				}
				convID, err := echoAttr(s, "conversation_id")
				if err != nil {
					return err
				}
				// The token opens the WebRTC session (the fake's stand-in) of its conversation.
				claims, reason := e.fake.JoinWebRTC(token, id)
				if reason != "" || claims.ConversationID != convID {
					return fmt.Errorf("the minted token does not join conversation %s: %q %+v", convID, reason, claims)
				}
				if _, reason := e.fake.JoinWebRTC(token, e.agent("another")); reason != fakeapi.ReasonTokenInvalid {
					return fmt.Errorf("the token joined another agent's conversation: %q", reason)
				}
				e.clock.Advance(fakeapi.DefaultTokenLifetime)
				if _, reason := e.fake.JoinWebRTC(token, id); reason != fakeapi.ReasonTokenExpired {
					return fmt.Errorf("the token still joins at expires_at: %q", reason)
				}
				return nil
			},
		}},
	})
}

func TestAccConversationToken_passesOptions(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("options")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   ephemeralVersions,
		Steps: []resource.TestStep{{
			Config: e.echoEphemeral("elevenlabs_conversation_token", id, `
  participant_name = "Ada Lovelace"
  branch_id        = "agtbrch_123"
  version_id       = "agtvrsn_456"
  environment      = "staging"`),
			Check: resource.ComposeTestCheckFunc(
				e.checkQueries(fakeapi.RouteConversationToken, "agent_id="+id, "participant_name=Ada+Lovelace",
					"branch_id=agtbrch_123", "version_id=agtvrsn_456", "environment=staging"),
				func(*terraform.State) error {
					if n, minted := e.fake.Count("GET", fakeapi.RouteConversationToken), len(e.fake.Tokens()); n != minted {
						return fmt.Errorf("%d token requests, %d tokens minted", n, minted)
					}
					return nil
				}),
		}},
	})
}

func TestAccConversationToken_errors(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		TerraformVersionChecks:   ephemeralVersions,
		Steps: []resource.TestStep{
			{
				Config: e.echoEphemeral("elevenlabs_conversation_token", "agent_doesnotexist", ""),
				ExpectError: msgRE(`Could not mint a conversation token for agent agent_doesnotexist`,
					`returned 404 Not Found: agent_not_found`, `No agent with this id exists in the workspace of the API key`),
			},
			{
				Config: strings.Replace(e.echoEphemeral("elevenlabs_conversation_token", "agent_x", ""), testAPIKey, "xi_bad_key", 1),
				ExpectError: msgRE(`Could not mint a conversation token for agent agent_x`,
					`returned 401 Unauthorized: invalid_api_key`, `Check the API key (api_key or ELEVENLABS_API_KEY)`),
			},
			{
				Config:      e.echoEphemeral("elevenlabs_conversation_token", "agent x", ""),
				ExpectError: msgRE(`agent_id`),
			},
			{
				Config:      e.echoEphemeral("elevenlabs_conversation_token", "agent_x", `participant_name = ""`),
				ExpectError: msgRE(`participant_name`, `at least 1`),
			},
		},
	})
}

// TestAccConversationToken_hostileAnswers: an answer without a token fails
// with a message that names it; a token whose expiry cannot be read is still
// handed on, with expires_at null.
func TestAccConversationToken_hostileAnswers(t *testing.T) {
	// Checked once here, so that an older CLI skips this test, not each subtest
	// (scripts/test.sh allows skips by test name).
	requireCLI(t, featureEphemeral)
	for name, tc := range map[string]struct {
		body       string
		wantErr    string
		wantExpiry knownvalue.Check
		wantConvID knownvalue.Check
	}{
		"missing token":   {body: `{"conversation_id":"conv_1"}`, wantErr: `GET /v1/convai/conversation/token returned no token`},
		"token a number":  {body: `{"token":5,"conversation_id":"conv_1"}`, wantErr: `returned 200 with a body that is not the expected JSON`},
		"not a JWT":       {body: `{"token":"opaque-livekit-token","conversation_id":"conv_1"}`, wantExpiry: knownvalue.Null(), wantConvID: knownvalue.StringExact("conv_1")},
		"JWT without exp": {body: `{"token":"` + jwtWithClaims(`{"sub":"x"}`) + `","conversation_id":"conv_1"}`, wantExpiry: knownvalue.Null(), wantConvID: knownvalue.StringExact("conv_1")},
		"garbage exp":     {body: `{"token":"` + jwtWithClaims(`{"exp":"soon"}`) + `","conversation_id":"conv_1"}`, wantExpiry: knownvalue.Null(), wantConvID: knownvalue.StringExact("conv_1")},
		"no conversation": {body: `{"token":"` + jwtWithClaims(`{"exp":1800000000}`) + `"}`, wantExpiry: knownvalue.StringExact("2027-01-15T08:00:00Z"), wantConvID: knownvalue.Null()},
	} {
		t.Run(name, func(t *testing.T) {
			e := hostileTokenEnv(t, tc.body)
			step := resource.TestStep{Config: e.echoEphemeral("elevenlabs_conversation_token", "agent_x", "")}
			if tc.wantErr != "" {
				step.ExpectError = msgRE(`Could not mint a conversation token for agent agent_x`, tc.wantErr)
			} else {
				step.ConfigStateChecks = []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", echoData("expires_at"), tc.wantExpiry),
					statecheck.ExpectKnownValue("echo.test", echoData("conversation_id"), tc.wantConvID),
				}
				step.Check = func(s *terraform.State) error {
					token, err := echoAttr(s, "token")
					if err != nil || token == "" || !strings.Contains(tc.body, `"token":"`+token+`"`) {
						return fmt.Errorf("token %q (%v) is not the one the API sent", token, err)
					}
					return nil
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
