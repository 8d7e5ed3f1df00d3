package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

var (
	_ ephemeral.EphemeralResource              = (*signedURLEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*signedURLEphemeral)(nil)
)

// NewSignedURLEphemeralResource is the elevenlabs_signed_url factory.
func NewSignedURLEphemeralResource() ephemeral.EphemeralResource { return &signedURLEphemeral{} }

type signedURLEphemeral struct {
	data *providerData
}

type signedURLModel struct {
	AgentID               types.String `tfsdk:"agent_id"`
	IncludeConversationID types.Bool   `tfsdk:"include_conversation_id"`
	BranchID              types.String `tfsdk:"branch_id"`
	VersionID             types.String `tfsdk:"version_id"`
	Environment           types.String `tfsdk:"environment"`
	CheckAgentAuth        types.Bool   `tfsdk:"check_agent_auth"`
	SignedURL             types.String `tfsdk:"signed_url"`
	ExpiresAt             types.String `tfsdk:"expires_at"`
}

func (e *signedURLEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_signed_url"
}

func (e *signedURLEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Mints a signed WebSocket URL that lets a client start one conversation with an agent whose " +
			"`enable_auth` is `true`, without the client ever holding the API key (WebRTC clients use " +
			"`elevenlabs_conversation_token` instead). The URL is a credential: as an " +
			"ephemeral resource it is never written to the state or a plan file. A fresh URL is minted in every plan and " +
			"every apply (one API call each time), and each is valid for 15 minutes to **start** a conversation; a " +
			"conversation started in time may run longer. Pass it on without state: to a write-only argument (for " +
			"example a secret store's `*_wo` attribute), a provider configuration, or a provisioner's environment. " +
			"Before it is handed over, the URL is checked: scheme `wss` (`ws` only to a loopback host while `base_url` " +
			"is a loopback `http` URL, as with a local fake API), a host, the conversation path " +
			"`/v1/convai/conversation` (below `base_url`'s path for a proxy under a prefix), a non-empty " +
			"`conversation_signature`, the requested `agent_id` if it names one, and no user info or fragment. " +
			"Anything else is an error that shows the URL with its signature and every other query value masked, and " +
			"no URL is handed over. A URL on a host other than `base_url`'s and the official API hosts is handed over " +
			"with a warning naming both hosts.",
		Attributes: map[string]schema.Attribute{
			"agent_id": conversationAgentIDAttribute(),
			"include_conversation_id": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Ask the API to bind a conversation id to the URL. The signature then works only " +
					"**once**: a second connection with the same URL is refused. Default `false`.",
			},
			"branch_id":   conversationBranchIDAttribute(),
			"version_id":  conversationVersionIDAttribute(),
			"environment": conversationEnvironmentAttribute(),
			"check_agent_auth": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Also read the agent (one more API call) and warn when a signed URL is not what " +
					"protects it: `enable_auth` is off, so the agent is public or protected by an allowlist instead. " +
					"Default `false`: minting costs a single call.",
			},
			"signed_url": schema.StringAttribute{
				Computed:  true,
				Sensitive: true,
				MarkdownDescription: "The `wss://` URL exactly as the API returned it, carrying a `conversation_signature`, " +
					"once it passed the checks above. Sensitive; never stored.",
			},
			"expires_at": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "When the URL stops being accepted to start a conversation, in RFC 3339 UTC: the time " +
					"the provider asked for it plus 15 minutes (a conservative bound; the server's clock decides).",
			},
		},
	}
}

