package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/hostname"
)

var _ function.Function = (*hostnameFromURLFunction)(nil)

// NewHostnameFromURLFunction is the provider::elevenlabs::hostname_from_url factory.
func NewHostnameFromURLFunction() function.Function { return &hostnameFromURLFunction{} }

type hostnameFromURLFunction struct{}

func (f *hostnameFromURLFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "hostname_from_url"
}

func (f *hostnameFromURLFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Turns a URL into the canonical allowlist entry.",
		MarkdownDescription: "Turns a URL (or a bare `host[:port][/path]`) into the entry that `elevenlabs_agent_auth.allowlist` " +
			"expects, the host as a browser writes it in the `Origin` header: in lower case, with the port kept unless it " +
			"is the scheme's default (80 for `http`/`ws`, 443 for `https`/`wss`); scheme, user info, path, query, " +
			"fragment and a trailing dot are dropped. Like a browser, it decodes percent-encoding and maps the host with " +
			"UTS #46 (IDNA): an internationalised name becomes its punycode form, full-width characters their ASCII " +
			"form, and zero-width characters and soft hyphens are dropped. `https://App.Example.com:443/login?x=1` gives " +
			"`app.example.com`; `http://localhost:3000/` gives `localhost:3000`; `https://bücher.example/` gives " +
			"`xn--bcher-kva.example`. Fails, naming the problem, when the URL has no valid host (wildcards, IPv6 " +
			"literals, `null`, names browsers refuse) or an unsupported scheme.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "url",
				MarkdownDescription: "The URL of a page that embeds the agent, e.g. `https://app.example.com/support`.",
			},
		},
		Return: function.StringReturn{},
	}
}

func (f *hostnameFromURLFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var raw string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &raw))
	if resp.Error != nil {
		return
	}
	host, err := hostname.FromURL(raw)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, host))
}
