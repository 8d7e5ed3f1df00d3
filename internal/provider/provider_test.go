package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccProvider_missingAPIKey(t *testing.T) {
	clearEnv(t)
	e := newTestEnv(t)
	id := e.agent("no key")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "elevenlabs" {
  base_url = "` + e.url + `"
}
` + signedModeResource(id),
			ExpectError: msgRE(`Missing ElevenLabs API key`, `Set api_key in the provider "elevenlabs" block, or the ELEVENLABS_API_KEY environment variable.`),
		}},
	})
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("the fake saw %d requests without a key", n)
	}
}

func TestAccProvider_plainHTTPToRemoteHost(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "elevenlabs" {
  api_key  = "k"
  base_url = "http://api.elevenlabs.io"
}
` + signedModeResource("agent_x"),
			PlanOnly:    true,
			ExpectError: msgRE(`Invalid API base URL`, `"http://api.elevenlabs.io" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`),
		}},
	})
}

func TestAccProvider_residencyConflictsWithBaseURL(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "elevenlabs" {
  base_url  = "https://proxy.example.com"
  residency = "eu"
}
` + signedModeResource("agent_x"),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*These attributes cannot be configured together: \[base_url,residency\]`),
		}, {
			Config: `
provider "elevenlabs" {
  residency = "mars"
}
` + signedModeResource("agent_x"),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Attribute residency value must be one of: \["global" "us" "eu" "in" "sg"\],.*got: "mars"`),
		}, {
			Config: `
provider "elevenlabs" {
  request_timeout = "5 minutes"
  max_retries     = 11
}
` + signedModeResource("agent_x"),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)"5 minutes" is not a duration; write it like "30s" or "2m".*Attribute max_retries value must be between 0 and 10, got: 11`),
		}, {
			Config: `
provider "elevenlabs" {
  rate_limit_timeout = "2h"
}
` + signedModeResource("agent_x"),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid rate-limit timeout.*rate_limit_timeout.*"2h" is out of range: use a duration above 0 and at most 1h0m0s`),
		}},
	})
}

func TestAccProvider_unknownAPIKey(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("unknown key")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "key" {
  input = "late"
}
provider "elevenlabs" {
  api_key  = terraform_data.key.output
  base_url = "` + e.url + `"
}
` + signedModeResource(id),
			ExpectError: msgRE(`Unknown provider api_key`, `with provider`, `api_key = terraform_data.key.output`, `The provider cannot be configured because api_key is not known until apply`, `The provider will not guess a default for it.`),
		}},
	})
}

func TestAccProvider_configureFromEnvironment(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("from env")
	t.Setenv(EnvAPIKey, testAPIKey)
	t.Setenv(EnvBaseURL, e.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "elevenlabs" {}
` + signedModeResource(id),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("elevenlabs_agent_auth.test", tfjsonpath.New("enable_auth"), knownvalue.Bool(true)),
			},
		}},
	})
	ua := ""
	for _, r := range e.fake.Requests() {
		ua = r.Header.Get("User-Agent")
	}
	if !regexp.MustCompile(`^terraform-provider-elevenlabs/test \(terraform \d+\.\d+\.\d+.*\)$`).MatchString(ua) {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestAccProvider_residencyRejectsEnvBaseURL(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv(EnvBaseURL, e.url)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "elevenlabs" {
  api_key   = "k"
  residency = "eu"
}
` + signedModeResource("agent_x"),
			ExpectError: msgRE(`Conflicting API host settings`, `residency = "eu" and the ELEVENLABS_BASE_URL environment variable both choose the API host. Unset ELEVENLABS_BASE_URL, or remove residency.`),
		}},
	})
}

func TestAccProvider_wrongAPIKey(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("wrong key")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "elevenlabs" {
  api_key  = "xi_wrong_key_value"
  base_url = "` + e.url + `"
}
` + signedModeResource(id),
			ExpectError: regexp.MustCompile(`(?s)Could not create the auth settings of agent ` + id + `.*returned 401 Unauthorized: invalid_api_key.*Check the API key \(api_key or ELEVENLABS_API_KEY\)`),
		}},
	})
}

func TestAccProvider_envBaseURLIsChecked(t *testing.T) {
	e := newTestEnv(t)
	t.Setenv(EnvBaseURL, "http://api.example.com")
	t.Setenv(EnvAPIKey, testAPIKey)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "elevenlabs" {}
` + signedModeResource("agent_x"),
			ExpectError: msgRE(`Invalid API base URL`, `From the ELEVENLABS_BASE_URL environment variable: "http://api.example.com" uses plain http to a host that is not loopback: the API key would travel in clear text.`),
		}},
	})
}

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
		{name: "env look-alike of localhost", env: "http://localhost.evil.example", residency: null, baseURL: null,
			wantErr: `Invalid API base URL|From the ELEVENLABS_BASE_URL environment variable: "http://localhost.evil.example" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`},
		{name: "env localhostx", env: "http://localhostx:8080", residency: null, baseURL: null,
			wantErr: `Invalid API base URL|From the ELEVENLABS_BASE_URL environment variable: "http://localhostx:8080" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`},
		{name: "env user info masked", env: "http://ci-user:s3cr3t-Passw0rd@127.0.0.1:8080", residency: null, baseURL: null,
			wantErr: `Invalid API base URL|From the ELEVENLABS_BASE_URL environment variable: "http://***@127.0.0.1:8080" must not carry user info, a query or a fragment; use the API root, for example https://api.elevenlabs.io`},
		{name: "base_url look-alike of localhost", residency: null, baseURL: s("http://localhost.evil.example:8080"),
			wantErr: `Invalid API base URL|From base_url: "http://localhost.evil.example:8080" uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost`},
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
