package provider

import (
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// Fault tests run the provider in process with millisecond backoff; the
// backoff itself is pinned by the client's unit tests.

func TestAccAgentAuth_retriesTransientAnswers(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("faults")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{ // a burst of 429s without Retry-After, then with one, then a 502 and a reset connection
				PreConfig: func() {
					e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 429, Code: "too_many_concurrent_requests", Count: 2})
					e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 429, Code: "system_busy", RetryAfter: "1", Count: 1})
					e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 502, Count: 1})
				},
				Config: e.faultConfig(id, ""),
				Check: resource.ComposeTestCheckFunc(
					e.checkFakeAuth(id, true, nil, false),
					e.checkCount("PATCH", fakeapi.RouteAgent, 5),
				),
			},
			{ // reads survive a reset connection and a 500
				PreConfig: func() {
					e.fake.ResetCounters()
					e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteAgent, Reset: true, Count: 1})
					e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteAgent, Status: 500, Count: 1})
				},
				Config:   e.faultConfig(id, ""),
				PlanOnly: true,
			},
		},
	})
}

func TestAccAgentAuth_givesUpInBoundedTimeThenConverges(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("gives up")
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{ // the API keeps failing: max_retries bounds the attempts, the error says what happened
				PreConfig: func() {
					e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 503, Code: "system_busy"})
				},
				Config: e.faultConfig(id, "max_retries = 2"),
				ExpectError: msgRE(`Could not create the auth settings of agent `+id, `returned 503 Service Unavailable: system_busy`,
					`gave up after 3 attempts over`, `(2 retries allowed)`, `The API failed every attempt (a server error, a timeout or a `+
						`network problem). Run again later; to retry more often, raise max_retries in the provider "elevenlabs" block (0 to 10, default 4)`),
			},
			{ // slower than request_timeout: each attempt times out, the run ends in bounded time
				PreConfig: func() {
					if n := e.fake.Count("PATCH", fakeapi.RouteAgent); n != 3 {
						t.Errorf("PATCH attempts with max_retries = 2: %d, want 3", n)
					}
					e.fake.ClearFaults()
					e.fake.SetLatency(3 * time.Second)
					start = time.Now()
				},
				Config: e.faultConfig(id, `max_retries = 1`+"\n"+`request_timeout = "300ms"`),
				ExpectError: msgRE(`Could not create the auth settings of agent `+id, `request timed out`, `gave up after 2 attempts over`,
					`(1 retry allowed)`, `raise max_retries`),
			},
			{ // the API recovers: a plain re-run converges, no state surgery
				PreConfig: func() {
					if el := time.Since(start); el > 20*time.Second {
						t.Errorf("timing out took %s", el)
					}
					e.fake.SetLatency(0)
				},
				Config: e.faultConfig(id, ""),
				Check:  e.checkFakeAuth(id, true, nil, false),
			},
		},
	})
}

