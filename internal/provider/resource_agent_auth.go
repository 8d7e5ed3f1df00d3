package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// maxAllowlist is the documented limit of allowlist entries per agent.
const maxAllowlist = 10

var (
	_ resource.Resource                   = (*agentAuthResource)(nil)
	_ resource.ResourceWithConfigure      = (*agentAuthResource)(nil)
	_ resource.ResourceWithImportState    = (*agentAuthResource)(nil)
	_ resource.ResourceWithValidateConfig = (*agentAuthResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*agentAuthResource)(nil)
	_ resource.ResourceWithIdentity       = (*agentAuthResource)(nil)
)

// NewAgentAuthResource is the elevenlabs_agent_auth resource factory.
func NewAgentAuthResource() resource.Resource { return &agentAuthResource{} }

type agentAuthResource struct {
	data *providerData
}

type agentAuthModel struct {
	ID                  types.String `tfsdk:"id"`
	AgentID             types.String `tfsdk:"agent_id"`
	EnableAuth          types.Bool   `tfsdk:"enable_auth"`
	Allowlist           types.Set    `tfsdk:"allowlist"`
	RequireOriginHeader types.Bool   `tfsdk:"require_origin_header"`
}

func (r *agentAuthResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_agent_auth"
}

func (r *agentAuthResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages who may start conversations with one existing ElevenLabs conversational agent: " +
			"its `platform_settings.auth` block. ElevenLabs allows **one method per agent**: signed URLs " +
			"(`enable_auth = true`) **or** a hostname `allowlist`, never both; with neither, the agent is public. " +
			"Only `enable_auth`, `allowlist` and `require_origin_header` are managed: every other agent setting, and the " +
			"server-set `shareable_token`, are never sent or changed. Destroying the resource resets auth to the API " +
			"defaults (public agent) and leaves the agent itself in place.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Same as `agent_id`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"agent_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Id of an existing agent, e.g. `agent_3701k3ttaq12ewp8b7qv5rfyszkz` (older agents have " +
					"20-character ids). " + agentIDRules + " Changing it replaces the resource: " +
					"the old agent's auth is reset to the defaults and the new agent's is set.",
				Validators:    []validator.String{agentIDValidator},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"enable_auth": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Signed-URL mode: conversations can only start from a URL minted with an API key " +
					"(see the `elevenlabs_signed_url` ephemeral resource), valid 15 minutes. Default `false`. Cannot be " +
					"`true` together with a non-empty `allowlist`.",
			},
			"allowlist": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: fmt.Sprintf("Hostnames allowed to start conversations, compared exactly with the "+
					"browser's `Origin` host. At most %d entries. Each entry is `host` or `host:port` (port 1-65535) exactly "+
					"as in the Origin header: lower case ASCII, no scheme, path, query, wildcard, percent-encoding, "+
					"whitespace, invisible characters or trailing dot; DNS labels of 1-63 letters, digits, hyphens or "+
					"underscores, the whole name at most 253 characters; IPv4 literals and `localhost` are allowed, `null` "+
					"(the Origin of sandboxed iframes and `file://` pages) is not. An internationalised name is written in "+
					"the punycode form browsers send (`xn--bcher-kva.example` for `bücher.example`), and every `xn--` label "+
					"must decode. Browsers leave the scheme's default port out of the Origin, so `example.com:443` only "+
					"matches http pages on port 443 (and `:80` only https on port 80): plan warns about such entries. Use "+
					"`provider::elevenlabs::hostname_from_url()` to derive an entry from a URL. Order does not matter. "+
					"Cannot be combined with `enable_auth = true`. Omitted or empty: no allowlist.", maxAllowlist),
				Validators: []validator.Set{allowlistSizeValidator{}, allowlistEntriesValidator()},
			},
			"require_origin_header": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Refuse connections that carry no `Origin` header (non-browser clients). Default " +
					"`false`. Only meaningful with a non-empty `allowlist`; `true` without one is an error.",
			},
		},
	}
}

// agentAuthIdentity is the resource identity: the agent id, which names the
// agent's auth settings for as long as the agent exists.
type agentAuthIdentity struct {
	AgentID types.String `tfsdk:"agent_id"`
}

