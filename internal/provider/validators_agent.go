package provider

import (
	"fmt"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// checkAgentID reports why id cannot be an agent id. Ids are opaque (CONTRACT.md, Conventions:
// "agent_" plus 28 characters, older ones 20), so only what would break the URL
// path is refused.
func checkAgentID(id string) error {
	if id == "" {
		return fmt.Errorf("the agent id is empty; copy it from the agent's settings page or the API, e.g. agent_3701k3ttaq12ewp8b7qv5rfyszkz")
	}
	for _, r := range id {
		switch {
		case unicode.IsSpace(r):
			return fmt.Errorf("agent id %q contains whitespace; remove it (agent ids look like agent_3701k3ttaq12ewp8b7qv5rfyszkz)", id)
		case r == '/' || r == '?' || r == '#':
			return fmt.Errorf("agent id %q contains %q; give the bare id, not a URL or path (agent ids look like agent_3701k3ttaq12ewp8b7qv5rfyszkz)", id, r)
		case !unicode.IsPrint(r):
			return fmt.Errorf("agent id %q contains a control character; remove it", id)
		}
	}
	return nil
}

// agentIDValidator applies checkAgentID.
var agentIDValidator validator.String = stringCheck{
	description: "must be a non-empty agent id without whitespace, '/', '?' or '#'",
	summary:     "Invalid agent id",
	check:       checkAgentID,
}
