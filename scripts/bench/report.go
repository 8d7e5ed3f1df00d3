package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// notes.md is the hand-written analysis appended to the report.
//
//go:embed notes.md
var notes string

const ratioTarget = 1.25

type machine struct {
	cpus, memory, cpu, goVersion, tofu, commit string
}

type report struct {
	opts       options
	began      time.Time
	took       time.Duration
	machine    machine
	rows       []row
	audit      []auditRow
	startup    startupResult
	sizes      []binarySize
	faults     []faultRow
	rateLimits []rateRow
	failures   []string
}

func describeMachine(ctx context.Context, tofu string) machine {
	m := machine{cpus: strconv.Itoa(runtime.NumCPU()), goVersion: runtime.Version()}
	if out, err := exec.CommandContext(ctx, "nproc").Output(); err == nil {
		m.cpus = strings.TrimSpace(string(out))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				m.memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	cmd := exec.CommandContext(ctx, tofu, "version")
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	if out, err := cmd.Output(); err == nil {
		m.tofu = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
	}
	if out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.commit = strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md").Output(); err == nil && len(st) > 0 {
			m.commit += " (with uncommitted changes)"
		}
	}
	return m
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
func ms(d time.Duration) string   { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }
func mib(kb int64) string {
	if kb <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
}

func maxOf(runs []cliRun, f func(cliRun) int64) int64 {
	var m int64
	for _, r := range runs {
		m = max(m, f(r))
	}
	return m
}

func medianOf(runs []cliRun, f func(cliRun) time.Duration) time.Duration {
	d := make([]time.Duration, len(runs))
	for i, r := range runs {
		d[i] = f(r)
	}
	return median(d)
}

func spread(runs []cliRun) string {
	if len(runs) < 2 {
		return ""
	}
	lo, hi := runs[0].wall, runs[0].wall
	for _, r := range runs {
		lo, hi = min(lo, r.wall), max(hi, r.wall)
	}
	return fmt.Sprintf(" (%.2f–%.2f)", lo.Seconds(), hi.Seconds())
}

