package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

var (
	_ list.ListResource              = (*agentAuthListResource)(nil)
	_ list.ListResourceWithConfigure = (*agentAuthListResource)(nil)
)

// NewAgentAuthListResource is the elevenlabs_agent_auth list resource factory
// (terraform query).
func NewAgentAuthListResource() list.ListResource { return &agentAuthListResource{} }

type agentAuthListResource struct {
	data *providerData
}

type agentAuthListModel struct {
	Search   types.String `tfsdk:"search"`
	Archived types.Bool   `tfsdk:"archived"`
	AuthMode types.String `tfsdk:"auth_mode"`
}

func (r *agentAuthListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent_auth"
}

// authModeFilterValidator refuses an auth_mode that authMode never gives.
var authModeFilterValidator validator.String = stringCheck{
	description: "one of " + quotedList(authModes, "or"),
	summary:     "Invalid auth_mode",
	check: func(s string) error {
		for _, m := range authModes {
			if s == m {
				return nil
			}
		}
		return fmt.Errorf("%q is not an auth mode: use one of %s (the auth_mode of data.elevenlabs_agents), or leave "+
			"auth_mode out to list every agent", s, quotedList(authModes, "or"))
	},
}

// quotedList writes ss as "a", "b" or "c".
func quotedList(ss []string, conj string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

func (r *agentAuthListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the agents of the workspace for `terraform query` (HashiCorp Terraform; OpenTofu has no " +
			"`query`), including those no state manages, so that `elevenlabs_agent_auth` can adopt them: `terraform query " +
			"-generate-config-out=adopt.tf` writes an `import` block (by identity) and an `elevenlabs_agent_auth` block " +
			"that mirrors each agent's current settings, so that the next plan imports them and changes nothing. Each " +
			"result has the identity `agent_id`, the display name `name (agent_id)` and, with `include_resource = true` " +
			"(which `-generate-config-out` implies), the resource object an import of the agent reads; results come in the " +
			"list API's order. Requests: `ceil(N/" + fmt.Sprint(elevenlabs.MaxPageSize) + ")` list calls for `N` agents, " +
			"plus one GET per agent only when the auth settings are needed (`auth_mode` or the resource object), at most " +
			fmt.Sprint(elevenlabs.DefaultFanOut) + " at a time, with the provider's retries; the query stops at the `limit` " +
			"of the `list` block (Terraform's default: 100) without reading further. An agent the resource cannot mirror " +
			"(the `adoption_blocker` of `data.elevenlabs_agents`) is named in a warning with the reason and, when the " +
			"resource object is asked for, is no result, so that generated configuration always plans cleanly. An agent " +
			"whose GET answers 404 is left out with a warning (deleted during the query) only once a second reading of " +
			"the list, made only then, no longer has it; one still listed ends the query with an error naming it (at " +
			"most " + fmt.Sprint(elevenlabs.MaxNamed) + " agents, then how many more), since a 404 for an agent the API " +
			"lists would otherwise hide it from the query. That second reading sends no GET and stops as soon as every " +
			"agent that answered 404 is found; proving one gone takes the whole list (`ceil(N/" +
			fmt.Sprint(elevenlabs.MaxPageSize) + ")` list calls, whatever the `limit`). Any other failure ends the query " +
			"with an error. The key needs the `convai_read` scope.",
		Attributes: map[string]schema.Attribute{
			"search": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: searchDescription,
			},
			"archived": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: archivedDescription,
			},
			"auth_mode": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the agents in this mode, one of " + quotedList(authModes, "or") + ", derived " +
					"as the `auth_mode` of `data.elevenlabs_agents`: " + authModeDescription + " An agent whose mode is " +
					"`unknown` is a result only under `\"unknown\"`; under any other mode it is named in a warning, since it " +
					"may be in that mode, never left out in silence. `\"public\"` finds the agents anyone can talk to; an " +
					"audit gate on `data.elevenlabs_agents` fails on those and on the `unknown` ones. Checked by " +
					"`terraform validate -query`, with no API call. Omitted: every agent. Setting it reads each listed agent " +
					"(one GET each), since the list carries no auth settings.",
				Validators: []validator.String{authModeFilterValidator},
			},
		},
	}
}

