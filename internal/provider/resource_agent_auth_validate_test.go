package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

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
