package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// The 429 scenarios: an apply from scratch of N elevenlabs_agent_auth
// resources while the fake answers some requests with 429
// too_many_concurrent_requests. The faults section is the small one (every
// 3rd answer a 429, with and without Retry-After); the rate-limit section
// runs at fleet scale against a concurrency limit (a) and every 3rd answer a
// 429 (b), with targets (issue 11, part 2).

const (
	concurrencyLimit     = 3    // C: requests the fake serves at once in rate-limit scenario (a)
	rateLimitRatioTarget = 1.3  // (a): wall ≤ 1.3 × (floor + N × latency / C)
	rateLimit429Target   = 0.10 // (a): 429 answers ≤ 10 % of requests
)

// fault is how the fake answers 429s during one scenario.
type fault struct {
	title      string
	limit      int    // at most this many requests in flight (SetConcurrencyLimit); 0: no limit
	every      int    // every n-th answer a 429 (SetFailEvery); 0: none
	retryAfter string // on the 429s; "" sends none
}

var (
	faultScenarios = []fault{
		{title: "no faults (reference)"},
		{title: "every 3rd answer 429, no Retry-After", every: 3},
		{title: "every 3rd answer 429, Retry-After: 1", every: 3, retryAfter: "1"},
	}
	cLimit             = "(a) concurrency limit C = " + strconv.Itoa(concurrencyLimit)
	rateLimitScenarios = []fault{
		{title: cLimit + ", no Retry-After", limit: concurrencyLimit},
		{title: cLimit + ", Retry-After: 1", limit: concurrencyLimit, retryAfter: "1"},
		{title: "(b) every 3rd answer 429, no Retry-After", every: 3},
	}
	apply = []string{"apply", "-input=false", "-auto-approve"}
)

// underFault applies the resources in dir from scratch, runs times, while
// the fake answers as v says. Every run is checked: the apply succeeds, every
// agent holds its configuration afterwards, and the fake received exactly one
// PATCH per resource plus one retry per 429; else it is a failed run.
func (b *bencher) underFault(f *fake, dir, what string, v fault, runs int) (*row, error) {
	r := &row{n: len(f.ids), title: v.title}
	return r, b.repeat(f, runs, arm{
		label: fmt.Sprintf("%s N=%d %-42s", what, r.n, v.title), dir: dir, args: apply, fresh: true, soft: true,
		want: fmt.Sprintf("Resources: %d added, 0 changed, 0 destroyed.", r.n),
		fault: func(s *fakeapi.Server) {
			s.SetConcurrencyLimit(v.limit, v.retryAfter)
			s.SetFailEvery(v.every, http.StatusTooManyRequests, fakeapi.CodeTooManyConcurrent, v.retryAfter)
		},
		before: func() error { // every agent public, so that a PATCH that never came shows
			for _, id := range f.ids {
				f.srv.SetAuth(id, map[string]any{"enable_auth": false, "allowlist": []any{}, "require_origin_header": false})
			}
			return writeFiles(dir, resources(kindEleven, f.ids, false))
		},
		into: &r.runs,
		after: func(label string, run *cliRun) {
			b.expect(label, run.counts, map[string]int{"PATCH " + fakeapi.RouteAgent: r.n + run.served})
			for i, id := range f.ids {
				a, _ := f.srv.Agent(id)
				ps, _ := a["platform_settings"].(map[string]any)
				auth, _ := ps["auth"].(map[string]any)
				if enabled, _ := auth["enable_auth"].(bool); enabled != (i%2 == 0) {
					run.failed = true
					b.fail("%s: agent %s has enable_auth=%v after apply", label, id, enabled)
					return
				}
			}
		},
	})
}

func (b *bencher) faultsSection(p *page) error {
	f := b.startFake(b.o.faultAgents, named("fault agent"))
	defer f.Close()
	var rows []*row
	for _, v := range faultScenarios {
		r, err := b.underFault(f, filepath.Join(b.o.work, "faults"), "429 scenario", v, b.o.repeat)
		if err != nil {
			return err
		}
		rows = append(rows, r)
	}
	p.N, p.Tables = b.o.faultAgents, []string{table(rows, text("variant", func(r *row) string { return r.title }),
		num("wall time", func(r *row) string { return timed(r.runs) }),
		num("429s served", func(r *row) string { return perRun(r.runs, func(c cliRun) int { return c.served }) }),
		num("requests", func(r *row) string { return perRun(r.runs, func(c cliRun) int { return c.requests }) }),
		text("failures", func(r *row) string { return map[bool]string{true: "none", false: "**FAILED**"}[r.failedRuns() == 0] }))}
	return nil
}

