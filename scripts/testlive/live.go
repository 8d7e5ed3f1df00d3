package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// Config says where the live check runs.
type Config struct {
	APIKey string
	// BaseURL or Residency pick the API host (not both); neither: the global API.
	BaseURL, Residency string
	// CLI is tofu, terraform or a path; ProviderDir holds the provider binary.
	CLI, ProviderDir string
}

// StepResult is one lifecycle step.
type StepResult struct {
	Name   string
	Status string // "ok", "FAILED", "skipped" or "interrupted"
	Detail string
}

// Report is what the live check found.
type Report struct {
	Started    time.Time
	Host       string
	CLIVersion string
	AgentID    string
	// Deleted is true once the throwaway agent is confirmed gone (GET 404).
	Deleted bool
	Steps   []StepResult
	Probes  []ProbeResult
}

// live is one run of the check.
type live struct {
	cfg     Config
	base    string
	client  *elevenlabs.Client     // retries as the provider does
	once    *elevenlabs.Client     // one attempt (429 aside): the create and the probes
	last    atomic.Pointer[answer] // the last HTTP answer (seen)
	out     io.Writer
	rep     *Report
	tmp     string
	cliPath string
	self    string
	agentID string
	name    string
	broken  bool     // a chained lifecycle step failed: later chained steps are skipped
	failed  []string // the steps that failed
}

