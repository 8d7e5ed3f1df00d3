package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

func TestAccAgentAuth_validation(t *testing.T) {
	e := newTestEnv(t)
	step := func(body string, re *regexp.Regexp) resource.TestStep {
		return resource.TestStep{Config: e.providerBlock() + body, PlanOnly: true, ExpectError: re}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id    = "agent_a"
  enable_auth = true
  allowlist   = ["app.example.com"]
}`, msgRE(`Error: Conflicting authentication methods`, `with elevenlabs_agent_auth.test`, `enable_auth`,
				`ElevenLabs allows one authentication method per agent: signed URLs (enable_auth = true) or a hostname allowlist, never both.`,
				`Remove allowlist, or set enable_auth = false.`,
				`Error: Conflicting authentication methods`, `allowlist`)),
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = "agent_a"
  allowlist = ["https://App.Example.com/login"]
}`, msgRE(`Invalid allowlist hostname`, `"https://App.Example.com/login" is not a valid allowlist hostname: it includes a scheme ("https://"); use "app.example.com"`)),
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = "agent_a"
  allowlist = ["bücher.example"]
}`, msgRE(`Invalid allowlist hostname`, `"bücher.example" is not a valid allowlist hostname: it is an internationalised name, which browsers send in its punycode (xn--) form; use "xn--bcher-kva.example".`)),
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = "agent_a"
  allowlist = ["null"]
}`, msgRE(`Invalid allowlist hostname`, `"null" is not a valid allowlist hostname: "null" is the Origin browsers send from sandboxed iframes and file:// pages: it names no site`)),
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = "agent_a"
  allowlist = ["%2A.example.com"]
}`, msgRE(`Invalid allowlist hostname`, `"%2A.example.com" is not a valid allowlist hostname: it contains percent-encoding ("%2A" stands for "*"), which browsers decode before they send the Origin; decoded, it is still invalid: wildcards are not supported`)),
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = "agent_a"
  allowlist = [for i in range(11) : "h${i}.example.com"]
}`, msgRE(`Too many allowlist hostnames`, `The allowlist has 11 hostnames; ElevenLabs accepts at most 10 per agent. Remove 1,`)),
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id              = "agent_a"
  enable_auth           = true
  require_origin_header = true
}`, msgRE(`require_origin_header needs an allowlist`, `require_origin_header = true only has an effect with a non-empty allowlist`)),
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id    = "https://elevenlabs.io/app/agents/agent_a"
  enable_auth = true
}`, msgRE(`Invalid agent id`, `agent id "https://elevenlabs.io/app/agents/agent_a" contains '/'; give the bare id, not a URL or path`)),
			step(`
resource "elevenlabs_agent_auth" "test" {
  agent_id    = ""
  enable_auth = true
}`, msgRE(`Invalid agent id`, `the agent id is empty`)),
		},
	})
}

