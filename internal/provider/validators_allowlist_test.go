package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestHostnameValidator(t *testing.T) {
	const (
		bad  = "Error|Invalid allowlist hostname|"
		p    = " is not a valid allowlist hostname: "
		hint = ". Each entry is a host or host:port as the browser sends it in the Origin header, e.g. app.example.com or localhost:3000."
		idn  = "it is an internationalised name, which browsers send in its punycode (xn--) form"
		port = "Warning|Allowlist hostname with a default port|"
	)
	for _, tc := range []struct{ in, want string }{
		{"app.example.com", ""},
		{"localhost:3000", ""},
		{"my_app.example.com", ""},
		{"xn--bcher-kva.example", ""},
		{"https://App.Example.com/login", bad + `"https://App.Example.com/login"` + p + `it includes a scheme ("https://"); use "app.example.com".`},
		{"*.example.com", bad + `"*.example.com"` + p + `wildcards are not supported; list each hostname separately` + hint},
		{"App.example.com", bad + `"App.example.com"` + p + `it contains upper case letters; use "app.example.com".`},
		{"bücher.example", bad + `"bücher.example"` + p + idn + `; use "xn--bcher-kva.example".`},
		{"xn--zz.example", bad + `"xn--zz.example"` + p + `the label "xn--zz" starts with "xn--" but is not valid punycode, so browsers refuse the name` + hint},
		{"null", bad + `"null"` + p + `"null" is the Origin browsers send from sandboxed iframes and file:// pages: it names no site (any such page anywhere sends it), so it cannot stand for yours; list the hostname of the page that embeds the agent` + hint},
		{"%2A.example.com", bad + `"%2A.example.com"` + p + `it contains percent-encoding ("%2A" stands for "*"), which browsers decode before they send the Origin; decoded, it is still invalid: wildcards are not supported; list each hostname separately` + hint},
		{"example.com\u200b", bad + `"example.com\u200b"` + p + `it contains an invisible character (U+200B ZERO WIDTH SPACE); use "example.com".`},
		{"exa\u00admple.com", bad + `"exa\u00admple.com"` + p + `it contains an invisible character (U+00AD SOFT HYPHEN); use "example.com".`},
		{"ａｐｐ.example.com", bad + `"ａｐｐ.example.com"` + p + `it contains "ａ" (U+FF41 FULLWIDTH LATIN SMALL LETTER A), which browsers read as "a"; use "app.example.com".`},
		{"example.com:443", port + `"example.com:443" only matches pages served over http on port 443: browsers leave the default port out of the Origin, so a page at https://example.com sends the Origin https://example.com, which matches the entry "example.com". If the page is served over https, list "example.com" instead.`},
		{"example.com:80", port + `"example.com:80" only matches pages served over https on port 80: browsers leave the default port out of the Origin, so a page at http://example.com sends the Origin http://example.com, which matches the entry "example.com". If the page is served over http, list "example.com" instead.`},
		{"example.com:8443", ""},
	} {
		if got := runString(hostnameValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		if got := runString(hostnameValidator, v); got != "" {
			t.Errorf("%s: %s", v, got)
		}
	}
}

// The diagnostics sit on the element's path, so the CLI points at the entry.
func TestHostnameValidatorPath(t *testing.T) {
	set := types.SetValueMust(types.StringType, []attr.Value{types.StringValue("example.com:443"), types.StringValue("null")})
	resp := &validator.SetResponse{}
	allowlistEntriesValidator().ValidateSet(context.Background(), validator.SetRequest{Path: path.Root("allowlist"), ConfigValue: set}, resp)
	var got []string
	for _, d := range resp.Diagnostics {
		got = append(got, d.Severity().String()+" "+d.(interface{ Path() path.Path }).Path().String())
	}
	want := `Warning allowlist[Value("example.com:443")],Error allowlist[Value("null")]`
	if strings.Join(got, ",") != want {
		t.Errorf("got %s, want %s", strings.Join(got, ","), want)
	}
}

func TestAllowlistSizeValidator(t *testing.T) {
	set := func(n int) types.Set {
		els := make([]attr.Value, n)
		for i := range els {
			els[i] = types.StringValue(strings.Repeat("a", i+1) + ".example.com")
		}
		return types.SetValueMust(types.StringType, els)
	}
	run := func(v types.Set) string {
		resp := &validator.SetResponse{}
		allowlistSizeValidator{}.ValidateSet(context.Background(), validator.SetRequest{Path: path.Root("allowlist"), ConfigValue: v}, resp)
		return diagText(resp.Diagnostics)
	}
	for n, want := range map[int]string{
		0:  "",
		10: "",
		11: "Error|Too many allowlist hostnames|The allowlist has 11 hostnames; ElevenLabs accepts at most 10 per agent. Remove 1, or use enable_auth = true (signed URLs) when more origins must reach the agent.",
		25: "Error|Too many allowlist hostnames|The allowlist has 25 hostnames; ElevenLabs accepts at most 10 per agent. Remove 15, or use enable_auth = true (signed URLs) when more origins must reach the agent.",
	} {
		if got := run(set(n)); got != want {
			t.Errorf("%d entries:\n got %s\nwant %s", n, got, want)
		}
	}
	if got := run(types.SetUnknown(types.StringType)); got != "" {
		t.Errorf("unknown: %s", got)
	}
}
