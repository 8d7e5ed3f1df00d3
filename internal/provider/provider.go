// Package provider implements the elevenlabs Terraform provider: its configuration;
// the elevenlabs_agent_auth resource, which sets how one existing agent is
// protected, and its list resource, which finds agents for terraform query; the
// elevenlabs_agents data source, the fleet view of every agent of the workspace
// with its auth mode, read by audits and bulk adoption; the elevenlabs_signed_url
// and elevenlabs_conversation_token ephemeral resources, which mint the
// credentials a client needs to reach a protected agent; and the
// hostname_from_url function. It speaks Terraform; HTTP is the job of
// internal/elevenlabs.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/providervalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/httplog"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// Options are test and demo hooks; the zero value is what users run.
type Options struct {
	// Now replaces the clock (for signed URL expiry).
	Now func() time.Time
	// RetryWaitMin and RetryWaitMax replace the client's backoff bounds.
	RetryWaitMin, RetryWaitMax time.Duration
}

// ElevenLabsProvider is the provider implementation.
type ElevenLabsProvider struct {
	version string
	opts    Options
}

var (
	_ provider.Provider                       = (*ElevenLabsProvider)(nil)
	_ provider.ProviderWithConfigValidators   = (*ElevenLabsProvider)(nil)
	_ provider.ProviderWithFunctions          = (*ElevenLabsProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*ElevenLabsProvider)(nil)
	_ provider.ProviderWithListResources      = (*ElevenLabsProvider)(nil)
)

// New returns a provider factory for the given version.
func New(version string) func() provider.Provider {
	return NewWithOptions(version, Options{})
}

// NewWithOptions is New with test hooks.
func NewWithOptions(version string, opts Options) func() provider.Provider {
	return func() provider.Provider { return &ElevenLabsProvider{version: version, opts: opts} }
}

// providerModel is the provider block.
type providerModel struct {
	APIKey         types.String `tfsdk:"api_key"`
	BaseURL        types.String `tfsdk:"base_url"`
	Residency      types.String `tfsdk:"residency"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	// RateLimitTimeout bounds how long one API call retries 429 answers.
	RateLimitTimeout types.String `tfsdk:"rate_limit_timeout"`
}

func (p *ElevenLabsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "elevenlabs"
	resp.Version = p.version
}

func (p *ElevenLabsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages who may start conversations with ElevenLabs conversational agents: " +
			"the `platform_settings.auth` block of existing agents, and short-lived signed conversation URLs.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "ElevenLabs API key, sent as the `xi-api-key` header. Falls back to the `" + EnvAPIKey +
					"` environment variable. The key needs the `convai_read` and `convai_write` scopes. Not needed for " +
					"`terraform validate`; needed as soon as a resource talks to the API. Prefer the environment variable " +
					"over a literal in configuration. No API answer carries the key: a successful answer that holds it, " +
					"raw or encoded (URL, JSON escapes, base64, base64url), is refused as a whole with an error, so that a " +
					"server or proxy that echoes it cannot put it in an agent's name, the state or the screen (checked " +
					"for a key of at least " + fmt.Sprint(elevenlabs.MinCheckedKey) + " characters; ElevenLabs keys are longer).",
			},
			"base_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "API root without `/v1`, for example a proxy. Falls back to the `" + EnvBaseURL +
					"` environment variable, then to `" + elevenlabs.DefaultBaseURL + "`. Must use `https`; plain `http` is " +
					"accepted only for loopback hosts (`127.0.0.1`, `::1`, `localhost`, for a local fake), since the API key " +
					"would otherwise travel in clear text. Conflicts with `residency`.",
				Validators: []validator.String{baseURLValidator},
			},
			"residency": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Data-residency region of the workspace, mapped to its official API host: " +
					residencyHostsDoc() + ". Residency workspaces " +
					"are separate: they have their own keys and agents. Conflicts with `base_url` and with the `" +
					EnvBaseURL + "` environment variable.",
				Validators: []validator.String{stringvalidator.OneOf(elevenlabs.ResidencyNames()...)},
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a 408 or 5xx answer or a "+
					"network error, with exponential backoff and jitter from 1s up to 60s, honouring `Retry-After`. "+
					"0 to %d; default %d. Every call the provider makes is safe to repeat, so all are retried alike. "+
					"A 429 (too many requests) is not counted here: see `rate_limit_timeout`.", maxMaxRetries, defaultMaxRetries),
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Timeout of one HTTP attempt as a Go duration string such as `30s` or "+
					"`2m`; above 0 and at most %s; default `%s`. Retries each get a fresh timeout.", maxRequestTimeout, defaultRequestTimeout),
				Validators: []validator.String{durationValidator},
			},
			"rate_limit_timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How long one API call keeps retrying while the API answers 429 (for example "+
					"`too_many_concurrent_requests`: ElevenLabs limits how many requests a workspace has in flight), counted "+
					"from the call's first 429, as a Go duration string such as `5m`; above 0 and at most %s; default `%s`. "+
					"A 429 means \"later\", so it is retried whatever `max_retries` says, after `Retry-After` when the API "+
					"sends one, else with exponential backoff and jitter from 1s up to 60s. When the next wait would end past "+
					"this budget, the call fails with the last 429. Independently, the provider lowers how many requests it "+
					"sends at once when the API answers 429, and raises it again as requests succeed, so a large "+
					"configuration or a high `-parallelism` converges on the workspace's limit.", maxRateLimitTimeout, defaultRateLimitTimeout),
				Validators: []validator.String{rateLimitTimeoutValidator},
			},
		},
	}
}