func TestAccAgentAuth_publicAgentWarns(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("public")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id = %q
}`, id),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(res, tfjsonpath.New("enable_auth"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("allowlist"), knownvalue.Null()),
				statecheck.ExpectKnownValue(res, tfjsonpath.New("require_origin_header"), knownvalue.Bool(false)),
			},
			Check: e.checkFakeAuth(id, false, nil, false),
		}},
	})
}

func TestAccAgentAuth_lifecycle(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("lifecycle")
	other := e.agent("bystander")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy: resource.ComposeTestCheckFunc(
			e.checkFakeAuth(id, false, nil, false),
			e.checkSiblingsIntact(id),
		),
		Steps: []resource.TestStep{
			{ // signed-URL mode
				Config: e.providerBlock() + signedModeResource(id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("enable_auth"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("allowlist"), knownvalue.Null()),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("require_origin_header"), knownvalue.Bool(false)),
				},
				Check: resource.ComposeTestCheckFunc(
					e.checkFakeAuth(id, true, nil, false),
					e.checkSiblingsIntact(id),
					e.checkFakeAuth(other, false, nil, false),
					e.checkCount("PATCH", fakeapi.RouteAgent, 1),
				),
			},
			{ // switch to an allowlist
				Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id              = %q
  allowlist             = ["app.example.com", "localhost:3000", "10.0.0.7:8443"]
  require_origin_header = true
}`, id),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("enable_auth"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("allowlist"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("app.example.com"), knownvalue.StringExact("localhost:3000"), knownvalue.StringExact("10.0.0.7:8443"),
					})),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("require_origin_header"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					e.checkFakeAuth(id, false, []string{"app.example.com", "localhost:3000", "10.0.0.7:8443"}, true),
					e.checkSiblingsIntact(id),
					e.checkCount("PATCH", fakeapi.RouteAgent, 2),
				),
			},
			{ // order never matters
				Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id              = %q
  allowlist             = ["10.0.0.7:8443", "localhost:3000", "app.example.com"]
  require_origin_header = true
}`, id),
				PlanOnly: true,
			},
			{ // the allowlist order in the API answer does not matter either
				PreConfig: func() {
					e.fake.SetAuth(id, fakeAuth(false, true, "localhost:3000", "10.0.0.7:8443", "app.example.com"))
				},
				Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id              = %q
  allowlist             = ["app.example.com", "localhost:3000", "10.0.0.7:8443"]
  require_origin_header = true
}`, id),
				PlanOnly: true,
			},
			{ // an empty allowlist stays empty, never flips to null
				Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id    = %q
  enable_auth = true
  allowlist   = []
}`, id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("allowlist"), knownvalue.SetSizeExact(0)),
				},
				Check: resource.ComposeTestCheckFunc(
					e.checkFakeAuth(id, true, nil, false),
					e.checkCount("PATCH", fakeapi.RouteAgent, 3),
				),
			},
			{ // and back to null without a change on the API
				Config: e.providerBlock() + signedModeResource(id),
				Check:  e.checkFakeAuth(id, true, nil, false),
			},
			{ // terraform import
				ResourceName:                         res,
				ImportState:                          true,
				ImportStateId:                        id,
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "agent_id",
			},
			{ // import block: the plan after import is empty
				ResourceName:    res,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   id,
			},
		},
	})
}

func TestAccAgentAuth_driftAndRepair(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("drift")
	config := e.providerBlock() + allowlistResource(id, "app.example.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: config, Check: e.checkFakeAuth(id, false, []string{"app.example.com"}, false)},
			// Each drift planted out of band, alone, is found by the refresh and planned as an update.
			e.driftStep(id, config, fakeAuth(false, false, "app.example.com", "evil.example.net")), // a host added
			e.driftStep(id, config, fakeAuth(true, false, "app.example.com")),                      // enable_auth
			e.driftStep(id, config, fakeAuth(false, true, "app.example.com")),                      // require_origin_header
			e.driftStep(id, config, fakeAuth(false, false)),                                        // allowlist cleared
			e.driftStep(id, config, fakeAuth(false, false, "App.Example.com")),                     // upper case is another host
			{ // someone turns on both methods: the plan shows it, apply restores the config
				PreConfig: func() {
					e.fake.SetAuth(id, fakeAuth(true, true, "app.example.com"))
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("enable_auth"), knownvalue.Bool(false)),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("require_origin_header"), knownvalue.Bool(false)),
				}},
				Check: e.checkFakeAuth(id, false, []string{"app.example.com"}, false),
			},
			{ // the agent is deleted out of band: removed from state, the plan proposes to create
				PreConfig:          func() { e.fake.DeleteAgentOOB(id) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

func TestAccAgentAuth_unknownValuesAccepted(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("unknowns")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "terraform_data" "hosts" {
  input = { hosts = ["app.example.com", "www.example.com"], enable = false, id = %q }
}
resource "elevenlabs_agent_auth" "test" {
  agent_id              = terraform_data.hosts.output.id
  enable_auth           = terraform_data.hosts.output.enable
  allowlist             = terraform_data.hosts.output.hosts
  require_origin_header = true
}`, id),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(res, tfjsonpath.New("allowlist")),
			}},
			Check: e.checkFakeAuth(id, false, []string{"app.example.com", "www.example.com"}, true),
		}},
	})
}