// IdentitySchema lets CLIs with resource identity (Terraform >= 1.12) import
// by identity (an import block with identity = { agent_id = "..." }) and
// record the identity in the state. Older CLIs ignore it.
func (r *agentAuthResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"agent_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description: "Id of the agent whose auth settings the resource manages, e.g. " +
					"`agent_3701k3ttaq12ewp8b7qv5rfyszkz`: the same value as the `agent_id` argument. " + agentIDRules,
			},
		},
	}
}

// setIdentity records agentID as the identity when the CLI has identity
// support (id is nil otherwise).
func setIdentity(ctx context.Context, id *tfsdk.ResourceIdentity, agentID string) diag.Diagnostics {
	if id == nil {
		return nil
	}
	return id.Set(ctx, agentAuthIdentity{AgentID: types.StringValue(agentID)})
}

func (r *agentAuthResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *agentAuthResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(r.applyPlan(ctx, req.Plan, &resp.State, resp.Identity, "create")...)
}

func (r *agentAuthResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(r.applyPlan(ctx, req.Plan, &resp.State, resp.Identity, "update")...)
}

// applyPlan is Create and Update: one PATCH with the planned auth, the state
// from its answer.
func (r *agentAuthResource) applyPlan(ctx context.Context, p tfsdk.Plan, state *tfsdk.State, id *tfsdk.ResourceIdentity, op string) diag.Diagnostics {
	var plan agentAuthModel
	diags := p.Get(ctx, &plan)
	if diags.HasError() {
		return diags
	}
	diags.Append(r.apply(ctx, &plan, op)...)
	if diags.HasError() {
		return diags
	}
	diags.Append(state.Set(ctx, &plan)...)
	diags.Append(setIdentity(ctx, id, plan.AgentID.ValueString())...)
	return diags
}

// apply sends the planned auth in one PATCH and fills m from the answer.
func (r *agentAuthResource) apply(ctx context.Context, m *agentAuthModel, op string) diag.Diagnostics {
	var diags diag.Diagnostics
	client := r.data.Client(&diags)
	if client == nil {
		return diags
	}
	var hosts []string
	diags.Append(m.Allowlist.ElementsAs(ctx, &hosts, false)...)
	if diags.HasError() {
		return diags
	}
	agentID := m.AgentID.ValueString()
	agent, err := client.UpdateAgentAuth(ctx, agentID, authUpdate(m.EnableAuth.ValueBool(), hosts, m.RequireOriginHeader.ValueBool()))
	if err != nil {
		diags.AddAttributeError(path.Root("agent_id"), "Could not "+op+" the auth settings of agent "+agentID, apiErrorDetail(err))
		return diags
	}
	m.ID = types.StringValue(agentID)
	diags.Append(fillFromAPI(ctx, m, agent)...)
	return diags
}