func (p *ElevenLabsProvider) ConfigValidators(context.Context) []provider.ConfigValidator {
	return []provider.ConfigValidator{
		providervalidator.Conflicting(path.MatchRoot("base_url"), path.MatchRoot("residency")),
	}
}

func (p *ElevenLabsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(cfg.checkKnown()...)
	baseURL, diags := cfg.baseURL()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	maxRetries := defaultMaxRetries
	if !cfg.MaxRetries.IsNull() {
		maxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	timeoutStr := defaultRequestTimeout
	if !cfg.RequestTimeout.IsNull() {
		timeoutStr = cfg.RequestTimeout.ValueString()
	}
	timeout, err := parseRequestTimeout(timeoutStr)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout", err.Error())
		return
	}
	rateLimitTimeout := defaultRateLimitTimeout
	if !cfg.RateLimitTimeout.IsNull() {
		if rateLimitTimeout, err = parseRateLimitTimeout(cfg.RateLimitTimeout.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("rate_limit_timeout"), "Invalid rate-limit timeout", err.Error())
			return
		}
	}
	apiKey := os.Getenv(EnvAPIKey)
	if !cfg.APIKey.IsNull() {
		apiKey = cfg.APIKey.ValueString()
	}

	data := &providerData{now: p.opts.Now, missingKey: apiKey == ""}
	if data.now == nil {
		data.now = time.Now
	}
	if !data.missingKey {
		// One set of known secrets for the client's errors and the HTTP log;
		// elevenlabs.New pins the key and the proxy credentials in it.
		secrets := redact.NewSecrets()
		client, err := elevenlabs.New(elevenlabs.Config{
			BaseURL:          baseURL,
			APIKey:           apiKey,
			UserAgent:        elevenlabs.UserAgent(p.version, req.TerraformVersion),
			MaxRetries:       maxRetries,
			RequestTimeout:   timeout,
			RateLimitTimeout: rateLimitTimeout,
			RetryWaitMin:     p.opts.RetryWaitMin,
			RetryWaitMax:     p.opts.RetryWaitMax,
			Transport:        func(next http.RoundTripper) http.RoundTripper { return httplog.New(next, secrets) },
			Secrets:          secrets,
		})
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid API base URL", err.Error())
			return
		}
		data.client = client
	}
	tflog.Debug(ctx, "configured ElevenLabs provider", map[string]any{
		"base_url": baseURL, "max_retries": maxRetries, "request_timeout": timeout.String(),
		"rate_limit_timeout": rateLimitTimeout.String(), "api_key_set": !data.missingKey,
	})
	resp.ResourceData = data
	resp.EphemeralResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// checkKnown refuses unknown values: the provider never falls back to a default
// (say, the global host) for a value it cannot see yet.
func (cfg providerModel) checkKnown() diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range []struct {
		name  string
		value interface{ IsUnknown() bool }
	}{
		{"api_key", cfg.APIKey}, {"base_url", cfg.BaseURL}, {"residency", cfg.Residency},
		{"max_retries", cfg.MaxRetries}, {"request_timeout", cfg.RequestTimeout}, {"rate_limit_timeout", cfg.RateLimitTimeout},
	} {
		if a.value.IsUnknown() {
			diags.AddAttributeError(path.Root(a.name), "Unknown provider "+a.name,
				"The provider cannot be configured because "+a.name+" is not known until apply (it comes from a resource "+
					"that is not created yet). The provider will not guess a default for it. Set it from a literal, a "+
					"variable or a data source, or apply the resource it depends on first with -target.")
		}
	}
	return diags
}

// baseURL picks the API host: residency, else base_url, else ELEVENLABS_BASE_URL,
// else the global host; a user-given URL must pass checkBaseURL.
func (cfg providerModel) baseURL() (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	env := os.Getenv(EnvBaseURL)
	var raw, from string
	switch {
	case cfg.Residency.IsUnknown() || cfg.BaseURL.IsUnknown():
		return "", nil // reported by checkKnown
	case !cfg.Residency.IsNull():
		if env != "" {
			diags.AddAttributeError(path.Root("residency"), "Conflicting API host settings",
				fmt.Sprintf("residency = %q and the %s environment variable both choose the API host. Unset %s, or remove residency.",
					cfg.Residency.ValueString(), EnvBaseURL, EnvBaseURL))
		}
		host, _ := elevenlabs.ResidencyBaseURL(cfg.Residency.ValueString()) // the validator refused unknown values
		return host, diags
	case !cfg.BaseURL.IsNull():
		raw, from = cfg.BaseURL.ValueString(), "base_url"
	case env != "":
		raw, from = env, "the "+EnvBaseURL+" environment variable"
	default:
		return elevenlabs.DefaultBaseURL, nil
	}
	if err := checkBaseURL(raw); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Invalid API base URL", "From "+from+": "+err.Error())
	}
	return raw, diags
}

func (p *ElevenLabsProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewAgentAuthResource}
}

func (p *ElevenLabsProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{NewSignedURLEphemeralResource, NewConversationTokenEphemeralResource}
}

func (p *ElevenLabsProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewAgentsDataSource}
}

func (p *ElevenLabsProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewAgentAuthListResource}
}

func (p *ElevenLabsProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{NewHostnameFromURLFunction}
}