func TestAccAgentAuth_unknownValuesValidatedWhenKnown(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("unknown then bad")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "terraform_data" "hosts" {
  input = ["https://app.example.com/"]
}
resource "elevenlabs_agent_auth" "test" {
  agent_id  = %q
  allowlist = terraform_data.hosts.output
}`, id),
			ExpectError: msgRE(`Invalid allowlist hostname`, `"https://app.example.com/" is not a valid allowlist hostname`),
		}},
	})
	if n := e.fake.Count("PATCH", fakeapi.RouteAgent); n != 0 {
		t.Errorf("a bad hostname reached the API: %d PATCH requests", n)
	}
}

func TestAccAgentAuth_destroyWarnsAndResets(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("destroy")
	config := e.providerBlock() + signedModeResource(id)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:  config,
				Destroy: true,
				Check:   resource.ComposeTestCheckFunc(e.checkFakeAuth(id, false, nil, false), e.checkSiblingsIntact(id)),
			},
		},
	})
}

func TestAccAgentAuth_destroyOfDeletedAgentSucceeds(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("gone before destroy")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		// The agent disappears before the post-test destroy; the reset's 404 counts as done.
		CheckDestroy: func(*terraform.State) error { return nil },
		Steps: []resource.TestStep{{
			Config: e.providerBlock() + signedModeResource(id),
			Check:  func(*terraform.State) error { e.fake.DeleteAgentOOB(id); return nil },
			// The refresh after apply finds the agent gone, so the plan is to create it again.
			ExpectNonEmptyPlan: true,
		}},
	})
	// The destroy did try the reset and got the 404 it treats as done.
	gone := 0
	for _, r := range e.fake.Requests() {
		if r.Method == "PATCH" && r.Status == 404 {
			gone++
		}
	}
	if gone != 1 {
		t.Errorf("PATCH answered 404 %d times, want 1 (the destroy's reset)", gone)
	}
}

func TestAccAgentAuth_importErrors(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{{
			Config:        e.providerBlock() + signedModeResource("agent_missing"),
			ResourceName:  res,
			ImportState:   true,
			ImportStateId: "agent_missing",
			ExpectError:   msgRE(`Cannot import non-existent remote object`),
		}, { // an empty id says what an agent id is and where to find one
			Config:            e.providerBlock() + signedModeResource("agent_missing"),
			ResourceName:      res,
			ImportState:       true,
			ImportStateIdFunc: func(*terraform.State) (string, error) { return "", nil },
			ExpectError: msgRE(`Invalid import id`, `Import elevenlabs_agent_auth by the id of an existing agent, e.g. terraform import `+
				`elevenlabs_agent_auth.NAME agent_3701k3ttaq12ewp8b7qv5rfyszkz`, `the agent id is empty. `+agentIDWhere),
		}},
	})
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

// TestRetriesExhaustedErrorNamesMaxRetries: a call that failed every attempt
// says how many were made over how long, and which settings change that.
func TestRetriesExhaustedErrorNamesMaxRetries(t *testing.T) {
	err := &elevenlabs.RetriesExhaustedError{Attempts: 3, Elapsed: 2345 * time.Millisecond, MaxRetries: 2,
		Err: &elevenlabs.APIError{StatusCode: 503, Method: "PATCH", Path: "/v1/convai/agents/agent_1", Code: "system_busy"}}
	got := apiErrorDetail(err)
	want := "ElevenLabs API: PATCH /v1/convai/agents/agent_1 returned 503 Service Unavailable: system_busy; " +
		"gave up after 3 attempts over 2.345s (2 retries allowed)\n\n" +
		"The API failed every attempt (a server error, a timeout or a network problem). Run again later; to retry more " +
		"often, raise max_retries in the provider \"elevenlabs\" block (0 to 10, default 4), and to give each attempt " +
		"longer, request_timeout."
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
