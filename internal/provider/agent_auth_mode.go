package provider

import (
	"fmt"
	"sort"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// The auth modes of an agent, as the elevenlabs_agents data source reports them.
const (
	authModePublic      = "public"
	authModeSignedURL   = "signed_url"
	authModeAllowlist   = "allowlist"
	authModeConflicting = "conflicting"
)

// authModeDescription says how authMode derives the mode; schema descriptions use it.
const authModeDescription = "`conflicting` when `enable_auth` is true and the allowlist is non-empty (both methods " +
	"on, which ElevenLabs' one-method-per-agent rule forbids and `elevenlabs_agent_auth` refuses); else `signed_url` " +
	"when `enable_auth` is true; else `allowlist` when the allowlist is non-empty; else `public` (anyone who knows " +
	"the agent id can start conversations). `require_origin_header` does not change the mode."

// authMode is the one rule for an agent's mode: see authModeDescription.
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

// apiAuth is an agent's platform_settings.auth as the API reports it, with a
// missing block read as the API defaults.
type apiAuth struct {
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
	auth := agent.Auth()
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

// sortedHosts returns the allowlist sorted.
func (a apiAuth) sortedHosts() []string {
	s := append([]string{}, a.hosts...)
	sort.Strings(s)
	return s
}

// mode is authMode of these settings.
func (a apiAuth) mode() string { return authMode(a.enableAuth, len(a.hosts) > 0) }
