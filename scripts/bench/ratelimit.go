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

// Targets of the rate-limit scenarios (issue 11, part 2).
const (
	rateLimitRatioTarget = 1.3  // wall ≤ 1.3 × (floor + N × latency / C)
	rateLimit429Target   = 0.10 // 429 answers ≤ 10 % of requests
)

// rateVariant is one rate-limit scenario: apply from scratch of
// rateLimitAgents resources against a fake that limits concurrency to
// limit (a) or answers every 3rd request 429 (b).
type rateVariant struct {
	key, title string
	limit      int    // fake concurrency limit; 0: none
	every      int    // fail-every; 0: none
	retryAfter string // Retry-After on the 429s
	runs       func(o options) int
}

var rateVariants = []rateVariant{
	{key: "a", title: "(a) concurrency limit C, no Retry-After", runs: func(o options) int { return o.repeat }},
	{key: "a", title: "(a) concurrency limit C, Retry-After: 1", retryAfter: "1", runs: func(o options) int { return o.repeat }},
	{key: "b", title: "(b) every 3rd answer 429, no Retry-After", every: 3, runs: func(o options) int { return o.rateLimitRuns }},
}

// rateRow is one variant's runs.
type rateRow struct {
	v        rateVariant
	n, limit int
	runs     []cliRun
	served   []int // 429s served per run
	requests []int // API requests per run
	failed   []bool
	floor    time.Duration // (a) only: terraform_data apply + N × latency / C
}

func (r rateRow) median() time.Duration { return medianWall(r.runs) }

func (r rateRow) failures() int {
	n := 0
	for _, f := range r.failed {
		if f {
			n++
		}
	}
	return n
}

// share429 is the largest share of 429 answers among the requests of a run.
func (r rateRow) share429() float64 {
	worst := 0.0
	for i, s := range r.served {
		if r.requests[i] > 0 {
			worst = max(worst, float64(s)/float64(r.requests[i]))
		}
	}
	return worst
}

func (r rateRow) ratio() float64 {
	if r.floor == 0 {
		return 0
	}
	return float64(r.median()) / float64(r.floor)
}

// rateLimits runs the rate-limit scenarios and the floor they are compared with.
func (b *bencher) rateLimits() ([]rateRow, []string, error) {
	n, limit := b.o.rateLimitAgents, b.o.concurrencyLimit
	f, ids, err := startFakeWithAgents(b.o.latency, n, "rate agent")
	if err != nil {
		return nil, nil, err
	}
	defer f.close()
	dir := filepath.Join(b.o.work, "ratelimit")
	dataDir := filepath.Join(b.o.work, "ratelimit-floor")
	for _, d := range []string{dir, dataDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, nil, err
		}
	}
	if err := writeConfig(dir, kindEleven, ids, false); err != nil {
		return nil, nil, err
	}
	if err := writeConfig(dataDir, kindData, ids, false); err != nil {
		return nil, nil, err
	}

	// The CLI floor: terraform_data apply from scratch of the same N.
	var data []cliRun
	for rep := 0; rep < b.o.repeat; rep++ {
		if err := resetState(dataDir); err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(os.Stderr, "bench: rate-limit floor N=%d terraform_data apply run %d/%d ... ", n, rep+1, b.o.repeat)
		r, err := b.runCLI(dataDir, f.url, "apply", "-input=false", "-no-color", "-auto-approve")
		if err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(os.Stderr, "%.2fs\n", r.wall.Seconds())
		if r.code != 0 {
			return nil, nil, fmt.Errorf("terraform_data apply: exit %d:\n%s", r.code, clirun.Tail(r.out, 30))
		}
		data = append(data, r)
	}
	floor := medianWall(data) + time.Duration(n)*b.o.latency/time.Duration(limit)

	var rows []rateRow
	var failures []string
	for _, v := range rateVariants {
		rr := rateRow{v: v, n: n}
		if v.limit == 0 && v.every == 0 {
			v.limit = limit
			rr.v.limit = limit
			rr.limit = limit
			rr.floor = floor
		}
		runs := v.runs(b.o)
		for rep := 0; rep < runs; rep++ {
			if err := f.freshRun(dir, ids); err != nil {
				return nil, nil, err
			}
			if v.limit > 0 {
				f.srv.SetConcurrencyLimit(v.limit, v.retryAfter)
			}
			if v.every > 0 {
				f.srv.SetFailEvery(v.every, http.StatusTooManyRequests, fakeapi.CodeTooManyConcurrent, v.retryAfter)
			}
			title := strings.Replace(v.title, "limit C", fmt.Sprintf("limit C = %d", v.limit), 1)
			fmt.Fprintf(os.Stderr, "bench: rate-limit N=%d %-45s run %d/%d ... ", n, title, rep+1, runs)
			r, err := b.runCLI(dir, f.url, "apply", "-input=false", "-no-color", "-auto-approve")
			f.srv.ClearFaults()
			if err != nil {
				return nil, nil, err
			}
			reqs := f.srv.Requests()
			served := 0
			for _, q := range reqs {
				if q.Status == http.StatusTooManyRequests {
					served++
				}
			}
			want := fmt.Sprintf("Resources: %d added, 0 changed, 0 destroyed.", n)
			failed := r.code != 0 || !strings.Contains(r.out, want) || strings.Contains(r.out, "Error:")
			errs := strings.Count(r.out, "Error:")
			fmt.Fprintf(os.Stderr, "%.2fs, %d requests, %d 429s, %d errors\n", r.wall.Seconds(), len(reqs), served, errs)
			if failed {
				failures = append(failures, fmt.Sprintf("rate-limit %q run %d: exit %d, %d errors:\n%s", title, rep+1, r.code, errs, clirun.Tail(r.out, 12)))
			} else if bad := checkAgents(f.srv, ids); bad != "" {
				failed = true
				failures = append(failures, fmt.Sprintf("rate-limit %q run %d: %s", title, rep+1, bad))
			}
			rr.runs = append(rr.runs, r)
			rr.served = append(rr.served, served)
			rr.requests = append(rr.requests, len(reqs))
			rr.failed = append(rr.failed, failed)
		}
		// The targets hold at fleet scale; a -quick run's 30 resources end
		// before the limit has settled, so it reports them without failing.
		if rr.floor > 0 && !b.o.quick {
			if rr.ratio() > rateLimitRatioTarget {
				failures = append(failures, fmt.Sprintf("rate-limit %q: wall %.2fs is %.2f × the floor %.2fs, target ≤ %.1f",
					rr.v.title, rr.median().Seconds(), rr.ratio(), floor.Seconds(), rateLimitRatioTarget))
			}
			if rr.share429() > rateLimit429Target {
				failures = append(failures, fmt.Sprintf("rate-limit %q: 429s were %.1f %% of requests, target ≤ %.0f %%",
					rr.v.title, 100*rr.share429(), 100*rateLimit429Target))
			}
		}
		rows = append(rows, rr)
	}
	return rows, failures, nil
}

