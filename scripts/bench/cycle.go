package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

const (
	kindEleven = "elevenlabs_agent_auth"
	kindData   = "terraform_data"
)

// operation is one CLI command of the measured cycle. The cycle runs them in
// order on one working directory, so each starts from the state the previous
// one left.
type operation struct {
	key, title string
	args       []string
	variantB   bool // write the changed configuration first
	fresh      bool // delete the state first
	get, patch int  // API requests per resource the operation must send
	wantOut    string
}

var cycleOps = []operation{
	{key: "create", title: "apply from scratch", args: []string{"apply", "-input=false", "-no-color", "-auto-approve"}, fresh: true,
		patch: 1, wantOut: "Resources: %d added, 0 changed, 0 destroyed."},
	{key: "plan", title: "plan, no-op (refresh)", args: []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"},
		get: 1, wantOut: "No changes."},
	{key: "plan-norefresh", title: "plan -refresh=false, no-op", args: []string{"plan", "-input=false", "-no-color", "-refresh=false", "-detailed-exitcode"},
		wantOut: "No changes."},
	{key: "update", title: "apply, all changed (refresh + update)", args: []string{"apply", "-input=false", "-no-color", "-auto-approve"}, variantB: true,
		get: 1, patch: 1, wantOut: "Resources: 0 added, %d changed, 0 destroyed."},
}

// row is one operation at one size: the provider's runs and the floor's.
type row struct {
	n        int
	op       operation
	eleven   []cliRun
	data     []cliRun
	quiet    []cliRun         // the provider with plugin logging off (diagnostic arm), if run
	requests []map[string]int // per elevenlabs run
	latency  time.Duration    // API latency floor: requests per resource x N x latency / parallelism
}

// arm is one way of running the cycle.
type arm struct {
	name, kind string
	env        []string
}

// quietEnv turns off the logs a framework provider writes to stderr by default
// (terraform-plugin-log defaults to TRACE when no level is set; the CLI parses
// every line and drops it unless TF_LOG asks for it): the SDK, its protocol
// and framework subsystems, and this provider's own logger (and so its
// elevenlabs_http subsystem).
var quietEnv = []string{"TF_LOG_SDK=off", "TF_LOG_SDK_PROTO=off", "TF_LOG_SDK_FRAMEWORK=off", "TF_LOG_PROVIDER_ELEVENLABS=off"}

func (r row) elevenMedian() time.Duration { return medianWall(r.eleven) }
func (r row) dataMedian() time.Duration   { return medianWall(r.data) }
func (r row) floor() time.Duration        { return r.dataMedian() + r.latency }
func (r row) ratio() float64              { return float64(r.elevenMedian()) / float64(r.floor()) }
func (r row) quietRatio() float64         { return float64(medianWall(r.quiet)) / float64(r.floor()) }

