package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// The live check's code path, against the fake served on loopback, so it
// cannot rot while no one holds a key. The CLI is bin/tofu (make tofu; make
// test builds it), the provider is built from this checkout.

const testKey = "testlive-fake-key"

// TestMain lets the test binary stand in for the testlive binary in the
// local-exec hand-off (the CLI runs os.Executable() with TESTLIVE_HANDOFF).
func TestMain(m *testing.M) {
	if mode := os.Getenv(envHandoff); mode != "" {
		os.Exit(handoffMain(mode))
	}
	os.Exit(m.Run())
}

func setup(t *testing.T) (Config, *fakeapi.Server) {
	t.Helper()
	if testing.Short() {
		t.Skip("drives bin/tofu; skipped with -short")
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	// TESTLIVE_CLI picks another CLI (e.g. terraform), as for make testlive.
	tofu := os.Getenv("TESTLIVE_CLI")
	if tofu == "" {
		tofu = filepath.Join(root, "bin", "tofu")
	}
	if _, err := exec.LookPath(tofu); err != nil {
		t.Fatalf("no CLI at %s: run make tofu (make test builds bin/tofu) or set TESTLIVE_CLI: %v", tofu, err)
	}
	provDir, err := clirun.BuildProvider(root)
	if err != nil {
		t.Fatal(err)
	}
	srv := fakeapi.New(fakeapi.WithAPIKey(testKey))
	ts := httptest.NewServer(srv.Mux())
	t.Cleanup(ts.Close)
	return Config{APIKey: testKey, BaseURL: ts.URL, CLI: tofu, ProviderDir: provDir}, srv
}

// TestLiveAgainstFake runs the whole check: every step passes, the probes
// record what the fake decides, the agent is gone, and no secret is printed.
func TestLiveAgainstFake(t *testing.T) {
	cfg, srv := setup(t)
	var out bytes.Buffer
	rep, err := Run(context.Background(), cfg, &out)
	if rep == nil {
		t.Fatalf("Run = %v with no report\n%s", err, out.String())
	}
	md := rep.Markdown()
	if err != nil {
		t.Errorf("Run = %v\n%s\n%s", err, out.String(), md)
	}
	for _, s := range rep.Steps {
		if s.Status != "ok" {
			t.Errorf("step %q: %s: %s", s.Name, s.Status, s.Detail)
		}
	}
	if len(rep.Steps) != 9 {
		t.Errorf("%d steps, want 9 (create, 8 lifecycle steps)", len(rep.Steps))
	}
	checkDeleted(t, rep, srv)

	// What the fake answers each probe (its decisions where the API is
	// unconfirmed: CONTRACT.md, "Fake-only decisions").
	want := map[string]string{
		"10 allowlist entries (the documented limit)":         "200",
		"11 allowlist entries":                                "422",
		"upper-case hostname":                                 "422",
		"scheme prefix (the OpenAPI example)":                 "422",
		"path in the hostname":                                "422",
		"duplicate entries":                                   "422",
		"null allowlist":                                      "422",
		"null enable_auth":                                    "422",
		"null auth block":                                     "200",
		"enable_auth and an allowlist together":               "200",
		"Origin matching ignores case?":                       "HTTP 403",
		"refused start: enable_auth, no signature":            "HTTP 403",
		"refused start: forged signature":                     "HTTP 403",
		"refused start: Origin not in the allowlist":          "HTTP 403",
		"refused start: no Origin, require_origin_header":     "HTTP 403",
		"signed URL with include_conversation_id, used twice": "started then HTTP 403",
		"conversation token lifetime and claims":              "200",
		"unknown agent":                                       "404",
		"wrong key":                                           "401",
		"no key":                                              "401",
	}
	got := map[string]ProbeResult{}
	for _, p := range rep.Probes {
		got[p.Point] = p
	}
	for point, status := range want {
		p, ok := got[point]
		if !ok {
			t.Errorf("no probe row for %q", point)
			continue
		}
		if p.Status != status {
			t.Errorf("probe %q: status %q, want %q (answer %s)", point, p.Status, status, p.Answer)
		}
	}
	if p := got["null allowlist"]; !strings.Contains(p.After, `allowlist=[{"hostname":"keep.example.com"}]`) {
		t.Errorf("null allowlist: afterwards %q, want the allowlist kept (the fake refused the body)", p.After)
	}
	if p := got["null auth block"]; p.After != "no auth block" {
		t.Errorf("null auth block: afterwards %q, want the block removed (the fake's decision)", p.After)
	}
	if p := got["refused start: enable_auth, no signature"]; !strings.Contains(p.Answer, "signature_required") {
		t.Errorf("refused start answer %q lacks signature_required", p.Answer)
	}
	if len(rep.Probes) != len(want) {
		t.Errorf("%d probe rows, want %d", len(rep.Probes), len(want))
	}
	for _, s := range append([]string{out.String(), md}, srv.Signatures()...) {
		if strings.Contains(s, testKey) {
			t.Errorf("the API key is printed")
		}
	}
	for _, sig := range srv.Signatures() {
		if strings.Contains(out.String(), sig) || strings.Contains(md, sig) {
			t.Errorf("a conversation signature is printed")
		}
	}
	if strings.Contains(out.String()+md, "eyJ") {
		t.Errorf("a JWT is printed")
	}
	if !strings.Contains(md, "| point | request | status | answer | afterwards | our decision (CONTRACT.md) |") {
		t.Errorf("the report lacks the probe table:\n%s", md)
	}
}

func checkDeleted(t *testing.T, rep *Report, srv *fakeapi.Server) {
	t.Helper()
	if rep.AgentID == "" {
		t.Fatal("no agent was created")
	}
	if _, ok := srv.Agent(rep.AgentID); ok {
		t.Errorf("the throwaway agent %s still exists on the fake", rep.AgentID)
	}
	if !rep.Deleted {
		t.Errorf("the report does not confirm the deletion")
	}
	if n := srv.AgentCount(); n != 0 {
		t.Errorf("%d agents left on the fake", n)
	}
}

// TestLiveDeletesAgentWhenAStepFails: every PATCH fails with a 500, the
// first apply fails, the chained steps are skipped, and the agent is still
// deleted.
func TestLiveDeletesAgentWhenAStepFails(t *testing.T) {
	cfg, srv := setup(t)
	srv.InjectFault(fakeapi.Fault{Method: http.MethodPatch, Status: http.StatusInternalServerError})
	var out bytes.Buffer
	rep, err := Run(context.Background(), cfg, &out)
	if err == nil || !strings.Contains(err.Error(), "failed") {
		t.Errorf("Run = %v, want a failure", err)
	}
	if rep == nil {
		t.Fatalf("no report\n%s", out.String())
	}
	if rep.Steps[1].Status != "FAILED" || !strings.Contains(rep.Steps[1].Detail, "500") {
		t.Errorf("the first apply: %+v, want FAILED with the 500", rep.Steps[1])
	}
	skipped := 0
	for _, s := range rep.Steps {
		if s.Status == "skipped" {
			skipped++
		}
	}
	if skipped != 5 {
		t.Errorf("%d steps skipped, want the 5 chained steps after the failed apply:\n%s", skipped, rep.Markdown())
	}
	checkDeleted(t, rep, srv)
}

// TestLiveCreateIsNotRetried: a create is not idempotent, so a 500 or a
// broken answer to it is not retried (the agent may exist already): one POST,
// the run stops before any step.
func TestLiveCreateIsNotRetried(t *testing.T) {
	for name, f := range map[string]fakeapi.Fault{
		"500":           {Status: http.StatusInternalServerError},
		"broken answer": {Reset: true},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, srv := setup(t)
			f.Method, f.Path, f.Count = http.MethodPost, fakeapi.RouteAgentCreate, 1
			srv.InjectFault(f)
			var out bytes.Buffer
			rep, err := Run(context.Background(), cfg, &out)
			if err == nil || !strings.Contains(err.Error(), "creating the throwaway agent") {
				t.Errorf("Run = %v, want the create to fail", err)
			}
			if n := srv.Count(http.MethodPost, fakeapi.RouteAgentCreate); n != 1 {
				t.Errorf("%d POSTs of the create, want 1", n)
			}
			if n := srv.AgentCount(); n != 0 || rep == nil || len(rep.Steps) != 1 {
				t.Errorf("%d agents on the fake, report %+v; want none and the failed create only", n, rep)
			}
		})
	}
}

