package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// faultRow is one variant of the 429 scenario: apply from scratch of
// faultAgents resources while every 3rd API answer is a 429.
type faultRow struct {
	title      string
	n          int
	runs       []cliRun
	served429  []int
	requests   []int
	convergent bool
}

type faultVariant struct {
	title      string
	every      int
	retryAfter string
}

var faultVariants = []faultVariant{
	{title: "no faults (reference)"},
	{title: "every 3rd answer 429, no Retry-After", every: 3},
	{title: "every 3rd answer 429, Retry-After: 1", every: 3, retryAfter: "1"},
}

func (b *bencher) faults() ([]faultRow, []string, error) {
	n := b.o.faultAgents
	f, ids, err := startFakeWithAgents(b.o.latency, n, "fault agent")
	if err != nil {
		return nil, nil, err
	}
	defer f.close()
	dir := filepath.Join(b.o.work, "faults")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	if err := writeConfig(dir, kindEleven, ids, false); err != nil {
		return nil, nil, err
	}

	var rows []faultRow
	var failures []string
	for _, v := range faultVariants {
		fr := faultRow{title: v.title, n: n, convergent: true}
		for rep := 0; rep < b.o.repeat; rep++ {
			if err := f.freshRun(dir, ids); err != nil {
				return nil, nil, err
			}
			if v.every > 0 {
				f.srv.SetFailEvery(v.every, http.StatusTooManyRequests, fakeapi.CodeTooManyConcurrent, v.retryAfter)
			}
			fmt.Fprintf(os.Stderr, "bench: 429 scenario N=%d %-38s run %d/%d ... ", n, v.title, rep+1, b.o.repeat)
			r, err := b.runCLI(dir, f.url, "apply", "-input=false", "-no-color", "-auto-approve")
			f.srv.ClearFaults()
			if err != nil {
				return nil, nil, err
			}
			fmt.Fprintf(os.Stderr, "%.2fs\n", r.wall.Seconds())
			served := 0
			reqs := f.srv.Requests()
			for _, q := range reqs {
				if q.Injected && q.Status == http.StatusTooManyRequests {
					served++
				}
			}
			fr.runs = append(fr.runs, r)
			fr.served429 = append(fr.served429, served)
			fr.requests = append(fr.requests, len(reqs))
			want := fmt.Sprintf("Resources: %d added, 0 changed, 0 destroyed.", n)
			if r.code != 0 || !strings.Contains(r.out, want) || strings.Contains(r.out, "Error:") {
				fr.convergent = false
				failures = append(failures, fmt.Sprintf("429 scenario %q run %d: exit %d:\n%s", v.title, rep+1, r.code, clirun.Tail(r.out, 30)))
				continue
			}
			if bad := checkAgents(f.srv, ids); bad != "" {
				fr.convergent = false
				failures = append(failures, fmt.Sprintf("429 scenario %q run %d: %s", v.title, rep+1, bad))
			}
			if want := len(ids) + served; len(reqs) != want {
				failures = append(failures, fmt.Sprintf("429 scenario %q run %d: %d requests, want %d (one PATCH per resource plus one retry per 429)",
					v.title, rep+1, len(reqs), want))
			}
		}
		rows = append(rows, fr)
	}
	return rows, failures, nil
}

// checkAgents verifies that every agent holds the configuration (variant a).
func checkAgents(srv *fakeapi.Server, ids []string) string {
	for i, id := range ids {
		a, ok := srv.Agent(id)
		if !ok {
			return id + " is gone"
		}
		ps, _ := a["platform_settings"].(map[string]any)
		auth, _ := ps["auth"].(map[string]any)
		enabled, _ := auth["enable_auth"].(bool)
		if enabled != (i%2 == 0) {
			return fmt.Sprintf("agent %s has enable_auth=%v after apply", id, enabled)
		}
	}
	return ""
}

func (fr faultRow) median() time.Duration { return medianWall(fr.runs) }

// faultsSection runs the 429 scenario and renders its section.
func (b *bencher) faultsSection() (string, []string, error) {
	m := b.startMeasurement()
	rows, failures, err := b.faults()
	if err != nil {
		return "", nil, fmt.Errorf("429 scenario: %w", err)
	}
	return faultsMarkdown(rows, m.done(failures)), failures, nil
}

// faultsMarkdown renders the 429 scenario's section.
func faultsMarkdown(rows []faultRow, m measurement) string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	w("## 429 scenario\n\n%s\n", m.line())
	n := 0
	if len(rows) > 0 {
		n = rows[0].n
	}
	w("`apply` from scratch of %d `elevenlabs_agent_auth` resources (the same %s latency) while the fake answers every 3rd API request with "+
		"429 `too_many_concurrent_requests` (`SetFailEvery(3, 429, …)`, counted across all requests). Default provider settings "+
		"(429s are retried for up to `rate_limit_timeout` = 5m, not counted by `max_retries`; without Retry-After the client "+
		"waits 1 s, then doubles, with jitter; each 429 also lowers how many requests the provider sends at once).\n\n", n, m.latency)
	w("| variant | wall time | 429s served | requests | failures |\n| --- | ---: | ---: | ---: | --- |\n")
	for _, fr := range rows {
		failed := "none"
		if !fr.convergent {
			failed = "**FAILED**"
		}
		w("| %s | %s%s | %s | %s | %s |\n", fr.title, secs(fr.median()), spread(fr.runs), ints(fr.served429), ints(fr.requests), failed)
	}
	w("\n429s and requests are listed per run.\n")
	w("%s", m.failed())
	return sb.String()
}
