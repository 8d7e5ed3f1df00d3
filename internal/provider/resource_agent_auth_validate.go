package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ValidateConfig checks the rules that span attributes. Each rule runs only when
// the values it needs are known, so values from variables or other resources are
// never rejected early; Terraform validates again once they are known.
func (r *agentAuthResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg agentAuthModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	enableKnown := !cfg.EnableAuth.IsUnknown()
	enable := cfg.EnableAuth.ValueBool()
	allowKnown := !cfg.Allowlist.IsUnknown()
	hasAllow := allowlistNonEmpty(cfg.Allowlist)

	if enableKnown && enable && hasAllow {
		detail := "ElevenLabs allows one authentication method per agent: signed URLs (enable_auth = true) or a hostname " +
			"allowlist, never both. Choose signed URLs when a server you control can mint a URL for each conversation " +
			"(mobile apps, back ends, telephony); choose the allowlist for a browser widget on known sites. " +
			"Remove allowlist, or set enable_auth = false."
		resp.Diagnostics.AddAttributeError(path.Root("enable_auth"), "Conflicting authentication methods", detail)
		resp.Diagnostics.AddAttributeError(path.Root("allowlist"), "Conflicting authentication methods", detail)
	}
	if !cfg.RequireOriginHeader.IsUnknown() && cfg.RequireOriginHeader.ValueBool() && allowKnown && !hasAllow {
		resp.Diagnostics.AddAttributeError(path.Root("require_origin_header"), "require_origin_header needs an allowlist",
			"require_origin_header = true only has an effect with a non-empty allowlist: ElevenLabs ignores it otherwise. "+
				"Add the hostnames to allowlist, or remove require_origin_header.")
	}
	if enableKnown && !enable && allowKnown && !hasAllow && !cfg.AgentID.IsUnknown() {
		resp.Diagnostics.AddAttributeWarning(path.Root("enable_auth"), "Agent will be public",
			fmt.Sprintf("Neither enable_auth nor allowlist is set, so anyone who knows the agent id %s can start "+
				"conversations with it (and use its minutes). Set enable_auth = true to require signed URLs, or list "+
				"the browser origins in allowlist.", cfg.AgentID.ValueString()))
	}
}

// allowlistNonEmpty reports whether the set has elements (unknown elements count:
// a set with one element can never collapse to empty).
func allowlistNonEmpty(s types.Set) bool {
	return !s.IsNull() && !s.IsUnknown() && len(s.Elements()) > 0
}

// ModifyPlan warns before a destroy makes the agent public.
func (r *agentAuthResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var state agentAuthModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.AddWarning("Agent "+state.AgentID.ValueString()+" will become public",
		"Destroying elevenlabs_agent_auth resets the agent's auth to the ElevenLabs defaults (enable_auth = false, "+
			"empty allowlist), so anyone who knows the agent id can start conversations. The agent itself is not deleted. "+
			"If you only want Terraform to stop managing it, use a removed block (or terraform state rm) instead.")
}
