package provider

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// agentsConfig declares one signed-URL elevenlabs_agent_auth per agent.
func agentsConfig(ids []string) string {
	var b strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&b, "resource \"elevenlabs_agent_auth\" \"a%d\" {\n  agent_id    = %q\n  enable_auth = true\n}\n", i, id)
	}
	return b.String()
}

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

	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "apply", "-no-color", "-auto-approve")
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for e.fake.Count("PATCH", fakeapi.RouteAgent) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("interrupted apply exited 0:\n%s", out.String())
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("apply did not stop within 30s of Ctrl-C:\n%s", out.String())
	}
	t.Logf("apply stopped %s after Ctrl-C", time.Since(interrupted).Round(10*time.Millisecond))
	if !strings.Contains(out.String(), "context canceled") && !strings.Contains(out.String(), "Interrupt received") {
		t.Errorf("no sign of the interrupt in the output:\n%s", out.String())
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
		if code == 0 || !strings.Contains(strings.Join(strings.Fields(out), " "), c.want) {
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
