package main

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// operation is one CLI command of the measured cycle. The cycle runs them in
// order on one working directory, so each starts from the state the previous
// one left.
type operation struct {
	title      string
	args       []string
	swapped    bool // the changed configuration (every resource switches method)
	fresh      bool // delete the state first
	get, patch int  // API requests per resource the operation must send
	want       string
}

var cycleOps = []operation{
	{title: "apply from scratch", args: []string{"apply", "-input=false", "-auto-approve"}, fresh: true,
		patch: 1, want: "Resources: %d added, 0 changed, 0 destroyed."},
	{title: "plan, no-op (refresh)", args: []string{"plan", "-input=false", "-detailed-exitcode"}, get: 1, want: "No changes."},
	{title: "plan -refresh=false, no-op", args: []string{"plan", "-input=false", "-refresh=false", "-detailed-exitcode"}, want: "No changes."},
	{title: "apply, all changed (refresh + update)", args: []string{"apply", "-input=false", "-auto-approve"}, swapped: true,
		get: 1, patch: 1, want: "Resources: 0 added, %d changed, 0 destroyed."},
}

// cycleSection runs the cycle at every size, the provider's and then the
// floor's (terraform_data) within each repeat, and checks the requests of
// every command of the provider's.
func (b *bencher) cycleSection(p *page) error {
	rows, err := b.perSize(b.cycle)
	if err != nil {
		return err
	}
	big := rows[len(rows)-1].n
	var parts []string
	allMet := true
	for _, r := range rows {
		if r.n == big && !strings.Contains(r.title, "-refresh=false") { // it sends nothing: no target
			allMet = allMet && r.ratio() <= ratioTarget
			parts = append(parts, fmt.Sprintf(" %s **%.2f**", r.title, r.ratio()))
		}
	}
	p.Target = fmt.Sprintf("- Exactly 1 API request per resource per refresh and per change: **%s** (checked on every run; the bench exits 1 otherwise).\n"+
		"- Wall time ≤ %.2f × floor at %d resources:%s — **%s**.\n",
		passFail(len(b.failures) == 0), ratioTarget, big, strings.Join(parts, ","), map[bool]string{true: "met", false: "not met"}[allMet])
	title := text("operation", func(r *row) string { return r.title })
	p.Tables = []string{
		table(rows, colN, title, text("API requests per resource", perResource), colTime("elevenlabs"), colBase("terraform_data"),
			colLatency, colFloor, colRatio, colOver("overhead per resource")),
		table(rows, colN, title,
			num("CPU elevenlabs: CLI + provider", func(r *row) string { return secs(median(r.runs, cpu)) }),
			num("of which provider", func(r *row) string { return secs(median(r.runs, func(c cliRun) time.Duration { return c.provCPU })) }),
			num("CPU terraform_data", func(r *row) string { return secs(median(r.base, cpu)) }),
			num("CPU ratio", func(r *row) string {
				return fmt.Sprintf("%.2f", float64(median(r.runs, cpu))/float64(median(r.base, cpu)))
			}),
			num("CLI peak RSS", func(r *row) string { return mib(peak(r.runs, func(c cliRun) int64 { return c.cliHWM })) }),
			colProvRSS,
			num("provider processes", func(r *row) string {
				return fmt.Sprint(peak(r.runs, func(c cliRun) int64 { return int64(c.provProcs) }))
			}),
			num("TCP connections to the API", func(r *row) string { return fmt.Sprint(peak(r.runs, func(c cliRun) int64 { return c.conns })) }),
			num("terraform_data CLI peak RSS", func(r *row) string { return mib(peak(r.base, func(c cliRun) int64 { return c.cliHWM })) })),
	}
	return nil
}

// cycle measures every operation at size n.
func (b *bencher) cycle(n int) ([]*row, error) {
	f := b.startFake(n, named("bench agent"))
	defer f.Close()
	rows := make([]*row, len(cycleOps))
	var arms []arm
	for _, kind := range []string{kindEleven, kindData} {
		dir := filepath.Join(b.o.work, fmt.Sprintf("n%d", n), kind)
		for i, op := range cycleOps {
			if rows[i] == nil {
				rows[i] = &row{n: n, title: op.title, latency: time.Duration((op.get+op.patch)*n) * b.o.latency / cliParallelism}
			}
			a := arm{label: fmt.Sprintf("N=%d %-22s %-38s", n, kind, op.title), dir: dir, args: op.args, fresh: op.fresh,
				want:   strings.ReplaceAll(op.want, "%d", strconv.Itoa(n)),
				before: func() error { return writeFiles(dir, resources(kind, f.ids, op.swapped)) },
				into:   &rows[i].base, calls: none}
			if kind == kindEleven {
				a.into, a.calls = &rows[i].runs, map[string]int{"GET " + fakeapi.RouteAgent: op.get * n, "PATCH " + fakeapi.RouteAgent: op.patch * n}
			}
			arms = append(arms, a)
		}
	}
	return rows, b.repeat(f, b.o.repeat, arms...)
}

// perResource renders the first run's requests per resource, e.g. "1 GET +
// 1 PATCH" (every run is checked to be exactly the same).
func perResource(r *row) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(r.runs[0].counts)) {
		if v := r.runs[0].counts[k]; v > 0 {
			label, route, _ := strings.Cut(k, " ")
			if route != fakeapi.RouteAgent {
				label = k
			}
			parts = append(parts, fmt.Sprintf("%g %s", float64(v)/float64(r.n), label))
		}
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, " + ")
}