// TestLiveDeletesAgentOnInterrupt: Ctrl-C (a cancelled context) while the
// first apply runs stops the CLI and the run, and the agent is deleted all
// the same.
func TestLiveDeletesAgentOnInterrupt(t *testing.T) {
	cfg, srv := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.Mux().ServeHTTP(w, r)
		if r.Method == http.MethodPatch { // the first apply's
			cancel()
		}
	}))
	t.Cleanup(ts.Close)
	cfg.BaseURL = ts.URL
	var out bytes.Buffer
	rep, err := Run(ctx, cfg, &out)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("Run = %v, want interrupted", err)
	}
	if rep == nil {
		t.Fatalf("no report\n%s", out.String())
	}
	if len(rep.Steps) != 2 || rep.Steps[1].Status != "interrupted" || len(rep.Probes) != 0 {
		t.Errorf("steps %+v and %d probes, want the create and the interrupted apply, no probe", rep.Steps, len(rep.Probes))
	}
	checkDeleted(t, rep, srv)
}

func TestResolveBaseURL(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
		err  bool
	}{
		{Config{}, "https://api.elevenlabs.io", false},
		{Config{Residency: "eu"}, "https://api.eu.residency.elevenlabs.io", false},
		{Config{BaseURL: "http://127.0.0.1:8080/"}, "http://127.0.0.1:8080", false},
		{Config{Residency: "mars"}, "", true},
		{Config{Residency: "eu", BaseURL: "https://x"}, "", true},
	} {
		got, err := resolveBaseURL(c.cfg)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("resolveBaseURL(%+v) = %q, %v", c.cfg, got, err)
		}
	}
}

