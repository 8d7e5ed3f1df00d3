package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The arguments elevenlabs_signed_url and elevenlabs_conversation_token share:
// both mint a credential to start one conversation with an agent.

func conversationAgentIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required: true,
		MarkdownDescription: "Id of the agent, e.g. `agent_3701k3ttaq12ewp8b7qv5rfyszkz`. Non-empty, without " +
			"whitespace, `/`, `?` or `#`.",
		Validators: []validator.String{agentIDValidator},
	}
}

func conversationBranchIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "Agent branch to converse with; passed to the API as is. Omit for the main branch.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func conversationVersionIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		MarkdownDescription: "Agent version to converse with; passed to the API as is. Omit for the branch's " +
			"current version.",
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func conversationEnvironmentAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "Agent environment; passed to the API as is. The API's default is `production`.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

// addMintError reports a failed mint on agent_id; what names the credential
// ("a signed URL", "a conversation token").
func addMintError(diags *diag.Diagnostics, what, agentID string, err error) {
	diags.AddAttributeError(path.Root("agent_id"), "Could not mint "+what+" for agent "+agentID, apiErrorDetail(err))
}
