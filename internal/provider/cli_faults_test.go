package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccCLI_fiftyAgentsUnder429s applies 50 agents while every third API
// answer is a 429 without Retry-After: the real backoff (from 1s) absorbs them
// and the apply ends with zero failures.
func TestAccCLI_fiftyAgentsUnder429s(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	ids := make([]string, 50)
	for i := range ids {
		ids[i] = e.agent(fmt.Sprintf("busy %d", i))
	}
	w.write(agentsConfig(ids))
	e.fake.SetFailEvery(3, 429, "too_many_concurrent_requests", "")
	start := time.Now()
	out := w.mustRun(0, "apply", "-auto-approve")
	elapsed := time.Since(start)
	e.fake.SetFailEvery(0, 0, "", "")

	throttled := 0
	for _, r := range e.fake.Requests() {
		if r.Status == 429 {
			throttled++
		}
	}
	t.Logf("50 agents, %d of %d answers were 429: apply took %s", throttled, len(e.fake.Requests()), elapsed.Round(100*time.Millisecond))
	if throttled < 20 {
		t.Errorf("only %d 429s were served; the scenario did not run", throttled)
	}
	if !strings.Contains(out, "Apply complete! Resources: 50 added, 0 changed, 0 destroyed.") {
		t.Errorf("apply output:\n%s", out)
	}
	for _, id := range ids {
		if err := e.checkFakeAuth(id, true, nil, false)(nil); err != nil {
			t.Error(err)
		}
	}
	w.mustRun(0, "plan", "-detailed-exitcode")
}

// TestAccCLI_interruptedApplyConverges interrupts an apply (Ctrl-C) while the API
// hangs: the CLI stops in bounded time, and a plain re-run converges.
func TestAccCLI_interruptedApplyConverges(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	ids := []string{e.agent("i1"), e.agent("i2"), e.agent("i3")}
	w.write(agentsConfig(ids))
	e.fake.SetLatency(time.Minute)

	ctx, ctrlC := context.WithCancel(context.Background())
	p := w.start(ctx, "apply", "-auto-approve")
	// Ctrl-C while a PATCH is in flight: wait for one (a wait, not a bound on the
	// provider: generous for a loaded machine, where the CLI may take long to get
	// there). Interrupting before any PATCH would test another thing.
	deadline := time.Now().Add(2 * time.Minute)
	for e.fake.Count("PATCH", fakeapi.RouteAgent) == 0 {
		if time.Now().After(deadline) {
			ctrlC()
			r, _ := p.Wait()
			t.Fatalf("apply sent no PATCH within 2m, so it cannot be interrupted mid-write:\n%s", r.Out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	interrupted := time.Now()
	ctrlC()
	r, _ := p.Wait() // the error says the context ended
	out := r.Out
	switch r.Code {
	case -1:
		t.Fatalf("apply did not stop within %s of Ctrl-C (killed):\n%s", clirun.WaitDelay, out)
	case 0:
		t.Errorf("interrupted apply exited 0:\n%s", out)
	}
	t.Logf("apply stopped %s after Ctrl-C", time.Since(interrupted).Round(10*time.Millisecond))
	if !strings.Contains(out, "context canceled") && !strings.Contains(out, "Interrupt received") {
		t.Errorf("no sign of the interrupt in the output:\n%s", out)
	}

	e.fake.SetLatency(0)
	w.mustRun(0, "apply", "-auto-approve")
	w.mustRun(0, "plan", "-detailed-exitcode")
	for _, id := range ids {
		if err := e.checkFakeAuth(id, true, nil, false)(nil); err != nil {
			t.Error(err)
		}
	}
}

// TestAccCLI_errorPathsLeakNothing makes the API fail in every documented way,
// with bodies that echo the request (headers included), and checks the CLI
// output and trace log for the key, the wrong key and every minted signature.
func TestAccCLI_errorPathsLeakNothing(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	signed := e.agent("signed")
	e.fake.SetAuth(signed, fakeAuth(true, false))
	target := e.agent("target")
	const wrongKey = "xi_wrong_key_7c1d2e3f4a5b"

	cases := []struct {
		name  string
		fault *fakeapi.Fault
		env   []string
		want  string
	}{
		{name: "500 echo", fault: &fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 500, Code: "internal_error", EchoRequest: true}, want: "returned 500 Internal Server Error: internal_error"},
		{name: "422 echo", fault: &fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 422, EchoRequest: true}, want: "returned 422 Unprocessable Entity"},
		{name: "404 echo", fault: &fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 404, Code: "agent_not_found", EchoRequest: true}, want: "returned 404 Not Found: agent_not_found"},
		{name: "401 wrong key", env: []string{EnvAPIKey + "=" + wrongKey}, want: "returned 401 Unauthorized: invalid_api_key"},
	}
	w.write(fmt.Sprintf(`
provider "elevenlabs" {
  max_retries = 1
}
ephemeral "elevenlabs_signed_url" "ok" {
  agent_id = %q
}
resource "terraform_data" "use" {
  input = "x"
  provisioner "local-exec" {
    command     = "test -n \"$URL\""
    environment = { URL = ephemeral.elevenlabs_signed_url.ok.signed_url }
  }
}
resource "elevenlabs_agent_auth" "target" {
  agent_id    = %q
  enable_auth = true
  depends_on  = [terraform_data.use]
}
`, signed, target))
	for i, c := range cases {
		e.fake.ClearFaults()
		if c.fault != nil {
			e.fake.InjectFault(*c.fault)
		}
		log := filepath.Join(w.dir, fmt.Sprintf("trace-%d.log", i))
		out, code := w.run(append([]string{"TF_LOG=trace", "TF_LOG_PATH=" + log}, c.env...), "apply", "-auto-approve")
		if code == 0 || !strings.Contains(flatOut(out), c.want) {
			t.Errorf("%s: exit %d, want a failure with %q:\n%s", c.name, code, c.want, out)
		}
		f := &secretFinder{t: t, secrets: map[string]string{testAPIKey: "API key", wrongKey: "wrong API key"}}
		for _, s := range e.fake.Signatures() {
			f.secrets[s] = "conversation signature"
		}
		f.check(c.name+": CLI output", out)
		f.check(c.name+": trace log", w.read(filepath.Base(log)))
		if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate")); err == nil {
			f.check(c.name+": state", w.read("terraform.tfstate"))
		}
	}
	// The echo really carried the key: the masking, not the fake, kept it out.
	echoed := false
	for _, r := range e.fake.Requests() {
		if r.Injected && r.Header.Get("xi-api-key") == testAPIKey {
			echoed = true
		}
	}
	if !echoed {
		t.Error("no echoed request carried the API key; the test proves nothing")
	}
}

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
