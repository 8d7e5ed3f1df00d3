package provider

import (
	"encoding/json"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// TestAgentWithUnreadableAuthIsUnknownNeverPublic: the one classification
// (authFromAPI, mode, adoptionBlocker) reports an answer whose auth settings
// cannot be read as unknown, with the reason as its adoption blocker, never
// as public; readable settings keep their mode.
func TestAgentWithUnreadableAuthIsUnknownNeverPublic(t *testing.T) {
	for answer, want := range map[string]struct{ mode, blocker string }{
		`null`:                                {authModeUnknown, "the answer is null, not an agent"},
		`{"agent_id":"a"}`:                    {authModeUnknown, "the answer has no platform_settings"},
		`{"platform_settings":{}}`:            {authModeUnknown, "platform_settings has no auth"},
		`{"platform_settings":{"auth":null}}`: {authModeUnknown, "platform_settings.auth is null, not an object"},
		`{"platform_settings":{"auth":7}}`:    {authModeUnknown, "platform_settings.auth is a number, not an object"},
		`{"platform_settings":{"auth":{"enable_auth":"false"}}}`:                      {authModeUnknown, "platform_settings.auth.enable_auth is a string, not a boolean"},
		`{"platform_settings":{"auth":{"allowlist":null}}}`:                           {authModeUnknown, "platform_settings.auth.allowlist is null"},
		`{"platform_settings":{"auth":{}}}`:                                           {authModePublic, ""},
		`{"platform_settings":{"auth":{"enable_auth":true}}}`:                         {authModeSignedURL, ""},
		`{"platform_settings":{"auth":{"allowlist":[{"hostname":"a.example.com"}]}}}`: {authModeAllowlist, ""},
	} {
		var agent elevenlabs.Agent
		if err := json.Unmarshal([]byte(answer), &agent); err != nil {
			t.Fatalf("%s: %v", answer, err)
		}
		auth := authFromAPI(&agent)
		blocker := want.blocker
		if blocker != "" {
			blocker = "its auth settings cannot be read from the API's answer (" + blocker + "), so there is nothing to " +
				"mirror: read the agent again later, or check it in the ElevenLabs dashboard"
		}
		if got := auth.mode(); got != want.mode {
			t.Errorf("%s: mode %q, want %q", answer, got, want.mode)
		}
		if got := auth.adoptionBlocker(); got != blocker {
			t.Errorf("%s: adoption blocker\n got %q\nwant %q", answer, got, blocker)
		}
		if want.mode == authModeUnknown && (auth.enableAuth || len(auth.hosts) > 0 || auth.requireOrigin) {
			t.Errorf("%s: unreadable settings carry values: %+v", answer, auth)
		}
	}
}