// TestLiveBinaryCtrlC runs the built command and interrupts it with SIGINT
// once the agent exists: it stops and deletes the agent.
func TestLiveBinaryCtrlC(t *testing.T) {
	cfg, srv := setup(t)
	bin := filepath.Join(t.TempDir(), "testlive")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// Relative paths, as make testlive passes them (bin/tofu, bin): the CLI
	// runs in another directory.
	wd, _ := os.Getwd()
	cli, _ := filepath.Rel(wd, cfg.CLI)
	provDir, _ := filepath.Rel(wd, cfg.ProviderDir)
	cmd := exec.Command(bin, "-cli", cli, "-provider-dir", provDir)
	cmd.Env = append(clirun.CleanEnv(), "ELEVENLABS_API_KEY="+cfg.APIKey, "ELEVENLABS_BASE_URL="+cfg.BaseURL)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for srv.Count(http.MethodPatch, fakeapi.RouteAgent) == 0 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the first apply never sent its PATCH:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("exit = %v, want status 1", err)
		}
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("testlive did not stop after SIGINT:\n%s", out.String())
	}
	if n := srv.AgentCount(); n != 0 {
		t.Errorf("%d agents left on the fake after Ctrl-C:\n%s", n, out.String())
	}
	if strings.Contains(out.String(), "FAILED") {
		t.Errorf("a step failed before the interrupt (the first apply's PATCH should be what the interrupt waits for):\n%s", out.String())
	}
	if !strings.Contains(out.String(), "interrupted") || !strings.Contains(out.String(), "deleted the throwaway agent") {
		t.Errorf("the output does not report the interruption and the deletion:\n%s", out.String())
	}
}
