package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

var (
	_ datasource.DataSource              = (*agentsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*agentsDataSource)(nil)
)

// NewAgentsDataSource is the elevenlabs_agents data source factory.
func NewAgentsDataSource() datasource.DataSource { return &agentsDataSource{} }

type agentsDataSource struct {
	data *providerData
}

type agentsDataSourceModel struct {
	Search   types.String     `tfsdk:"search"`
	Archived types.Bool       `tfsdk:"archived"`
	Agents   []agentItemModel `tfsdk:"agents"`
}

type agentItemModel struct {
	AgentID             string   `tfsdk:"agent_id"`
	Name                string   `tfsdk:"name"`
	Tags                []string `tfsdk:"tags"`
	Archived            bool     `tfsdk:"archived"`
	CreatedAt           string   `tfsdk:"created_at"`
	EnableAuth          *bool    `tfsdk:"enable_auth"`
	Allowlist           []string `tfsdk:"allowlist"`
	RequireOriginHeader *bool    `tfsdk:"require_origin_header"`
	AuthMode            string   `tfsdk:"auth_mode"`
	AdoptionBlocker     *string  `tfsdk:"adoption_blocker"`
}

func (d *agentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agents"
}

func (d *agentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every conversational agent of the workspace that the API key belongs to, with its auth " +
			"settings and `auth_mode`, including agents that no Terraform state manages (created in the dashboard, say). " +
			"Use it to fail CI unless every agent is protected (a `postcondition` or a `check` block), and to adopt existing " +
			"agents with `import` blocks. Each read lists the agents page by page (" + fmt.Sprint(elevenlabs.MaxPageSize) +
			" per page) and reads each agent once, since the list carries no auth settings (the GETs of a page start while the next " +
			"page is read): `ceil(N/" +
			fmt.Sprint(elevenlabs.MaxPageSize) + ")` list calls (one at least) and `N` GETs for `N` agents, at most " +
			fmt.Sprint(elevenlabs.DefaultFanOut) + " at a time, with the provider's retries.\n\n" +
			"**The read fails closed**: an answer it cannot trust is an error or an agent reported as `unknown`, never " +
			"an empty or a clean fleet. A list page without an `agents` array or without `has_more`, or one whose " +
			"summaries lack a key the official SDK requires (`agent_id`, `name`, `voice_id`, `tags`, " +
			"`created_at_unix_secs`, `access_info`), or holds one of them null or of the wrong type, fails the read " +
			"naming the page, the agent and the key; only a well-formed `\"agents\": []` means no agents. The read also " +
			"fails, naming the agent or the page, on a failed GET, an answer about another agent, a list that repeats a " +
			"`next_cursor`, says `has_more` without one, " +
			"answers a page of more than " + fmt.Sprint(elevenlabs.MaxPageSize) + " agents, or " +
			"still has more after " + fmt.Sprint(elevenlabs.MaxListPages) + " pages, and a listed `agent_id` that " +
			"breaks the rule of every `agent_id` argument or holds a secret the provider knows (an echo of a token, a " +
			"signature or a proxy credential, shown masked; an answer that holds the API key anywhere is refused as a " +
			"whole, see the provider's `api_key`). " + agentIDRules + " An agent whose own answer has no auth " +
			"settings the provider can read is listed with `auth_mode = \"unknown\"` and a warning naming it and what " +
			"is missing, never as `public`: write gates as a positive condition on the protected modes (see " +
			"`examples/audit`), so that `unknown` fails them. An agent deleted between the list and its GET (a 404) " +
			"is left out with a warning naming it (the fleet changed during the read) once a second reading of the list, " +
			"made only then, confirms it is gone; one still listed fails the read, since a 404 for an agent the API lists " +
			"would otherwise shrink the fleet an audit passes on. That warning and that error name at most " +
			fmt.Sprint(elevenlabs.MaxNamed) + " agents, sorted by `agent_id`, then say how many more. The key needs " +
			"the `convai_read` scope.",
		Attributes: map[string]schema.Attribute{
			"search": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: searchDescription + " Filter on anything else in HCL, e.g. " +
					"`[for a in data.elevenlabs_agents.all.agents : a if contains(a.tags, \"prod\")]`.",
			},
			"archived": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: archivedDescription,
			},
			"agents": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The agents, sorted by `agent_id`.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"agent_id": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "Id of the agent; use it as `agent_id` of `elevenlabs_agent_auth`.",
						},
						"name": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "Name of the agent, as listed.",
						},
						"tags": schema.ListAttribute{
							ElementType:         types.StringType,
							Computed:            true,
							MarkdownDescription: "Tags of the agent, in the API's order; empty when it has none.",
						},
						"archived": schema.BoolAttribute{
							Computed:            true,
							MarkdownDescription: "Whether the agent is archived (`false` when the list omits it).",
						},
						"created_at": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "Creation time in RFC 3339, UTC (e.g. `2024-05-19T21:20:00Z`), from the list's `created_at_unix_secs`.",
						},
						"enable_auth": schema.BoolAttribute{
							Computed:            true,
							MarkdownDescription: "Signed-URL mode is on (`platform_settings.auth.enable_auth`; `false` when the auth block omits it, its documented default). Null when `auth_mode` is `unknown`.",
						},
						"allowlist": schema.ListAttribute{
							ElementType: types.StringType,
							Computed:    true,
							MarkdownDescription: "Hostnames of the allowlist, sorted, each once (a hostname the API lists twice " +
								"appears once); empty when there is none. An entry of the API's answer that is not a hostname " +
								"(not `{\"hostname\": string}`) is left out of `allowlist` and `auth_mode`, with a warning naming it. " +
								"Null when `auth_mode` is `unknown`.",
						},
						"require_origin_header": schema.BoolAttribute{
							Computed:            true,
							MarkdownDescription: "Connections without an `Origin` header are refused (only has an effect with a non-empty allowlist). Null when `auth_mode` is `unknown`.",
						},
						"auth_mode": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "One of `public`, `signed_url`, `allowlist`, `conflicting`, `unknown`: " + authModeDescription,
						},
						"adoption_blocker": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: adoptionBlockerDescription,
						},
					},
				},
			},
		},
	}
}

