package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// agentIDExample is what the messages show an agent id to look like.
const agentIDExample = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"

// agentIDWhere says what an agent id is and where to find one.
const agentIDWhere = "An agent id is agent_ followed by 28 lower-case letters and digits (older agents have 20-character " +
	"ids). Find it in the ElevenLabs dashboard, on the agent's page, whose URL ends with it, or list the id of every " +
	"agent of the workspace with the elevenlabs_agents data source: " +
	"[for a in data.elevenlabs_agents.all.agents : a.agent_id]."

// checkAgentID reports why id cannot be an agent id: elevenlabs.CheckAgentID,
// the one rule (ids are opaque, so only what would break the URL path is
// refused), with how to fix it.
func checkAgentID(id string) error {
	err := elevenlabs.CheckAgentID(id)
	var e *elevenlabs.AgentIDError
	if !errors.As(err, &e) {
		return err
	}
	switch e.Reason {
	case elevenlabs.AgentIDEmpty:
		return fmt.Errorf("%w; copy it from the agent's settings page or the API, e.g. %s", err, agentIDExample)
	case elevenlabs.AgentIDWhitespace:
		return fmt.Errorf("%w; remove it (agent ids look like %s)", err, agentIDExample)
	case elevenlabs.AgentIDControl:
		return fmt.Errorf("%w; remove it", err)
	}
	return fmt.Errorf("%w; give the bare id, not a URL or path (agent ids look like %s)", err, agentIDExample)
}

// agentIDRules states checkAgentID's rule in the descriptions of every agent_id.
var agentIDRules = fmt.Sprintf("Non-empty, at most %d bytes, without whitespace, `/`, `?` or `#`, and not `.` or `..`.",
	elevenlabs.MaxAgentIDLength)

// agentIDValidator applies checkAgentID.
var agentIDValidator validator.String = stringCheck{
	description: fmt.Sprintf("must be a non-empty agent id of at most %d bytes, without whitespace, '/', '?' or '#', "+
		"and not '.' or '..'", elevenlabs.MaxAgentIDLength),
	summary: "Invalid agent id",
	check:   checkAgentID,
}
