package provider

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/hostname"
)

// The auth modes of an agent, as the elevenlabs_agents data source reports them.
const (
	authModePublic      = "public"
	authModeSignedURL   = "signed_url"
	authModeAllowlist   = "allowlist"
	authModeConflicting = "conflicting"
	// authModeUnknown is an agent whose auth settings cannot be read from the
	// API's answer (apiAuth.unreadable): never reported as public.
	authModeUnknown = "unknown"
)

// authModes are the modes an agent can have, in the order messages list them.
var authModes = []string{authModePublic, authModeSignedURL, authModeAllowlist, authModeConflicting, authModeUnknown}

// authModeDescription says how apiAuth.mode derives the mode; schema descriptions use it.
const authModeDescription = "`unknown` when the agent's auth settings cannot be read from the API's answer (no " +
	"`platform_settings`, no `platform_settings.auth`, or one of them null or of another type, or `enable_auth`, " +
	"`allowlist` or `require_origin_header` null or of the wrong type): such an agent is never reported as `public`, " +
	"it comes with a warning naming it and what is missing, `adoption_blocker` says why, and `enable_auth`, " +
	"`allowlist` and `require_origin_header` are null. Otherwise `conflicting` when `enable_auth` is true and the allowlist is non-empty (both methods " +
	"on, which ElevenLabs' one-method-per-agent rule forbids and `elevenlabs_agent_auth` refuses); else `signed_url` " +
	"when `enable_auth` is true; else `allowlist` when the allowlist is non-empty; else `public` (anyone who knows " +
	"the agent id can start conversations). `require_origin_header` does not change the mode."

// authMode is the one rule for the mode of readable settings: see
// authModeDescription.
func authMode(enableAuth, hasAllowlist bool) string {
	switch {
	case enableAuth && hasAllowlist:
		return authModeConflicting
	case enableAuth:
		return authModeSignedURL
	case hasAllowlist:
		return authModeAllowlist
	default:
		return authModePublic
	}
}

// apiAuth is an agent's platform_settings.auth as the API reports it.
type apiAuth struct {
	// unreadable says why the settings cannot be read from the answer
	// (elevenlabs.UnreadableAuthError); the other fields are then empty and
	// mean nothing.
	unreadable    string
	enableAuth    bool
	requireOrigin bool
	// hosts is the allowlist with each hostname once, in the API's order.
	hosts []string
	// dups lists the hostnames the API listed more than once, as displayHost shows them.
	dups []string
	// malformed describes the entries that are not {"hostname": string}, which
	// are left out of hosts ("entry 3 is 42").
	malformed []string
}

// authFromAPI reads the auth settings of agent.
func authFromAPI(agent *elevenlabs.Agent) apiAuth {
	auth, err := agent.Auth()
	var ue *elevenlabs.UnreadableAuthError
	if errors.As(err, &ue) {
		return apiAuth{unreadable: ue.Problem, hosts: []string{}}
	}
	out := apiAuth{enableAuth: auth.EnableAuth, requireOrigin: auth.RequireOriginHeader, hosts: []string{}}
	seen := map[string]bool{}
	for i, item := range auth.Allowlist {
		switch {
		case item.Malformed != "":
			out.malformed = append(out.malformed, fmt.Sprintf("entry %d is %s", i+1, item.Malformed))
		case seen[item.Hostname]:
			out.dups = append(out.dups, displayHost(item.Hostname))
		default:
			seen[item.Hostname] = true
			out.hosts = append(out.hosts, item.Hostname)
		}
	}
	return out
}

// displayHost shows a hostname from the API in a message; an empty one is
// written as "" so it is visible.
func displayHost(h string) string {
	if h == "" {
		return `"" (an empty hostname)`
	}
	return h
}

// malformedWarning is the summary and detail of the warning about the entries
// of agentID's allowlist that are not {"hostname": string}; outcome says what
// the caller does with them. Call it only when malformed is not empty.
func (a apiAuth) malformedWarning(agentID, outcome string) (summary, detail string) {
	return "Allowlist entries on agent " + agentID + " that are not hostnames",
		fmt.Sprintf(`The agent's allowlist on ElevenLabs holds entries that are not {"hostname": string}: %s. %s`,
			strings.Join(a.malformed, "; "), outcome)
}

// sortedHosts returns the allowlist sorted.
func (a apiAuth) sortedHosts() []string {
	s := append([]string{}, a.hosts...)
	sort.Strings(s)
	return s
}

// mode is authMode of these settings, or authModeUnknown when they cannot be read.
func (a apiAuth) mode() string {
	if a.unreadable != "" {
		return authModeUnknown
	}
	return authMode(a.enableAuth, len(a.hosts) > 0)
}

// unreadableWarning is the summary and detail of the warning about agentID,
// whose settings cannot be read; outcome says what the caller does about it.
// Call it only when unreadable is set.
func (a apiAuth) unreadableWarning(agentID, outcome string) (summary, detail string) {
	return "Auth settings of agent " + agentID + " cannot be read",
		"The API's answer about agent " + agentID + " has no auth settings the provider can read: " + a.unreadable + ". " + outcome
}

// adoptionBlockerDescription says when adoptionBlocker is set; schema
// descriptions use it.
var adoptionBlockerDescription = "Null when `elevenlabs_agent_auth` can hold the agent's current settings exactly as " +
	"they are, so a configuration that mirrors them imports the agent with no change (see the bulk adoption guide). " +
	"Otherwise why not, each reason once, joined by `; `: settings that cannot be read (`auth_mode` `unknown`), both " +
	"methods on (`auth_mode` `conflicting`), `require_origin_header` without an allowlist, more than " + strconv.Itoa(maxAllowlist) +
	" allowlist hostnames, or an allowlist hostname the resource refuses (upper case, a scheme, a path, a wildcard, an " +
	"internationalised name not in punycode, ...), quoted with the reason. Fix such an agent in the ElevenLabs dashboard, or adopt it with " +
	"the settings you want instead of a mirror."

// adoptionBlocker says why elevenlabs_agent_auth cannot hold these settings as
// they are (the rules of its configuration refuse them), or "" when it can.
// The rules are the resource's own: authMode, maxAllowlist and hostname.Validate
// (which allowlistEntryProblem words for the resource's diagnostics).
func (a apiAuth) adoptionBlocker() string {
	if a.unreadable != "" {
		return "its auth settings cannot be read from the API's answer (" + a.unreadable + "), so there is nothing to mirror: " +
			"read the agent again later, or check it in the ElevenLabs dashboard"
	}
	var why []string
	if a.mode() == authModeConflicting {
		why = append(why, "both methods are on (enable_auth and an allowlist), which the resource refuses: choose one")
	}
	if a.requireOrigin && len(a.hosts) == 0 {
		why = append(why, "require_origin_header is on without an allowlist")
	}
	if len(a.hosts) > maxAllowlist {
		why = append(why, fmt.Sprintf("%d allowlist hostnames, more than the %d the resource accepts", len(a.hosts), maxAllowlist))
	}
	for _, h := range a.sortedHosts() {
		if err := hostname.Validate(h); err != nil {
			why = append(why, err.Error())
		}
	}
	return strings.Join(why, "; ")
}