// Run runs the whole live check and deletes the agent it created, whatever
// happens. The error reports failed steps, a cancelled context, or an agent
// that could not be deleted.
func Run(ctx context.Context, cfg Config, out io.Writer) (rep *Report, err error) {
	base, err := resolveBaseURL(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.APIKey == "" {
		return nil, errors.New("ELEVENLABS_API_KEY is not set: the live check needs a key with the convai_read and convai_write scopes")
	}
	l := &live{cfg: cfg, base: base, out: out, rep: &Report{Started: time.Now().UTC()}}
	if u, perr := url.Parse(base); perr == nil {
		l.rep.Host = u.Host
	}
	if l.cliPath, err = exec.LookPath(cfg.CLI); err == nil {
		l.cliPath, err = filepath.Abs(l.cliPath) // the CLI runs in another directory
	}
	if err != nil {
		return nil, fmt.Errorf("the CLI %q was not found: %v (make tofu builds bin/tofu; or -cli terraform)", cfg.CLI, err)
	}
	if _, err := os.Stat(filepath.Join(cfg.ProviderDir, "terraform-provider-elevenlabs")); err != nil {
		return nil, fmt.Errorf("no provider binary in %s: run make build (make testlive does)", cfg.ProviderDir)
	}
	if l.self, err = os.Executable(); err != nil {
		return nil, err
	}
	if l.client, err = l.newClient(cfg.APIKey, -1); err != nil {
		return nil, err
	}
	if l.once, err = l.newClient(cfg.APIKey, 0); err != nil {
		return nil, err
	}
	l.tmp, err = os.MkdirTemp("", "elevenlabs-testlive-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(l.tmp)
	if l.rep.CLIVersion = clirun.VersionLine(ctx, l.cliPath); l.rep.CLIVersion == "" {
		l.rep.CLIVersion = filepath.Base(l.cliPath)
	}
	l.logf("live check against %s with %s", l.rep.Host, l.rep.CLIVersion)

	// The throwaway agent.
	l.name = fmt.Sprintf("testlive-%s-%s", l.rep.Started.Format("20060102T150405Z"), strings.ToLower(rand.Text()[:6]))
	id, err := l.createAgent(ctx)
	if err != nil {
		l.step("create a throwaway agent", "FAILED", l.redact(err.Error()))
		return l.rep, fmt.Errorf("creating the throwaway agent: %s", l.redact(err.Error()))
	}
	l.agentID, l.rep.AgentID = id, id
	l.step("create a throwaway agent", "ok", fmt.Sprintf("%s (%s), POST /v1/convai/agents/create", id, l.name))
	defer func() {
		if derr := l.deleteAgent(ctx); derr != nil {
			err = errors.Join(err, derr)
		}
	}()

	l.lifecycle(ctx)
	if ctx.Err() == nil {
		l.probeAll(ctx)
	}
	if ctx.Err() != nil {
		return l.rep, fmt.Errorf("interrupted: %w", ctx.Err())
	}
	if len(l.failed) > 0 {
		return l.rep, fmt.Errorf("%d step(s) failed: %s", len(l.failed), strings.Join(l.failed, "; "))
	}
	return l.rep, nil
}

// createAgent creates the throwaway agent: POST /v1/convai/agents/create.
// A create is not idempotent, so it goes through l.once: a 5xx or a broken
// answer is never retried (the agent may exist already); a 429, which says
// the request was not processed, is.
func (l *live) createAgent(ctx context.Context) (string, error) {
	body := fmt.Appendf(nil, `{"name":%q,"tags":["testlive"],"conversation_config":{"agent":{"first_message":%q}}}`,
		l.name, "This is a throwaway agent of the terraform-provider-elevenlabs live check.")
	var out struct {
		AgentID string `json:"agent_id"`
	}
	if err := l.once.Call(ctx, http.MethodPost, "/v1/convai/agents/create", nil, body, &out); err != nil {
		return "", err
	}
	if out.AgentID == "" {
		return "", errors.New("POST /v1/convai/agents/create answered no agent_id")
	}
	return out.AgentID, nil
}

// deleteAgent deletes the throwaway agent with a context of its own (the run's
// may be cancelled by Ctrl-C) and confirms it is gone.
func (l *live) deleteAgent(ctx context.Context) error {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
	defer cancel()
	err := l.client.Call(dctx, http.MethodDelete, "/v1/convai/agents/"+l.agentID, nil, nil, nil)
	if err != nil && !elevenlabs.IsNotFound(err) {
		l.logf("!! could not delete the throwaway agent %s: %s. DELETE IT BY HAND (ElevenLabs dashboard, or DELETE /v1/convai/agents/%s).", l.agentID, l.redact(err.Error()), l.agentID)
		return fmt.Errorf("the throwaway agent %s was not deleted: %s", l.agentID, l.redact(err.Error()))
	}
	if _, gerr := l.client.GetAgent(dctx, l.agentID); !elevenlabs.IsNotFound(gerr) {
		l.logf("!! the throwaway agent %s still answers after DELETE: delete it by hand.", l.agentID)
		return fmt.Errorf("the throwaway agent %s still exists after DELETE", l.agentID)
	}
	l.rep.Deleted = true
	l.logf("deleted the throwaway agent %s (GET answers 404)", l.agentID)
	return nil
}

func (l *live) logf(format string, args ...any) {
	fmt.Fprintf(l.out, "testlive: "+format+"\n", args...)
}

// step records one step's outcome.
func (l *live) step(name, status, detail string) {
	l.rep.Steps = append(l.rep.Steps, StepResult{Name: name, Status: status, Detail: detail})
	if status == "FAILED" {
		l.failed = append(l.failed, name)
	}
	fmt.Fprintf(l.out, "  %-6s %s: %s\n", status, name, detail)
}

// run runs one lifecycle step. chained steps are skipped once an earlier
// chained step failed (they build on its result); the rest always run.
func (l *live) run(ctx context.Context, name string, chained bool, f func() (string, error)) {
	switch {
	case ctx.Err() != nil:
		return
	case chained && l.broken:
		l.step(name, "skipped", "an earlier step failed")
		return
	}
	detail, err := f()
	switch {
	case err != nil && ctx.Err() != nil:
		l.step(name, "interrupted", "Ctrl-C or SIGTERM")
	case err != nil:
		l.broken = l.broken || chained
		l.step(name, "FAILED", l.redact(err.Error()))
	default:
		l.step(name, "ok", l.redact(detail))
	}
}

func resolveBaseURL(cfg Config) (string, error) {
	switch {
	case cfg.Residency != "" && cfg.BaseURL != "":
		return "", errors.New("set ELEVENLABS_BASE_URL or a residency, not both")
	case cfg.Residency != "":
		u, ok := elevenlabs.ResidencyBaseURL(cfg.Residency)
		if !ok {
			return "", fmt.Errorf("unknown residency %q: use one of %s", cfg.Residency, strings.Join(elevenlabs.ResidencyNames(), ", "))
		}
		return u, nil
	case cfg.BaseURL != "":
		return strings.TrimRight(cfg.BaseURL, "/"), nil
	}
	return elevenlabs.DefaultBaseURL, nil
}

// redact removes the key, conversation signatures and JWT-shaped tokens: the
// provider's one redaction path.
func (l *live) redact(s string) string { return redact.String(s, l.cfg.APIKey) }

// newClient is a client of the API at l.base with key ("" sends none): the
// provider's own key-holding path (masking, no redirects, bounded bodies).
// maxRetries 0 makes one attempt (a 429 aside); -1 retries as the provider
// does. Every answer it receives is noted (seen), for the probe tables.
func (l *live) newClient(key string, maxRetries int) (*elevenlabs.Client, error) {
	return elevenlabs.New(elevenlabs.Config{BaseURL: l.base, APIKey: key, UserAgent: "terraform-provider-elevenlabs-testlive",
		MaxRetries: maxRetries, Transport: l.seen})
}

// seen notes the status of the last HTTP answer and whether it carried a
// request id header: Client.Call reports a 2xx answer only by decoding it,
// and an error answer's request id may come from its body. The probes run
// one at a time, each taking (Swap) what its request left.
func (l *live) seen(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if resp != nil {
			l.last.Store(&answer{status: resp.StatusCode, requestID: resp.Header.Get("x-request-id") != "" || resp.Header.Get("request-id") != ""})
		}
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