func TestAccAgentAuth_oddButPossibleAPIData(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("odd data")
	config := e.providerBlock() + allowlistResource(id, "app.example.com")
	plant := func(auth any, withAuthKey bool) func() {
		return func() {
			a, _ := e.fake.Agent(id)
			ps := a["platform_settings"].(map[string]any)
			ps["unknown_setting"] = map[string]any{"x": []any{1, "two"}}
			a["brand_new_field"] = true
			if withAuthKey {
				ps["auth"] = auth
			} else {
				delete(ps, "auth")
			}
			e.fake.PutAgent(id, a)
		}
	}
	long := []any{}
	for i := 0; i < 300; i++ {
		long = append(long, map[string]any{"hostname": "h" + string(rune('a'+i%26)) + time.Duration(i).String() + ".example.com"})
	}
	driftStep := func(pre func()) resource.TestStep {
		return resource.TestStep{PreConfig: pre, Config: config, PlanOnly: true, ExpectNonEmptyPlan: true}
	}
	unreadableStep := func(pre func(), problem string) resource.TestStep {
		return resource.TestStep{PreConfig: pre, Config: config, PlanOnly: true,
			ExpectError: msgRE("Could not read the auth settings of agent "+id, "The API's answer about agent "+id+
				" has no auth settings the provider can read: "+problem+". The provider does not read such an answer as the API defaults")}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: config},
			// Unknown fields alone are no drift.
			{PreConfig: plant(map[string]any{"enable_auth": false, "allowlist": []any{map[string]any{"hostname": "app.example.com", "note": "x"}}, "require_origin_header": false, "new_auth_field": 1}, true), Config: config, PlanOnly: true},
			// Auth settings that cannot be read are an error naming what is
			// missing, never read as the defaults (a public agent to restore).
			unreadableStep(plant(nil, false), "platform_settings has no auth"),
			unreadableStep(plant(nil, true), "platform_settings.auth is null, not an object"),
			unreadableStep(plant(map[string]any{"enable_auth": false, "allowlist": nil}, true), "platform_settings.auth.allowlist is null"),
			unreadableStep(plant(map[string]any{"enable_auth": "false"}, true), "platform_settings.auth.enable_auth is a string, not a boolean"),
			unreadableStep(plant([]any{"app.example.com"}, true), "platform_settings.auth is an array, not an object"),
			driftStep(plant(map[string]any{"enable_auth": false, "allowlist": long}, true)),                           // 300 entries
			driftStep(plant(map[string]any{"allowlist": []any{map[string]any{"hostname": "APP.EXAMPLE.COM"}}}, true)), // upper case
			{ // an exact duplicate allows the same origins: no diff, the state holds the host once
				PreConfig: plant(map[string]any{"allowlist": []any{map[string]any{"hostname": "app.example.com"}, map[string]any{"hostname": "app.example.com"}}}, true),
				Config:    config, PlanOnly: true,
			},
			{ // apply repairs whatever was planted; the unknown settings survive
				PreConfig: plant(map[string]any{"enable_auth": true, "allowlist": long}, true),
				Config:    config,
				Check: resource.ComposeTestCheckFunc(
					e.checkFakeAuth(id, false, []string{"app.example.com"}, false),
					func(*terraform.State) error {
						a, _ := e.fake.Agent(id)
						if a["brand_new_field"] != true || a["platform_settings"].(map[string]any)["unknown_setting"] == nil {
							t.Errorf("unknown fields lost: %v", a)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccAgentAuth_rateLimitBudgetExhausted: an API that answers 429 to
// everything. The apply retries past max_retries until rate_limit_timeout runs
// out, then fails with the last 429 and an error that names rate_limit_timeout;
// once the API serves again, a plain re-run converges.
func TestAccAgentAuth_rateLimitBudgetExhausted(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("throttled")
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.fake.SetFailEvery(1, http.StatusTooManyRequests, fakeapi.CodeTooManyConcurrent, "")
					start = time.Now()
				},
				Config: e.faultConfig(id, `max_retries = 1`+"\n"+`rate_limit_timeout = "500ms"`),
				ExpectError: msgRE(`Could not create the auth settings of agent `+id,
					`returned 429 Too Many Requests: too_many_concurrent_requests`,
					`rate-limit budget of 500ms`,
					`for longer than rate_limit_timeout allows`,
					`or raise rate_limit_timeout in the provider "elevenlabs" block.`),
			},
			{
				PreConfig: func() {
					if el := time.Since(start); el > 20*time.Second {
						t.Errorf("giving up took %s with a budget of 500ms", el)
					}
					if n := e.fake.Count(http.MethodPatch, fakeapi.RouteAgent); n <= 2 {
						t.Errorf("%d PATCH attempts: 429s must be retried past max_retries = 1 within the budget", n)
					}
					e.fake.ClearFaults()
				},
				Config: e.faultConfig(id, ""),
				Check:  e.checkFakeAuth(id, true, nil, false),
			},
		},
	})
}