func medianWall(runs []cliRun) time.Duration {
	d := make([]time.Duration, len(runs))
	for i, r := range runs {
		d[i] = r.wall
	}
	return median(d)
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// cycle measures every operation at size n, alternating the provider and the
// floor (and, with quiet, the provider with plugin logging off) within each
// repeat.
func (b *bencher) cycle(n int, quiet bool) ([]row, []string, error) {
	f, ids, err := startFakeWithAgents(b.o.latency, n, "bench agent")
	if err != nil {
		return nil, nil, err
	}
	defer f.close()

	rows := make([]row, len(cycleOps))
	for i, op := range cycleOps {
		per := op.get + op.patch
		rows[i] = row{n: n, op: op, latency: time.Duration(per*n) * b.o.latency / cliParallelism}
	}
	var failures []string
	for rep := 0; rep < b.o.repeat; rep++ {
		arms := []arm{{name: kindEleven, kind: kindEleven}}
		if quiet {
			arms = append(arms, arm{name: "elevenlabs, logs off", kind: kindEleven, env: quietEnv})
		}
		arms = append(arms, arm{name: kindData, kind: kindData})
		for _, a := range arms {
			kind := a.kind
			b.extraEnv = a.env
			dir := filepath.Join(b.o.work, fmt.Sprintf("n%d", n), kind)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, nil, err
			}
			if err := resetState(dir); err != nil {
				return nil, nil, err
			}
			written := false
			variantB := false
			for i, op := range cycleOps {
				if !written || op.variantB != variantB {
					if err := writeConfig(dir, kind, ids, op.variantB); err != nil {
						return nil, nil, err
					}
					written, variantB = true, op.variantB
				}
				if op.fresh {
					if err := resetState(dir); err != nil {
						return nil, nil, err
					}
				}
				f.srv.ResetCounters()
				conns0 := f.conns.Load()
				fmt.Fprintf(os.Stderr, "bench: N=%d %-22s %-38s run %d/%d ... ", n, a.name, op.title, rep+1, b.o.repeat)
				r, err := b.runCLI(dir, f.url, op.args...)
				if err != nil {
					return nil, nil, err
				}
				r.conns = f.conns.Load() - conns0
				fmt.Fprintf(os.Stderr, "%.2fs\n", r.wall.Seconds())
				want := op.wantOut
				if strings.Contains(want, "%d") {
					want = fmt.Sprintf(want, n)
				}
				if r.code != 0 || !strings.Contains(r.out, want) {
					return nil, nil, fmt.Errorf("N=%d %s %q: exit %d, output lacks %q:\n%s", n, kind, op.title, r.code, want, clirun.Tail(r.out, 40))
				}
				if kind == kindData {
					rows[i].data = append(rows[i].data, r)
					continue
				}
				if a.env != nil {
					rows[i].quiet = append(rows[i].quiet, r)
				}
				counts := f.srv.Counts()
				if a.env == nil {
					rows[i].eleven = append(rows[i].eleven, r)
					rows[i].requests = append(rows[i].requests, counts)
				}
				if msg := checkCounts(counts, n, op.get, op.patch); msg != "" {
					failures = append(failures, fmt.Sprintf("N=%d %s (run %d): %s", n, op.title, rep+1, msg))
				}
			}
		}
	}
	b.extraEnv = nil
	return rows, failures, nil
}

// checkCounts compares the fake's counters with exactly get GETs and patch
// PATCHes of the agent per resource and nothing else.
func checkCounts(counts map[string]int, n, get, patch int) string {
	want := map[string]int{}
	if get > 0 {
		want["GET "+fakeapi.RouteAgent] = get * n
	}
	if patch > 0 {
		want["PATCH "+fakeapi.RouteAgent] = patch * n
	}
	var bad []string
	for k, v := range counts {
		if v != want[k] {
			bad = append(bad, fmt.Sprintf("%s: %d, want %d", k, v, want[k]))
		}
	}
	for k, v := range want {
		if _, ok := counts[k]; !ok {
			bad = append(bad, fmt.Sprintf("%s: 0, want %d", k, v))
		}
	}
	sort.Strings(bad)
	return strings.Join(bad, "; ")
}

// perResource renders counters as requests per resource, e.g. "1 GET + 1 PATCH".
func perResource(counts map[string]int, n int) string {
	keys := make([]string, 0, len(counts))
	for k, v := range counts {
		if v > 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "0"
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		method, route, _ := strings.Cut(k, " ")
		label := method
		if route != fakeapi.RouteAgent {
			label = k
		}
		parts = append(parts, fmt.Sprintf("%g %s", float64(counts[k])/float64(n), label))
	}
	return strings.Join(parts, " + ")
}

// cycleSection measures the cycle at every size and renders its section: the
// targets, the wall-time and the CPU/memory tables, and the diagnostic arm
// (-diagnose) with plugin logging off.
func (b *bencher) cycleSection() (string, []string, error) {
	m := b.startMeasurement()
	var rows []row
	var failures []string
	largest := slices.Max(b.o.sizes)
	for _, n := range b.o.sizes {
		r, fails, err := b.cycle(n, b.o.diagnose && n == largest)
		if err != nil {
			return "", nil, err
		}
		rows = append(rows, r...)
		failures = append(failures, fails...)
	}
	return cycleMarkdown(rows, m.done(failures)), failures, nil
}