func (e *signedURLEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *signedURLEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m signedURLModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client := e.data.Client(&resp.Diagnostics)
	if client == nil {
		return
	}
	if m.IncludeConversationID.IsNull() {
		m.IncludeConversationID = types.BoolValue(false)
	}
	if m.CheckAgentAuth.IsNull() {
		m.CheckAgentAuth = types.BoolValue(false)
	}
	agentID := m.AgentID.ValueString()

	if m.CheckAgentAuth.ValueBool() {
		agent, err := client.GetAgent(ctx, agentID)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("agent_id"), "Could not read agent "+agentID, apiErrorDetail(err))
			return
		}
		if auth, err := agent.Auth(); err != nil {
			resp.Diagnostics.AddAttributeWarning(path.Root("agent_id"), "Could not check whether agent "+agentID+" requires signed URLs",
				"check_agent_auth: "+err.Error()+". The provider does not guess, so nothing is said about the agent's settings; "+
					"the signed URL is minted all the same.")
		} else if !auth.EnableAuth {
			detail := "The agent does not have enable_auth set, so it is public: a signed URL is not needed to talk to it."
			if len(auth.Allowlist) > 0 {
				detail = "The agent does not have enable_auth set: it is protected by a hostname allowlist, which a signed " +
					"URL does not bypass. Connections must still come from an allowed Origin."
			}
			resp.Diagnostics.AddAttributeWarning(path.Root("agent_id"), "Signed URL not required by agent "+agentID,
				detail+" Set enable_auth = true on its elevenlabs_agent_auth resource if signed URLs are intended.")
		}
	}

	mintedAt := e.data.now().UTC()
	signed, err := client.GetSignedURL(ctx, elevenlabs.SignedURLRequest{
		AgentID:               agentID,
		IncludeConversationID: m.IncludeConversationID.ValueBool(),
		BranchID:              m.BranchID.ValueString(),
		VersionID:             m.VersionID.ValueString(),
		Environment:           m.Environment.ValueString(),
	})
	if err != nil {
		addMintError(&resp.Diagnostics, "a signed URL", agentID, err)
		return
	}
	if !checkSignedURL(&resp.Diagnostics, client, signed, agentID) {
		return
	}
	m.SignedURL = types.StringValue(signed)
	m.ExpiresAt = types.StringValue(mintedAt.Add(elevenlabs.SignedURLLifetime).Format(time.RFC3339))
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}

// checkSignedURL checks a minted URL before it is handed over
// (elevenlabs.Client.CheckSignedURL): a URL a client cannot use safely is an
// error that shows it masked; one on a host other than the API's own (the
// base URL's, or an official API host) is handed over with a warning naming
// both hosts. It reports whether the URL may be handed over.
func checkSignedURL(diags *diag.Diagnostics, client *elevenlabs.Client, signed, agentID string) bool {
	check, err := client.CheckSignedURL(signed, agentID)
	var bad *elevenlabs.SignedURLError
	switch {
	case errors.As(err, &bad):
		diags.AddAttributeError(path.Root("agent_id"), "Unusable signed URL for agent "+agentID,
			fmt.Sprintf("The API answered with the signed URL %s, which %s. The provider hands over only a URL that a "+
				"client can use safely (wss, a host, the conversation path %s, a conversation_signature), so none was "+
				"handed over. Check that base_url (or %s) and residency name the ElevenLabs API, or a proxy that passes "+
				"its answers on unchanged; if they do, the API's answer has changed: please report it to the provider's "+
				"maintainers.", bad.Shown, bad.Problem, elevenlabs.ConversationPath, EnvBaseURL))
		return false
	case err != nil:
		diags.AddAttributeError(path.Root("agent_id"), "Unusable signed URL for agent "+agentID, err.Error())
		return false
	case check.OtherHost:
		diags.AddAttributeWarning(path.Root("agent_id"), "Signed URL for agent "+agentID+" on another host",
			fmt.Sprintf("The API minted a signed URL on the host %s, not on %s, the host the provider talks to, nor "+
				"on an official ElevenLabs API host. It was handed over: the API may serve conversations from another "+
				"host one day. Whoever answers the provider decides where clients connect, so if you do not expect "+
				"%s, check that base_url (or %s) and residency name the ElevenLabs API or a proxy you trust.",
				check.Host, check.BaseHost, check.Host, EnvBaseURL))
	}
	return true
}