// rateLimitSection runs the rate-limit scenarios and renders their section.
func (b *bencher) rateLimitSection() (string, []string, error) {
	m := b.startMeasurement()
	rows, failures, err := b.rateLimits()
	if err != nil {
		return "", nil, fmt.Errorf("rate-limit scenarios: %w", err)
	}
	return rateLimitMarkdown(rows, b.o.concurrencyLimit, m.done(failures)), failures, nil
}

// rateLimitMarkdown renders the rate-limit section from its rows.
func rateLimitMarkdown(rows []rateRow, concurrencyLimit int, m measurement) string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	n := 0
	if len(rows) > 0 {
		n = rows[0].n
	}
	w("## Rate limits at fleet scale\n\n%s\n", m.line())
	w("`apply` from scratch of %d `elevenlabs_agent_auth` resources (the same %s latency, the CLI's parallelism of %d, default "+
		"provider settings) against a fake API that (a) answers 429 `too_many_concurrent_requests` to every request beyond C = %d "+
		"in flight (`SetConcurrencyLimit`), or (b) answers every 3rd request with that 429 whatever the concurrency "+
		"(`SetFailEvery(3, 429, …)`). Targets: (a) 0 failures, wall ≤ %.1f × (terraform_data apply + N × latency / C) and 429s ≤ %.0f %% "+
		"of requests; (b) 0 failures in every run.%s\n\n",
		n, m.latency, cliParallelism, concurrencyLimit, rateLimitRatioTarget, 100*rateLimit429Target, quickNote(m.quick))
	for _, r := range rows {
		if r.floor > 0 {
			w("- Target (a), C = %d, %s: %d failed runs, wall **%.2f** × floor (≤ %.1f), worst 429 share %.1f %% (≤ %.0f %%) — **%s**.\n",
				r.limit, retryAfterLabel(r.v.retryAfter), r.failures(), r.ratio(), rateLimitRatioTarget, 100*r.share429(), 100*rateLimit429Target,
				passFail(r.failures() == 0 && r.ratio() <= rateLimitRatioTarget && r.share429() <= rateLimit429Target))
		} else {
			w("- Target (b), every 3rd answer 429: %d of %d runs failed — **%s**.\n", r.failures(), len(r.runs), passFail(r.failures() == 0))
		}
	}
	w("\n| scenario | runs | failed runs | wall time | floor | ratio | 429s served (per run) | requests (per run) | worst 429 share | target |\n")
	w("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |\n")
	for _, r := range rows {
		floor, ratio := "n/a", "n/a"
		ok := r.failures() == 0
		if r.floor > 0 {
			floor, ratio = secs(r.floor), fmt.Sprintf("**%.2f**", r.ratio())
			ok = ok && r.ratio() <= rateLimitRatioTarget && r.share429() <= rateLimit429Target
		}
		title := strings.Replace(r.v.title, "limit C", fmt.Sprintf("limit C = %d", r.limit), 1)
		w("| %s | %d | %d | %s%s | %s | %s | %s | %s | %.1f %% | **%s** |\n", title, len(r.runs), r.failures(),
			secs(r.median()), spread(r.runs), floor, ratio, ints(r.served), ints(r.requests), 100*r.share429(), passFail(ok))
	}
	w("\nA failed run is one where `apply` exits non-zero, prints an error or leaves an agent unconfigured. Wall times are "+
		"medians (min–max) and noisy on this shared %s-core machine (other jobs ran at the same time); the ratio compares two "+
		"medians taken in the same run.\n", m.machine.cpus)
	w("%s", m.failed())
	return sb.String()
}

// quickNote says that a -quick run does not enforce the (a) targets.
func quickNote(quick bool) string {
	if !quick {
		return ""
	}
	return " A `-quick` run reports the (a) targets but does not fail on them: its few resources are applied before the limit settles."
}

func retryAfterLabel(v string) string {
	if v == "" {
		return "no Retry-After"
	}
	return "Retry-After: " + v
}