func (r *agentAuthResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, client := r.stateAndClient(ctx, req.State, &resp.Diagnostics)
	if client == nil {
		return
	}
	agentID := state.AgentID.ValueString()
	// The identity is set even when the agent turns out to be gone: the
	// framework refuses a Read that returns no identity, also when it removes
	// the resource (as after importing an id that does not exist).
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, agentID)...)
	agent, err := client.GetAgent(ctx, agentID)
	if elevenlabs.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Agent "+agentID+" no longer exists",
			"The agent was not found on ElevenLabs (404), so elevenlabs_agent_auth is removed from the state. "+
				"The next plan proposes to create it; that fails unless an agent with this id exists again. "+
				"If the agent was deleted on purpose, remove the resource from the configuration.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("agent_id"), "Could not read the auth settings of agent "+agentID, apiErrorDetail(err))
		return
	}
	resp.Diagnostics.Append(state.mirror(ctx, agent)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if authMode(state.EnableAuth.ValueBool(), len(state.Allowlist.Elements()) > 0) == authModeConflicting {
		resp.Diagnostics.AddWarning("Agent "+agentID+" has both signed URLs and an allowlist",
			"Someone turned on enable_auth and an allowlist together outside Terraform, which ElevenLabs' one-method-per-agent "+
				"rule does not allow. The plan shows the difference; apply restores the configured method.")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// stateAndClient reads the prior state and the API client; client is nil when
// either failed, with the reason in diags.
func (r *agentAuthResource) stateAndClient(ctx context.Context, st tfsdk.State, diags *diag.Diagnostics) (agentAuthModel, *elevenlabs.Client) {
	var state agentAuthModel
	diags.Append(st.Get(ctx, &state)...)
	if diags.HasError() {
		return state, nil
	}
	return state, r.data.Client(diags)
}

func (r *agentAuthResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, client := r.stateAndClient(ctx, req.State, &resp.Diagnostics)
	if client == nil {
		return
	}
	agentID := state.AgentID.ValueString()
	_, err := client.UpdateAgentAuth(ctx, agentID, authUpdate(false, nil, false))
	if elevenlabs.IsNotFound(err) {
		tflog.Info(ctx, "agent already gone; nothing to reset", map[string]any{"agent_id": agentID})
		return
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("agent_id"), "Could not reset the auth settings of agent "+agentID, apiErrorDetail(err))
	}
}

// ImportState imports by the agent id: the import id (terraform import, or an
// import block's id) or, on CLIs with resource identity, the identity's
// agent_id (an import block's identity). Read then fills the rest. An empty
// import id comes with a null identity (the CLI sends one whenever it supports
// identity): that is an import by an empty id, answered with what an agent id
// is and where to find one.
func (r *agentAuthResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	agentID, summary, how := req.ID, "Invalid import id", "Import elevenlabs_agent_auth by the id of an existing agent, "+
		"e.g. terraform import elevenlabs_agent_auth.NAME "+agentIDExample+" (or id = \"...\" in an import block): "
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var ident agentAuthIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		agentID = ident.AgentID.ValueString()
		summary, how = "Invalid import identity", "Import elevenlabs_agent_auth by identity with identity = { agent_id = \"agent_...\" }: "
	}
	if err := checkAgentID(agentID); err != nil {
		why := err.Error()
		if agentID == "" {
			why = "the agent id is empty" // checkAgentID's own hint would repeat agentIDWhere
		}
		resp.Diagnostics.AddError(summary, how+why+". "+agentIDWhere)
		return
	}
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("agent_id"), path.Root("agent_id"), req, resp)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), agentID)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, agentID)...)
}

// authUpdate is the PATCH for the given settings: all three fields, the
// allowlist sorted so the request does not depend on set order.
func authUpdate(enable bool, hosts []string, requireOrigin bool) elevenlabs.AuthUpdate {
	sorted := append([]string(nil), hosts...)
	sort.Strings(sorted)
	items := make([]elevenlabs.AllowlistItem, 0, len(sorted))
	for _, h := range sorted {
		items = append(items, elevenlabs.AllowlistItem{Hostname: h})
	}
	return elevenlabs.AuthUpdate{EnableAuth: &enable, Allowlist: &items, RequireOriginHeader: &requireOrigin}
}

// importedState is the state ImportState leaves for agentID (agent_id and id
// set, the rest null), before Read fills it with mirror.
func importedState(agentID string) agentAuthModel {
	return agentAuthModel{
		ID: types.StringValue(agentID), AgentID: types.StringValue(agentID),
		EnableAuth: types.BoolNull(), Allowlist: types.SetNull(types.StringType), RequireOriginHeader: types.BoolNull(),
	}
}

// mirror is Read's state from the agent's GET answer: id and the auth
// settings as the API reports them (fillFromAPI).
func (m *agentAuthModel) mirror(ctx context.Context, agent *elevenlabs.Agent) diag.Diagnostics {
	m.ID = m.AgentID
	return fillFromAPI(ctx, m, agent)
}

