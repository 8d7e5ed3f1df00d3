package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

var (
	_ ephemeral.EphemeralResource              = (*conversationTokenEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*conversationTokenEphemeral)(nil)
)

// NewConversationTokenEphemeralResource is the elevenlabs_conversation_token factory.
func NewConversationTokenEphemeralResource() ephemeral.EphemeralResource {
	return &conversationTokenEphemeral{}
}

type conversationTokenEphemeral struct {
	data *providerData
}

type conversationTokenModel struct {
	AgentID         types.String `tfsdk:"agent_id"`
	ParticipantName types.String `tfsdk:"participant_name"`
	BranchID        types.String `tfsdk:"branch_id"`
	VersionID       types.String `tfsdk:"version_id"`
	Environment     types.String `tfsdk:"environment"`
	Token           types.String `tfsdk:"token"`
	ConversationID  types.String `tfsdk:"conversation_id"`
	ExpiresAt       types.String `tfsdk:"expires_at"`
}

func (e *conversationTokenEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_conversation_token"
}

func (e *conversationTokenEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Mints a conversation token that lets a **WebRTC** client (the default transport for voice " +
			"in ElevenLabs' client SDKs) start one conversation with an agent whose `enable_auth` is `true`, without the " +
			"client ever holding the API key. WebSocket clients use `elevenlabs_signed_url` instead. The token is a " +
			"credential: as an ephemeral resource it is never written to the state or a plan file. A fresh token is " +
			"minted in every plan and every apply (one API call each time). Pass it on without state: to a write-only " +
			"argument (for example a secret store's `*_wo` attribute), a provider configuration, or a provisioner's " +
			"environment. Before it is handed over, the answer is checked: an answer without a token is an error; a " +
			"token whose `exp` claim is already past is handed over with a warning (see `expires_at`).",
		Attributes: map[string]schema.Attribute{
			"agent_id": conversationAgentIDAttribute(),
			"participant_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Name the client joins the conversation with; passed to the API as is. Omit to let " +
					"the API use the id of the key's user.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"branch_id":   conversationBranchIDAttribute(),
			"version_id":  conversationVersionIDAttribute(),
			"environment": conversationEnvironmentAttribute(),
			"token": schema.StringAttribute{
				Computed:  true,
				Sensitive: true,
				MarkdownDescription: "The token exactly as the API returned it (a JWT for the WebRTC session). " +
					"Sensitive; never stored.",
			},
			"conversation_id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Id of the conversation the token starts, as the API returned it; null if the " +
					"answer carried none.",
			},
			"expires_at": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "When the token stops being accepted, in RFC 3339 UTC, read from the token's own " +
					"`exp` claim (decoded, not verified). Null when the token is not a JWT or has no usable `exp`: the " +
					"API documents no lifetime, so none is assumed. A token whose `exp` is already past when it arrives " +
					"is handed over with a warning that shows the expiry and this machine's time, so that a clock skew " +
					"is visible.",
			},
		},
	}
}

func (e *conversationTokenEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *conversationTokenEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m conversationTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := e.data.Client(&resp.Diagnostics)
	if client == nil {
		return
	}
	agentID := m.AgentID.ValueString()
	tok, err := client.GetConversationToken(ctx, elevenlabs.ConversationTokenRequest{
		AgentID:         agentID,
		ParticipantName: m.ParticipantName.ValueString(),
		BranchID:        m.BranchID.ValueString(),
		VersionID:       m.VersionID.ValueString(),
		Environment:     m.Environment.ValueString(),
	})
	if err != nil {
		addMintError(&resp.Diagnostics, "a conversation token", agentID, err)
		return
	}
	m.Token = types.StringValue(tok.Token)
	m.ConversationID = types.StringNull()
	if tok.ConversationID != "" {
		m.ConversationID = types.StringValue(tok.ConversationID)
	}
	m.ExpiresAt = types.StringNull()
	if exp, ok := elevenlabs.TokenExpiry(tok.Token); ok {
		m.ExpiresAt = types.StringValue(exp.Format(time.RFC3339))
		if now := e.data.now(); !exp.After(now) {
			resp.Diagnostics.AddAttributeWarning(path.Root("expires_at"), "Conversation token for agent "+agentID+" already expired",
				fmt.Sprintf("The API returned a token whose exp claim is %s, which is not after this machine's clock: %s "+
					"(local time %s). The token was handed over, but a client will likely be refused with it. If this "+
					"machine's clock is off (clock skew), correct it (for example with NTP) and run again; otherwise run "+
					"again to mint a fresh token.", exp.Format(time.RFC3339), now.UTC().Format(time.RFC3339),
					now.Local().Format("2006-01-02 15:04:05 MST")))
		}
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
