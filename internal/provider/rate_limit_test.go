package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccCLI_concurrencyLimitedApply applies 30 agents through the CLI (its
// default parallelism of 10) against an API that serves 2 requests at a time
// and answers 429 too_many_concurrent_requests beyond: the provider lowers how
// many requests it sends at once and retries the 429s, so the apply ends with
// zero failures, and the only extra requests are one retry per 429. It runs
// with max_retries = 0: a 429 means "later", so max_retries does not bound it
// (rate_limit_timeout does).
func TestAccCLI_concurrencyLimitedApply(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	ids := make([]string, 30)
	for i := range ids {
		ids[i] = e.agent(fmt.Sprintf("limited %d", i))
	}
	w.write("provider \"elevenlabs\" {\n  max_retries = 0\n}\n" + agentsConfig(ids))
	e.fake.SetLatency(20 * time.Millisecond)
	e.fake.SetConcurrencyLimit(2, "")
	e.fake.ResetCounters()
	start := time.Now()
	out, code := w.run(nil, "apply", "-auto-approve")
	elapsed := time.Since(start)
	st := e.fake.Concurrency()
	patches := e.fake.Count(http.MethodPatch, fakeapi.RouteAgent)
	e.fake.ClearFaults()

	t.Logf("30 agents against a limit of 2: %d PATCHes, %d answered 429, peak %d in flight, apply took %s",
		patches, st.Rejected, st.PeakInFlight, elapsed.Round(100*time.Millisecond))
	if code != 0 || strings.Contains(out, "Error:") || !strings.Contains(out, "Apply complete! Resources: 30 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply exited %d:\n%s", code, out)
	}
	if st.Rejected == 0 {
		t.Error("no 429 was served; the scenario did not run")
	}
	if patches != len(ids)+st.Rejected {
		t.Errorf("%d PATCHes, want one per agent plus one retry per 429: %d", patches, len(ids)+st.Rejected)
	}
	if got := e.fake.Count(http.MethodGet, fakeapi.RouteAgent); got != 0 {
		t.Errorf("%d GETs during a create-only apply, want 0", got)
	}
	for _, id := range ids {
		if err := e.checkFakeAuth(id, true, nil, false)(nil); err != nil {
			t.Error(err)
		}
	}
	w.mustRun(0, "plan", "-detailed-exitcode")
}

// TestAccRateLimit_budgetExhausted: an API that answers 429 to everything. The
// apply retries past max_retries until rate_limit_timeout runs out, then fails
// with the last 429 and an error that names rate_limit_timeout; once the API
// serves again, a plain re-run converges.
func TestAccRateLimit_budgetExhausted(t *testing.T) {
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