// fillFromAPI copies the agent's auth into m as the API reports it. An empty
// allowlist keeps the form m had (null or empty set), so neither form flips.
// Duplicates and entries that are not {"hostname": string} are left out, each
// with a warning. Settings that cannot be read (auth_mode unknown) are an
// error: never read as public, which drift detection and import would report.
func fillFromAPI(ctx context.Context, m *agentAuthModel, agent *elevenlabs.Agent) diag.Diagnostics {
	var diags diag.Diagnostics
	auth := authFromAPI(agent)
	if auth.unreadable != "" {
		id := m.AgentID.ValueString()
		diags.AddAttributeError(path.Root("agent_id"), "Could not read the auth settings of agent "+id,
			"The API's answer about agent "+id+" has no auth settings the provider can read: "+auth.unreadable+". "+
				"The provider does not read such an answer as the API defaults (a public agent): that would report drift "+
				"that is not there, or import settings the agent may not have. Nothing was changed. Run the command again; "+
				"if this repeats, check that base_url (or "+EnvBaseURL+") points at the ElevenLabs API and not at a proxy "+
				"that rewrites its answers, and look at the agent's security settings in the ElevenLabs dashboard.")
		return diags
	}
	m.EnableAuth = types.BoolValue(auth.enableAuth)
	m.RequireOriginHeader = types.BoolValue(auth.requireOrigin)
	if len(auth.malformed) > 0 {
		summary, detail := auth.malformedWarning(m.AgentID.ValueString(), "They match no origin the provider can manage, "+
			"so they are left out of the state and no change is planned for them; the list is rewritten without them at "+
			"the next change of this resource.")
		diags.AddAttributeWarning(path.Root("allowlist"), summary, detail)
	}
	if len(auth.dups) > 0 {
		// A set cannot hold a host twice, and a duplicate allows no other origin,
		// so it is reported but plans no change.
		diags.AddAttributeWarning(path.Root("allowlist"), "Duplicate allowlist entries on agent "+m.AgentID.ValueString(),
			fmt.Sprintf("The agent's allowlist on ElevenLabs lists %s more than once (edited outside Terraform). "+
				"A duplicate allows no other origin, so no change is planned; the list is rewritten without it at the "+
				"next change of this resource.", strings.Join(auth.dups, ", ")))
	}
	if len(auth.hosts) == 0 {
		if m.Allowlist.IsNull() || m.Allowlist.IsUnknown() || len(m.Allowlist.Elements()) > 0 {
			m.Allowlist = types.SetNull(types.StringType)
		} else {
			m.Allowlist = types.SetValueMust(types.StringType, nil)
		}
		return diags
	}
	set, d := types.SetValueFrom(ctx, types.StringType, auth.hosts)
	diags.Append(d...)
	m.Allowlist = set
	return diags
}

// apiErrorDetail explains an API error to the user, with what to do about it.
func apiErrorDetail(err error) string {
	msg := err.Error()
	switch {
	case elevenlabs.IsResidencyMismatch(err):
		return msg + "\n\nThe API key and the API host belong to different regions. For a key of a data-residency " +
			"workspace, set residency on the provider (\"eu\", \"in\" or \"sg\") to the workspace's region; for a key of " +
			"the global platform, remove residency (or set it to \"global\" or \"us\") and any " + EnvBaseURL + " override."
	case elevenlabs.IsRedirect(err):
		return msg + "\n\nCheck base_url (or " + EnvBaseURL + ") and residency on the provider: they must name the " +
			"ElevenLabs API host of the workspace's region directly, not a host that redirects."
	case elevenlabs.IsUnauthorized(err):
		return msg + "\n\nCheck the API key (api_key or " + EnvAPIKey + "): it must belong to the workspace that owns the " +
			"agent (and its residency region) and have the convai_read and convai_write scopes."
	case elevenlabs.IsNotFound(err):
		return msg + "\n\nNo agent with this id exists in the workspace of the API key. Check agent_id, the key and the residency."
	case elevenlabs.IsRetriesExhausted(err):
		return msg + fmt.Sprintf("\n\nThe API failed every attempt (a server error, a timeout or a network problem). Run "+
			"again later; to retry more often, raise max_retries in the provider \"elevenlabs\" block (0 to %d, default %d), "+
			"and to give each attempt longer, request_timeout.", maxMaxRetries, defaultMaxRetries)
	case elevenlabs.IsRateLimited(err):
		return msg + "\n\nThe API kept answering 429 (too many requests) for longer than rate_limit_timeout allows (default " +
			defaultRateLimitTimeout.String() + "). Other jobs may be using the same workspace's concurrency limit: run again later, " +
			"lower -parallelism, or raise rate_limit_timeout in the provider \"elevenlabs\" block."
	}
	return msg
}