func (b *bencher) rateLimitSection(p *page) error {
	n := b.o.rateLimitAgents
	f := b.startFake(n, named("rate agent"))
	defer f.Close()
	// The CLI's own cost: terraform_data apply from scratch of the same N.
	var data []cliRun
	dataDir := filepath.Join(b.o.work, "ratelimit-floor")
	if err := b.repeat(f, b.o.repeat, arm{label: fmt.Sprintf("rate-limit floor N=%d terraform_data apply", n), dir: dataDir,
		args: apply, fresh: true, want: fmt.Sprintf("Resources: %d added, 0 changed, 0 destroyed.", n), into: &data, calls: none,
		before: func() error { return writeFiles(dataDir, resources(kindData, f.ids, false)) }}); err != nil {
		return err
	}
	var rows []*row
	for _, v := range rateLimitScenarios {
		runs := b.o.repeat
		if v.limit == 0 {
			runs = b.o.rateLimitRuns
		}
		r, err := b.underFault(f, filepath.Join(b.o.work, "ratelimit"), "rate-limit", v, runs)
		if err != nil {
			return err
		}
		rows = append(rows, r)
		if v.limit == 0 {
			p.Target += fmt.Sprintf("- Target (b), every 3rd answer 429: %d of %d runs failed — **%s**.\n", r.failedRuns(), len(r.runs), passFail(r.failedRuns() == 0))
			continue
		}
		r.base, r.latency = data, time.Duration(n)*b.o.latency/concurrencyLimit
		retryAfter := "no Retry-After"
		if v.retryAfter != "" {
			retryAfter = "Retry-After: " + v.retryAfter
		}
		target := fmt.Sprintf("Target (a), C = %d, %s: %d failed runs, wall **%.2f** × floor (≤ %.1f), worst 429 share %.1f %% (≤ %.0f %%) — **%s**.",
			concurrencyLimit, retryAfter, r.failedRuns(), r.ratio(), rateLimitRatioTarget, 100*share429(r), 100*rateLimit429Target, passFail(rateLimitMet(r)))
		p.Target += "- " + target + "\n"
		// The targets hold at fleet scale; a -quick run's 30 resources end
		// before the limit has settled, so it reports them without failing.
		if !b.o.quick && (r.ratio() > rateLimitRatioTarget || share429(r) > rateLimit429Target) {
			b.fail("rate-limit, %s", strings.ReplaceAll(target, "**", ""))
		}
	}
	ifFloor := func(f func(r *row) string) func(r *row) string {
		return func(r *row) string {
			if r.base == nil {
				return "n/a"
			}
			return f(r)
		}
	}
	p.N, p.Tables = n, []string{table(rows, text("scenario", func(r *row) string { return r.title }),
		num("runs", func(r *row) string { return strconv.Itoa(len(r.runs)) }),
		num("failed runs", func(r *row) string { return strconv.Itoa(r.failedRuns()) }),
		num("wall time", func(r *row) string { return timed(r.runs) }),
		num("floor", ifFloor(colFloor.cell)), num("ratio", ifFloor(colRatio.cell)),
		text("429s served (per run)", func(r *row) string { return perRun(r.runs, func(c cliRun) int { return c.served }) }),
		text("requests (per run)", func(r *row) string { return perRun(r.runs, func(c cliRun) int { return c.requests }) }),
		num("worst 429 share", func(r *row) string { return fmt.Sprintf("%.1f %%", 100*share429(r)) }),
		text("target", func(r *row) string { return "**" + passFail(rateLimitMet(r)) + "**" }))}
	return nil
}

// share429 is the largest share of 429 answers among the requests of a run.
func share429(r *row) float64 {
	worst := 0.0
	for _, c := range r.runs {
		if c.requests > 0 {
			worst = max(worst, float64(c.served)/float64(c.requests))
		}
	}
	return worst
}

// rateLimitMet: no failed run and, for (a), wall time and 429 share within
// their targets.
func rateLimitMet(r *row) bool {
	return r.failedRuns() == 0 && (r.base == nil || r.ratio() <= rateLimitRatioTarget && share429(r) <= rateLimit429Target)
}