// cycleMarkdown renders the cycle section from its rows.
func cycleMarkdown(rows []row, m measurement) string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	w("## CLI commands: elevenlabs_agent_auth vs the floor\n\n%s\n", m.line())

	okCounts := true
	for _, f := range m.failures {
		okCounts = okCounts && !strings.HasPrefix(f, "N=")
	}
	w("Targets:\n\n")
	w("- Exactly 1 API request per resource per refresh and per change: **%s**", passFail(okCounts))
	w(" (checked on every run; the bench exits 1 otherwise).\n")
	if len(rows) > 0 {
		big := rows[len(rows)-1].n
		w("- Wall time ≤ %.2f × floor at %d resources:", ratioTarget, big)
		var parts, qparts []string
		allMet := true
		for _, r := range rows {
			if r.n != big || r.op.key == "plan-norefresh" {
				continue
			}
			met := r.ratio() <= ratioTarget
			allMet = allMet && met
			parts = append(parts, fmt.Sprintf(" %s **%.2f**", r.op.title, r.ratio()))
			if len(r.quiet) > 0 {
				qparts = append(qparts, fmt.Sprintf(" %s %.2f", r.op.title, r.quietRatio()))
			}
		}
		w("%s — **%s**.\n", strings.Join(parts, ","), map[bool]string{true: "met", false: "not met"}[allMet])
		if len(qparts) > 0 {
			w("- The same with plugin logging off (diagnostic, below):%s.\n", strings.Join(qparts, ","))
		}
	}

	w("\nWall time, median of %d runs (min–max).\n\n", m.repeat)
	w("| N | operation | API requests per resource | elevenlabs | terraform_data | latency floor | floor | ratio | overhead per resource |\n")
	w("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		reqs := "n/a"
		if len(r.requests) > 0 {
			reqs = perResource(r.requests[0], r.n)
			for _, c := range r.requests[1:] {
				if perResource(c, r.n) != reqs {
					reqs += " (varies!)"
					break
				}
			}
		}
		over := float64(r.elevenMedian()-r.floor()) / float64(r.n) / float64(time.Millisecond)
		w("| %d | %s | %s | %s%s | %s%s | %s | %s | **%.2f** | %+.1f ms |\n",
			r.n, r.op.title, reqs,
			secs(r.elevenMedian()), spread(r.eleven), secs(r.dataMedian()), spread(r.data),
			secs(r.latency), secs(r.floor()), r.ratio(), over)
	}

	w("\nCPU time (median) and memory (max over runs) of the same commands.\n\n")
	w("| N | operation | CPU elevenlabs: CLI + provider | of which provider | CPU terraform_data | CPU ratio | CLI peak RSS | provider peak RSS | provider processes | TCP connections to the API | terraform_data CLI peak RSS |\n")
	w("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	cpu := func(c cliRun) time.Duration { return c.cpu }
	for _, r := range rows {
		ce, cp, cd := medianOf(r.eleven, cpu), medianOf(r.eleven, func(c cliRun) time.Duration { return c.provCPU }), medianOf(r.data, cpu)
		w("| %d | %s | %s | %s | %s | %.2f | %s | %s | %d | %d | %s |\n",
			r.n, r.op.title, secs(ce), secs(cp), secs(cd), float64(ce)/float64(cd),
			mib(maxOf(r.eleven, func(c cliRun) int64 { return c.cliHWM })),
			mib(maxOf(r.eleven, func(c cliRun) int64 { return c.provHWM })),
			int(maxOf(r.eleven, func(c cliRun) int64 { return int64(c.provProcs) })),
			int(maxOf(r.eleven, func(c cliRun) int64 { return c.conns })),
			mib(maxOf(r.data, func(c cliRun) int64 { return c.cliHWM })))
	}

	var quiet []row
	for _, r := range rows {
		if len(r.quiet) > 0 {
			quiet = append(quiet, r)
		}
	}
	if len(quiet) > 0 {
		w("\n### Diagnostic: the provider with plugin logging off\n\n")
		w("The same cycle at N = %d with `%s` in the environment (interleaved with the runs above). "+
			"See *Where the overhead goes* below.\n\n", quiet[0].n, strings.Join(quietEnv, " "))
		w("| N | operation | elevenlabs | elevenlabs, logs off | floor | ratio | ratio, logs off | CPU | CPU, logs off | CPU terraform_data |\n")
		w("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		for _, r := range quiet {
			w("| %d | %s | %s | %s%s | %s | %.2f | **%.2f** | %s | %s | %s |\n",
				r.n, r.op.title, secs(r.elevenMedian()), secs(medianWall(r.quiet)), spread(r.quiet), secs(r.floor()),
				r.ratio(), r.quietRatio(), secs(medianOf(r.eleven, cpu)), secs(medianOf(r.quiet, cpu)), secs(medianOf(r.data, cpu)))
		}
	}
	w("%s", m.failed())
	return sb.String()
}
