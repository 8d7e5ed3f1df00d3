package provider

import (
	"strings"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// residencyHostsDoc lists the regions of the client's one table
// (elevenlabs.Residencies) with their hosts, for the attribute's description:
// "`global` (https://api.elevenlabs.io), `us` (...), ...".
func residencyHostsDoc() string {
	parts := make([]string, len(elevenlabs.Residencies))
	for i, r := range elevenlabs.Residencies {
		parts[i] = "`" + r.Name + "` (" + r.BaseURL + ")"
	}
	return strings.Join(parts, ", ")
}
