package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// diagText renders diagnostics as "severity|summary|detail" lines.
func diagText(ds diag.Diagnostics) string {
	var lines []string
	for _, d := range ds {
		lines = append(lines, d.Severity().String()+"|"+d.Summary()+"|"+d.Detail())
	}
	return strings.Join(lines, "\n")
}

func runString(v validator.String, value types.String) string {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	return diagText(resp.Diagnostics)
}

func TestAgentIDValidator(t *testing.T) {
	const ex = "agent ids look like agent_3701k3ttaq12ewp8b7qv5rfyszkz"
	for _, tc := range []struct{ in, want string }{
		{"agent_3701k3ttaq12ewp8b7qv5rfyszkz", ""},
		{"J3Pbu5gP6NNKBscdCdwB", ""},
		{"agent_x", ""},
		{"", "Error|Invalid agent id|the agent id is empty; copy it from the agent's settings page or the API, e.g. agent_3701k3ttaq12ewp8b7qv5rfyszkz"},
		{"agent x", `Error|Invalid agent id|agent id "agent x" contains whitespace; remove it (` + ex + `)`},
		{"agent_x\n", `Error|Invalid agent id|agent id "agent_x\n" contains whitespace; remove it (` + ex + `)`},
		{"agents/agent_x", `Error|Invalid agent id|agent id "agents/agent_x" contains '/'; give the bare id, not a URL or path (` + ex + `)`},
		{"agent_x?x=1", `Error|Invalid agent id|agent id "agent_x?x=1" contains '?'; give the bare id, not a URL or path (` + ex + `)`},
		{"agent_x#top", `Error|Invalid agent id|agent id "agent_x#top" contains '#'; give the bare id, not a URL or path (` + ex + `)`},
		{"agent\x00x", `Error|Invalid agent id|agent id "agent\x00x" contains a control character; remove it`},
		{"..", `Error|Invalid agent id|agent id ".." is a path dot segment; give the bare id, not a URL or path (` + ex + `)`},
		{strings.Repeat("x", 129), `Error|Invalid agent id|agent id "` + strings.Repeat("x", 32) + `…" is longer than 128 bytes; give the bare id, not a URL or path (` + ex + `)`},
	} {
		if got := runString(agentIDValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		if got := runString(agentIDValidator, v); got != "" {
			t.Errorf("%s: %s", v, got)
		}
	}
}

func TestBaseURLAndDurationValidators(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://api.elevenlabs.io", ""},
		{"https://proxy.example.com/elevenlabs", ""},
		{"http://127.0.0.1:8080", ""},
		{"http://localhost:8080", ""},
		{"http://[::1]:8080", ""},
		{"http://api.elevenlabs.io", `Error|Invalid API base URL|"http://api.elevenlabs.io" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`},
		{"http://10.0.0.1", `Error|Invalid API base URL|"http://10.0.0.1" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`},
		{"api.elevenlabs.io", `Error|Invalid API base URL|"api.elevenlabs.io" is not an absolute http(s) URL; use the API root, for example https://api.elevenlabs.io`},
		{"ftp://api.elevenlabs.io", `Error|Invalid API base URL|"ftp://api.elevenlabs.io" is not an absolute http(s) URL; use the API root, for example https://api.elevenlabs.io`},
		{"https://api.elevenlabs.io/v1", `Error|Invalid API base URL|"https://api.elevenlabs.io/v1" ends in /v1: give the API root without the version, for example https://api.elevenlabs.io`},
		{"https://user:pw@api.elevenlabs.io", `Error|Invalid API base URL|"https://user:pw@api.elevenlabs.io" must not carry user info, a query or a fragment; use the API root, for example https://api.elevenlabs.io`},
	} {
		if got := runString(baseURLValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("base_url %q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"30s", ""},
		{"2m", ""},
		{"10m", ""},
		{"30", `Error|Invalid request timeout|"30" is not a duration; write it like "30s" or "2m"`},
		{"0s", `Error|Invalid request timeout|"0s" is out of range: use a duration above 0 and at most 10m0s`},
		{"11m", `Error|Invalid request timeout|"11m" is out of range: use a duration above 0 and at most 10m0s`},
		{"-1s", `Error|Invalid request timeout|"-1s" is out of range: use a duration above 0 and at most 10m0s`},
	} {
		if got := runString(durationValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("request_timeout %q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"5m", ""},
		{"30s", ""},
		{"1h", ""},
		{"5", `Error|Invalid rate-limit timeout|"5" is not a duration; write it like "30s" or "2m"`},
		{"0s", `Error|Invalid rate-limit timeout|"0s" is out of range: use a duration above 0 and at most 1h0m0s`},
		{"61m", `Error|Invalid rate-limit timeout|"61m" is out of range: use a duration above 0 and at most 1h0m0s`},
	} {
		if got := runString(rateLimitTimeoutValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("rate_limit_timeout %q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// validateConfig runs the resource's cross-attribute rules on a raw config.
func validateConfig(t *testing.T, enable, allow, require tftypes.Value) diag.Diagnostics {
	t.Helper()
	r := &agentAuthResource{}
	sresp := &resource.SchemaResponse{}
	r.Schema(context.Background(), resource.SchemaRequest{}, sresp)
	typ := sresp.Schema.Type().TerraformType(context.Background())
	raw := tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":                    tftypes.NewValue(tftypes.String, nil),
		"agent_id":              tftypes.NewValue(tftypes.String, "agent_x"),
		"enable_auth":           enable,
		"allowlist":             allow,
		"require_origin_header": require,
	})
	resp := &resource.ValidateConfigResponse{}
	r.ValidateConfig(context.Background(), resource.ValidateConfigRequest{Config: tfsdk.Config{Raw: raw, Schema: sresp.Schema}}, resp)
	return resp.Diagnostics
}

func TestValidateConfigRules(t *testing.T) {
	setT := tftypes.Set{ElementType: tftypes.String}
	b := func(v any) tftypes.Value { return tftypes.NewValue(tftypes.Bool, v) }
	hosts := func(hs ...string) tftypes.Value {
		vals := []tftypes.Value{}
		for _, h := range hs {
			vals = append(vals, tftypes.NewValue(tftypes.String, h))
		}
		return tftypes.NewValue(setT, vals)
	}
	unknownSet := tftypes.NewValue(setT, tftypes.UnknownValue)
	nullSet := tftypes.NewValue(setT, nil)
	unknownBool := b(tftypes.UnknownValue)
	const both = "Error|Conflicting authentication methods|ElevenLabs allows one authentication method per agent: signed URLs (enable_auth = true) or a hostname allowlist, never both. Choose signed URLs when a server you control can mint a URL for each conversation (mobile apps, back ends, telephony); choose the allowlist for a browser widget on known sites. Remove allowlist, or set enable_auth = false."
	const needsAllow = "Error|require_origin_header needs an allowlist|require_origin_header = true only has an effect with a non-empty allowlist: ElevenLabs ignores it otherwise. Add the hostnames to allowlist, or remove require_origin_header."
	const public = "Warning|Agent will be public|Neither enable_auth nor allowlist is set, so anyone who knows the agent id agent_x can start conversations with it (and use its minutes). Set enable_auth = true to require signed URLs, or list the browser origins in allowlist."
	for _, tc := range []struct {
		name                   string
		enable, allow, require tftypes.Value
		want                   string
	}{
		{"signed urls", b(true), nullSet, b(nil), ""},
		{"allowlist", b(nil), hosts("a.example.com"), b(true), ""},
		{"both", b(true), hosts("a.example.com"), b(nil), both + "\n" + both},
		{"both, allowlist of unknown element", b(true), tftypes.NewValue(setT, []tftypes.Value{tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}), b(nil), both + "\n" + both},
		{"require origin without allowlist", b(true), nullSet, b(true), needsAllow},
		{"require origin with empty allowlist", b(true), hosts(), b(true), needsAllow},
		{"public: nothing set", b(nil), nullSet, b(nil), public},
		{"public: explicit false and empty", b(false), hosts(), b(false), public},
		{"unknown enable with allowlist", unknownBool, hosts("a.example.com"), b(nil), ""},
		{"unknown allowlist with enable", b(true), unknownSet, b(nil), ""},
		{"unknown allowlist with require origin", b(nil), unknownSet, b(true), ""},
		{"unknown require origin", b(true), nullSet, unknownBool, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := diagText(validateConfig(t, tc.enable, tc.allow, tc.require)); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
	// The conflict error names both attributes.
	ds := validateConfig(t, b(true), hosts("a.example.com"), b(nil))
	var paths []string
	for _, d := range ds {
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			paths = append(paths, wp.Path().String())
		}
	}
	if strings.Join(paths, ",") != "enable_auth,allowlist" {
		t.Errorf("conflict paths = %v", paths)
	}
}
