package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestBaseURLChoice pins which API host each configuration talks to.
func TestBaseURLChoice(t *testing.T) {
	null := types.StringNull()
	s := types.StringValue
	for _, tc := range []struct {
		name, env          string
		residency, baseURL types.String
		want, wantErr      string
	}{
		{name: "default", residency: null, baseURL: null, want: "https://api.elevenlabs.io"},
		{name: "residency global", residency: s("global"), baseURL: null, want: "https://api.elevenlabs.io"},
		{name: "residency us", residency: s("us"), baseURL: null, want: "https://api.us.elevenlabs.io"},
		{name: "residency eu", residency: s("eu"), baseURL: null, want: "https://api.eu.residency.elevenlabs.io"},
		{name: "residency in", residency: s("in"), baseURL: null, want: "https://api.in.residency.elevenlabs.io"},
		{name: "residency sg", residency: s("sg"), baseURL: null, want: "https://api.sg.residency.elevenlabs.io"},
		{name: "base_url", residency: null, baseURL: s("https://proxy.example.com/el"), want: "https://proxy.example.com/el"},
		{name: "base_url beats env", env: "https://env.example.com", residency: null, baseURL: s("https://proxy.example.com"), want: "https://proxy.example.com"},
		{name: "env", env: "http://127.0.0.1:8080", residency: null, baseURL: null, want: "http://127.0.0.1:8080"},
		{name: "env checked", env: "http://api.example.com", residency: null, baseURL: null,
			wantErr: `Invalid API base URL|From the ELEVENLABS_BASE_URL environment variable: "http://api.example.com" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`},
		{name: "residency with env", env: "https://env.example.com", residency: s("eu"), baseURL: null,
			wantErr: `Conflicting API host settings|residency = "eu" and the ELEVENLABS_BASE_URL environment variable both choose the API host. Unset ELEVENLABS_BASE_URL, or remove residency.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvBaseURL, tc.env)
			got, diags := providerModel{Residency: tc.residency, BaseURL: tc.baseURL}.baseURL()
			gotErr := ""
			for _, d := range diags {
				gotErr = d.Summary() + "|" + d.Detail()
			}
			if gotErr != tc.wantErr || (tc.wantErr == "" && got != tc.want) {
				t.Errorf("got %q, error %q; want %q, error %q", got, gotErr, tc.want, tc.wantErr)
			}
		})
	}
}