func (rep *report) markdown() string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	o := rep.opts
	m := rep.machine

	w("# Benchmarks\n\n")
	w("Written by `make bench` (`go run ./scripts/bench`); do not edit by hand, re-run it.\n")
	if o.quick {
		w("\n**Quick smoke run (`-quick`): not the published figures.**\n")
	}
	w("\n| machine | |\n| --- | --- |\n")
	w("| date | %s |\n", rep.began.UTC().Format("2006-01-02 15:04 MST"))
	w("| CPUs (`nproc`) | %s |\n| memory | %s |\n| CPU | %s |\n", m.cpus, m.memory, m.cpu)
	w("| Go | %s |\n| CLI | %s |\n| provider commit | %s |\n", m.goVersion, m.tofu, m.commit)
	w("| fake API latency | %s per request, served in-process on 127.0.0.1 |\n", o.latency)
	w("| CLI parallelism | %d (the default; never overridden) |\n", cliParallelism)
	w("| repeats | %d per measurement; times are medians (min–max in brackets) |\n", o.repeat)
	w("| the bench run itself took | %s |\n", rep.took.Round(time.Second))

	// Headline.
	w("\n## Targets\n\n")
	okCounts := true
	for _, f := range rep.failures {
		okCounts = okCounts && !strings.HasPrefix(f, "N=")
	}
	if len(rep.rows) > 0 {
		w("- Exactly 1 API request per resource per refresh and per change: **%s**", passFail(okCounts))
		w(" (checked on every run; the bench exits 1 otherwise).\n")
	}
	if len(rep.rateLimits) > 0 {
		w("- Rate limits at fleet scale (%d resources): see that section below.\n", rep.rateLimits[0].n)
	}
	if len(rep.rows) > 0 {
		big := rep.rows[len(rep.rows)-1].n
		w("- Wall time ≤ %.2f × floor at %d resources:", ratioTarget, big)
		var parts []string
		allMet := true
		for _, r := range rep.rows {
			if r.n != big || r.op.key == "plan-norefresh" {
				continue
			}
			met := r.ratio() <= ratioTarget
			allMet = allMet && met
			parts = append(parts, fmt.Sprintf(" %s **%.2f**", r.op.title, r.ratio()))
		}
		w("%s — **%s**.\n", strings.Join(parts, ","), map[bool]string{true: "met", false: "not met"}[allMet])
		var qparts []string
		for _, r := range rep.rows {
			if r.n == big && len(r.quiet) > 0 && r.op.key != "plan-norefresh" {
				qparts = append(qparts, fmt.Sprintf(" %s %.2f", r.op.title, r.quietRatio()))
			}
		}
		if len(qparts) > 0 {
			w("- The same with plugin logging off (diagnostic, below):%s.\n", strings.Join(qparts, ","))
		}
	}

	if len(rep.rows) > 0 {
		w("\n## CLI commands: elevenlabs_agent_auth vs the floor\n\n")
		w("Wall time, median of %d runs (min–max).\n\n", o.repeat)
		w("| N | operation | API requests per resource | elevenlabs | terraform_data | latency floor | floor | ratio | overhead per resource |\n")
		w("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		for _, r := range rep.rows {
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
		for _, r := range rep.rows {
			ce, cp, cd := medianOf(r.eleven, func(c cliRun) time.Duration { return c.cpu }),
				medianOf(r.eleven, func(c cliRun) time.Duration { return c.provCPU }),
				medianOf(r.data, func(c cliRun) time.Duration { return c.cpu })
			w("| %d | %s | %s | %s | %s | %.2f | %s | %s | %d | %d | %s |\n",
				r.n, r.op.title, secs(ce), secs(cp), secs(cd), float64(ce)/float64(cd),
				mib(maxOf(r.eleven, func(c cliRun) int64 { return c.cliHWM })),
				mib(maxOf(r.eleven, func(c cliRun) int64 { return c.provHWM })),
				int(maxOf(r.eleven, func(c cliRun) int64 { return int64(c.provProcs) })),
				int(maxOf(r.eleven, func(c cliRun) int64 { return c.conns })),
				mib(maxOf(r.data, func(c cliRun) int64 { return c.cliHWM })))
		}

	}

	if len(rep.audit) > 0 {
		w("\n%s", auditMarkdown(rep.audit, o, m, rep.began))
	}

	var quiet []row
	for _, r := range rep.rows {
		if len(r.quiet) > 0 {
			quiet = append(quiet, r)
		}
	}
	if len(quiet) > 0 {
		w("\n## Diagnostic: the provider with plugin logging off\n\n")
		w("The same cycle at N = %d with `%s` in the environment (interleaved with the runs above). "+
			"See *Where the overhead goes* below.\n\n", quiet[0].n, strings.Join(quietEnv, " "))
		w("| N | operation | elevenlabs | elevenlabs, logs off | floor | ratio | ratio, logs off | CPU | CPU, logs off | CPU terraform_data |\n")
		w("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
		cpu := func(c cliRun) time.Duration { return c.cpu }
		for _, r := range quiet {
			w("| %d | %s | %s | %s%s | %s | %.2f | **%.2f** | %s | %s | %s |\n",
				r.n, r.op.title, secs(r.elevenMedian()), secs(medianWall(r.quiet)), spread(r.quiet), secs(r.floor()),
				r.ratio(), r.quietRatio(), secs(medianOf(r.eleven, cpu)), secs(medianOf(r.quiet, cpu)), secs(medianOf(r.data, cpu)))
		}
	}

	st := rep.startup
	mm := func(d []time.Duration) (string, string) {
		lo, hi := d[0], d[0]
		for _, x := range d {
			lo, hi = min(lo, x), max(hi, x)
		}
		return ms(median(d)), ms(lo) + "–" + ms(hi)
	}
	if len(st.schema) > 0 {
		w("\n%s\n\n", startupHeading)
		w("| measure | median | min–max |\n| --- | ---: | ---: |\n")
		a, b := mm(st.handshake)
		w("| exec → go-plugin handshake (gRPC server listening) | %s | %s |\n", a, b)
		a, b = mm(st.schema)
		w("| exec → `GetProviderSchema` answered (%d bytes) | **%s** | %s |\n", st.schemaBytes, a, b)
		a, b = mm(st.cliWith)
		w("| `tofu providers schema -json`, config using the provider | %s | %s |\n", a, b)
		a, b = mm(st.cliWithout)
		w("| `tofu providers schema -json`, config with no provider | %s | %s |\n", a, b)
		w("| difference (the provider's cost through the CLI) | %s | |\n", ms(median(st.cliWith)-median(st.cliWithout)))
		w("\n%d start-ups each.\n", len(st.schema))
	}

	if len(rep.sizes) > 0 {
		w("\n## Binary size\n\n| binary | flags | size |\n| --- | --- | ---: |\n")
	}
	for _, s := range rep.sizes {
		w("| %s | `%s` | %.1f MiB (%d bytes) |\n", s.label, s.flags, float64(s.bytes)/(1<<20), s.bytes)
	}

	if len(rep.faults) > 0 {
		w("\n## 429 scenario\n\n")
		w("`apply` from scratch of %d `elevenlabs_agent_auth` resources (the same %s latency) while the fake answers every 3rd API request with "+
			"429 `too_many_concurrent_requests` (`SetFailEvery(3, 429, …)`, counted across all requests). Default provider settings "+
			"(429s are retried for up to `rate_limit_timeout` = 5m, not counted by `max_retries`; without Retry-After the client "+
			"waits 1 s, then doubles, with jitter; each 429 also lowers how many requests the provider sends at once).\n\n", rep.faults[0].n, o.latency)
		w("| variant | wall time | 429s served | requests | failures |\n| --- | ---: | ---: | ---: | --- |\n")
		for _, fr := range rep.faults {
			failed := "none"
			if !fr.convergent {
				failed = "**FAILED**"
			}
			w("| %s | %s%s | %s | %s | %s |\n", fr.title, secs(fr.median()), spread(fr.runs), ints(fr.served429), ints(fr.requests), failed)
		}
		w("\n429s and requests are listed per run.\n")
	}

	rep.rateLimitMarkdown(w)

	if len(rep.failures) > 0 {
		w("\n## Failed checks\n\n")
		for _, f := range rep.failures {
			w("- %s\n", strings.ReplaceAll(f, "\n", " "))
		}
	}

	w("\n## What each row measures\n\n")
	w("Each size gets a fresh fake API with N agents created out of band, and two working directories: one with N " +
		"`elevenlabs_agent_auth` resources (even ones `enable_auth = true`, odd ones a one-host `allowlist`) and one with N " +
		"`terraform_data` resources carrying the same values as `input`. Per repeat, each directory runs this cycle in order " +
		"(the provider's cycle first, then the floor's), each command a fresh CLI process with `-input=false -no-color`:\n\n")
	w("1. **apply from scratch**: state deleted, `apply -auto-approve`. Empty state, so no refresh: plan N creates, apply them " +
		"(1 PATCH each; the state comes from the PATCH answer).\n")
	w("2. **plan, no-op (refresh)**: `plan -detailed-exitcode` right after. Refreshes every resource (1 GET each) and finds " +
		"no changes: the steady-state cost of a scheduled drift check.\n")
	w("3. **plan -refresh=false, no-op**: no API request at all. What is left is the CLI and the provider's gRPC round trips " +
		"(config validation, plan): the provider's own overhead, without latency.\n")
	w("4. **apply, all changed (refresh + update)**: the configuration with every resource switched to the other method, " +
		"`apply -auto-approve`: refresh (1 GET each), then update (1 PATCH each).\n\n")
	w("Columns:\n\n")
	w("- **elevenlabs**, **terraform_data**: median wall time of the CLI command, from exec to exit.\n")
	w("- **latency floor**: API requests per resource × N × %s / %d, the time the API latency alone takes at the CLI's "+
		"parallelism of %d.\n", o.latency, cliParallelism, cliParallelism)
	w("- **floor** = terraform_data (the CLI's cost with a built-in resource: no plugin process, no API) + latency floor. " +
		"**ratio** = elevenlabs / floor; **overhead per resource** = (elevenlabs − floor) / N.\n")
	w("- **API requests per resource**: the fake's counters (reset before each command) / N. The bench fails unless they " +
		"are exactly the numbers shown, on every run.\n")
	w("- **CLI peak RSS**: the CLI process's VmHWM from /proc, sampled every %s until it exits; max over repeats. "+
		"**provider peak RSS**: the largest VmHWM sampled of any plugin process the CLI started (its direct children, from "+
		"/proc/PID/task/*/children). **provider processes**: how many such processes the command started (a process living "+
		"less than %s can be missed). wait4's ru_maxrss is not used for either because on Linux it is the max over the CLI "+
		"and its reaped children, so it cannot tell them apart.\n", sampleEvery, sampleEvery)
	w("- **TCP connections to the API**: connections the fake accepted during the command (max over runs). The client " +
		"keeps up to 32 idle connections per host, so the CLI's 10 requests in flight reuse theirs; against the real API " +
		"each new connection is a TLS handshake.\n")
	w("- **CPU**: user + system time from wait4, which on Linux includes the children the CLI reaped (the plugin "+
		"processes); **of which provider** sums the plugin processes' utime + stime from /proc/PID/stat (last sample). "+
		"On a busy machine CPU time is steadier than wall time; on %s cores, CPU the CLI and the provider burn competes "+
		"directly with the requests in flight.\n", m.cpus)
	w("- **Provider start-up**: the provider binary started as the CLI starts it (go-plugin handshake environment), timed " +
		"from exec to the handshake line and to the answer of one `tfplugin6.Provider/GetProviderSchema` call on the announced " +
		"socket. The CLI rows time `tofu providers schema -json` with and without the provider in the configuration.\n")
	w("- Wall times are noisy on a small shared machine: compare the medians with the min–max spread before drawing conclusions.\n")

	w("\n## How to reproduce\n\n")
	w("```sh\nmake bench                          # builds bin/tofu and the provider, writes BENCHMARKS.md\n")
	w("go run ./scripts/bench -quick        # smoke run: N=10, once, report on stdout only\n")
	w("BENCH_SIZES=10,100 make bench        # other sizes\n")
	w("make bench-audit                    # only the audit rows; replaces that section of BENCHMARKS.md\n")
	w("make bench-rate-limits              # only the rate-limit scenarios; replaces that section of BENCHMARKS.md\n")
	w("go run ./scripts/bench -h            # -sizes, -repeat, -latency, -fault-agents, -rate-limit-agents, -concurrency-limit, -out, ...\n```\n")
	w("\nScratch files go to `.bench/` (removed by `make clean`). Only loopback is used.\n")
	if strings.TrimSpace(notes) != "" {
		w("\n%s", strings.TrimLeft(notes, "\n"))
	}
	return sb.String()
}

func passFail(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}
