package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
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

// TestRateLimitedErrorNamesTheBudget: a call that ran out of its rate-limit
// budget tells the user which attribute sets it and what else to do.
func TestRateLimitedErrorNamesTheBudget(t *testing.T) {
	err := &elevenlabs.RateLimitError{Budget: 5 * time.Minute, Attempts: 41, Waited: 4*time.Minute + 58*time.Second,
		Last: &elevenlabs.APIError{StatusCode: 429, Method: "PATCH", Path: "/v1/convai/agents/agent_1", Code: "too_many_concurrent_requests", Message: "later"}}
	got := apiErrorDetail(err)
	want := "ElevenLabs API: PATCH /v1/convai/agents/agent_1 returned 429 Too Many Requests: too_many_concurrent_requests: later; " +
		"still refused after 41 attempts over 4m58s, and the next retry would pass the rate-limit budget of 5m0s\n\n" +
		"The API kept answering 429 (too many requests) for longer than rate_limit_timeout allows (default 5m0s). Other jobs " +
		"may be using the same workspace's concurrency limit: run again later, lower -parallelism, or raise rate_limit_timeout " +
		"in the provider \"elevenlabs\" block."
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