func (d *agentsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *agentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg agentsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := d.data.Client(&resp.Diagnostics)
	if client == nil {
		return
	}
	listed, deleted, err := client.ReadAllAgents(ctx, listFilter(cfg.Search, cfg.Archived), elevenlabs.DefaultFanOut)
	if err != nil {
		resp.Diagnostics.Append(fleetError(err))
		return
	}
	if len(deleted) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("agents"), fmt.Sprintf("%d agent(s) deleted during the read, left out", len(deleted)),
			"Listed, then answered 404 Not Found to their own GET, so they were deleted between the list and the read: "+
				elevenlabs.JoinIDs(deleted)+". They are not in agents. The fleet changed while it was read: run again for a settled view.")
	}
	sort.Slice(listed, func(i, j int) bool { return listed[i].Summary.AgentID < listed[j].Summary.AgentID })
	cfg.Agents = make([]agentItemModel, len(listed))
	for i, l := range listed {
		auth := authFromAPI(l.Agent)
		if auth.unreadable != "" {
			summary, detail := auth.unreadableWarning(l.Summary.AgentID, "It is listed with auth_mode \"unknown\" and null "+
				"enable_auth, allowlist and require_origin_header, never as public: a gate that requires a protected mode fails on it. "+
				"Run again; if this repeats, check that base_url points at the ElevenLabs API, and check the agent in the ElevenLabs dashboard.")
			resp.Diagnostics.AddAttributeWarning(path.Root("agents"), summary, detail)
		}
		if len(auth.malformed) > 0 {
			summary, detail := auth.malformedWarning(l.Summary.AgentID, "They are left out of this agent's allowlist "+
				"and auth_mode, which describe only its hostname entries.")
			resp.Diagnostics.AddAttributeWarning(path.Root("agents"), summary, detail)
		}
		cfg.Agents[i] = agentItem(l.Summary, auth)
	}
	tflog.Debug(ctx, "read agents", map[string]any{"agents": len(listed), "deleted": len(deleted)})
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// The search and archived arguments of the data source and of the list
// resource: passed to the list API as they are.
const (
	searchDescription = "Passed to the list API as its `search` parameter: the API keeps the agents whose " +
		"name matches (the fake used in this provider's tests matches a case-insensitive substring of the " +
		"name). Omitted or empty: every agent."
	archivedDescription = "Passed to the list API as its `archived` parameter: `true` lists archived agents, " +
		"`false` the others. Omitted: nothing is sent and the API's default applies, which its OpenAPI " +
		"document gives as `false` (archived agents are left out)."
)

// listFilter is the list API filter of the search and archived arguments.
func listFilter(search types.String, archived types.Bool) elevenlabs.ListFilter {
	f := elevenlabs.ListFilter{Search: search.ValueString()}
	if !archived.IsNull() {
		a := archived.ValueBool()
		f.Archived = &a
	}
	return f
}

// fleetError is the error of a failed list or agent read (ReadAllAgents,
// WalkAgents), naming the agent when one GET failed.
func fleetError(err error) diag.Diagnostic {
	var ae *elevenlabs.AgentError
	if errors.As(err, &ae) {
		return diag.NewErrorDiagnostic("Could not read the auth settings of agent "+ae.AgentID, apiErrorDetail(ae.Err))
	}
	return diag.NewErrorDiagnostic("Could not list the agents", apiErrorDetail(err))
}

// agentItem is one entry of agents: the summary's facts and the agent's auth.
func agentItem(s elevenlabs.AgentSummary, auth apiAuth) agentItemModel {
	tags := s.Tags
	if tags == nil {
		tags = []string{}
	}
	var blocker *string
	if why := auth.adoptionBlocker(); why != "" {
		blocker = &why
	}
	item := agentItemModel{
		AdoptionBlocker: blocker,
		AgentID:         s.AgentID,
		Name:            s.Name,
		Tags:            tags,
		Archived:        s.Archived,
		CreatedAt:       time.Unix(s.CreatedAtUnixSecs, 0).UTC().Format(time.RFC3339),
		AuthMode:        auth.mode(),
	}
	if auth.unreadable == "" {
		item.EnableAuth, item.RequireOriginHeader = &auth.enableAuth, &auth.requireOrigin
		item.Allowlist = auth.sortedHosts()
	}
	return item
}
