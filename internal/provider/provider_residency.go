package provider

import (
	"strings"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// residencies is the one table of the residency attribute: each value with its
// official API host, in documentation order (CONTRACT.md, Conventions). The
// validator, the host lookup and the attribute's description are built from it.
var residencies = []struct{ name, host string }{
	{"global", elevenlabs.DefaultBaseURL},
	{"us", "https://api.us.elevenlabs.io"},
	{"eu", "https://api.eu.residency.elevenlabs.io"},
	{"in", "https://api.in.residency.elevenlabs.io"},
	{"sg", "https://api.sg.residency.elevenlabs.io"},
}

// residencyNames lists the residency values in documentation order.
var residencyNames = func() []string {
	names := make([]string, len(residencies))
	for i, r := range residencies {
		names[i] = r.name
	}
	return names
}()

// ResidencyBaseURL is the API host of a residency value (global, us, eu, in,
// sg) and whether the value is known. The provider's residency attribute and
// tools outside the provider (scripts/testlive) both use it.
func ResidencyBaseURL(name string) (string, bool) {
	for _, r := range residencies {
		if r.name == name {
			return r.host, true
		}
	}
	return "", false
}

// residencyHostsDoc lists the values with their hosts for the attribute's description:
// "`global` (https://api.elevenlabs.io), `us` (...), ...".
func residencyHostsDoc() string {
	parts := make([]string, len(residencies))
	for i, r := range residencies {
		parts[i] = "`" + r.name + "` (" + r.host + ")"
	}
	return strings.Join(parts, ", ")
}

// residencyHostnames are the host names of the official API hosts: a signed
// URL on one of them is on the API's own host, whichever the provider talks to.
func residencyHostnames() []string {
	names := make([]string, len(residencies))
	for i, r := range residencies {
		names[i] = strings.TrimPrefix(r.host, "https://")
	}
	return names
}