func (r *agentAuthListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *agentAuthListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg agentAuthListModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	client := r.data.Client(&diags)
	if client == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit <= 0 {
		stream.Results = list.NoListResults // Terraform takes no result: ask for none
		return
	}
	opts := elevenlabs.WalkOptions{
		Filter: listFilter(cfg.Search, cfg.Archived),
		Read:   req.IncludeResource || cfg.AuthMode.ValueString() != "",
		Limit:  int(req.Limit),
	}
	stream.Results = func(push func(list.ListResult) bool) {
		// Terraform reads no event after the limit-th result, and WalkAgents
		// ends with what must still be said: the agents whose GET answered
		// 404, once the list read again confirms them deleted (warnings), or
		// the error of one still listed. So the result that reaches the limit
		// is pushed last, after the walk.
		var (
			kept int
			last *list.ListResult
		)
		err := client.WalkAgents(ctx, opts, func(a elevenlabs.ListedAgent) (keep, more bool) {
			result, ok := r.result(ctx, req, cfg.AuthMode.ValueString(), a)
			if !ok {
				return false, true
			}
			if keep = result.Identity != nil; keep {
				if kept++; kept == opts.Limit {
					last = &result
					return true, true // the limit ends the walk
				}
			}
			return keep, push(result)
		})
		switch {
		case err != nil:
			push(list.ListResult{Diagnostics: diag.Diagnostics{fleetError(err)}})
		case last != nil:
			push(*last)
		}
	}
}

// result is what the query reports about one listed agent, ok false for
// nothing (another auth_mode). A result without Identity carries only a
// warning naming the agent: Terraform shows it and writes no configuration
// for it.
func (r *agentAuthListResource) result(ctx context.Context, req list.ListRequest, mode string, a elevenlabs.ListedAgent) (list.ListResult, bool) {
	id, name := a.Summary.AgentID, agentDisplayName(a.Summary)
	if a.Deleted {
		return warningResult("Agent "+name+" was deleted while the query ran",
			"It was listed, then its GET answered 404 (agent not found), and the list, read again, no longer has it: "+
				"it is left out of the results."), true
	}
	res := req.NewListResult(ctx)
	res.DisplayName = name
	if a.Agent != nil {
		auth := authFromAPI(a.Agent)
		if auth.unreadable != "" && mode != "" && mode != authModeUnknown {
			// Its mode is not known, so it may be the mode asked for: said,
			// never dropped in silence.
			return warningResult(auth.unreadableWarning(name, "Its auth_mode is \"unknown\", so it is not among the "+
				"auth_mode = \""+mode+"\" results, and it may be in that mode: check it in the ElevenLabs dashboard, "+
				"or query with auth_mode = \"unknown\".")), true
		}
		if mode != "" && auth.mode() != mode {
			return list.ListResult{}, false
		}
		// The resource object is what an import reads (ImportState, then Read);
		// an agent whose settings cannot be read has none (adoptionBlocker).
		state := importedState(id)
		if auth.unreadable == "" {
			for _, d := range state.mirror(ctx, a.Agent) {
				// Warnings about the agent's allowlist, without the attribute path,
				// which names no attribute of the list block.
				if d.Severity() == diag.SeverityError {
					res.Diagnostics.AddError(d.Summary(), d.Detail())
				} else {
					res.Diagnostics.AddWarning(d.Summary(), d.Detail())
				}
			}
		}
		if blocker := auth.adoptionBlocker(); blocker != "" {
			summary := "Agent " + name + " cannot be adopted as it is"
			detail := "Its auth settings break the rules of elevenlabs_agent_auth: " + blocker + "."
			fix := " Fix it in the ElevenLabs dashboard and query again, or adopt it with an import block and the settings you want."
			if req.IncludeResource {
				left := warningResult(summary, detail+" It is not a result, so no configuration is generated for it."+fix)
				left.Diagnostics = append(res.Diagnostics, left.Diagnostics...)
				return left, true
			}
			res.Diagnostics.AddWarning(summary, detail+fix)
		}
		if req.IncludeResource {
			res.Diagnostics.Append(res.Resource.Set(ctx, state)...)
		}
	}
	res.Diagnostics.Append(res.Identity.Set(ctx, agentAuthIdentity{AgentID: types.StringValue(id)})...)
	return res, true
}

// warningResult is a result that only carries a warning.
func warningResult(summary, detail string) list.ListResult {
	return list.ListResult{Diagnostics: diag.Diagnostics{diag.NewWarningDiagnostic(summary, detail)}}
}

// agentDisplayName is "name (agent_id)", or the id alone for an agent without
// a name.
func agentDisplayName(s elevenlabs.AgentSummary) string {
	if s.Name == "" {
		return s.AgentID
	}
	return s.Name + " (" + s.AgentID + ")"
}
