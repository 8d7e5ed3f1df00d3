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
	m.tofu = cliVersionLine(ctx, tofu)
	if out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.commit = strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md").Output(); err == nil && len(st) > 0 {
			m.commit += " (with uncommitted changes)"
		}
	}
	return m
}

// cliVersionLine is the first line of `CLI version` ("OpenTofu v1.12.6"), or "".
func cliVersionLine(ctx context.Context, cli string) string {
	cmd := exec.CommandContext(ctx, cli, "version")
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
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

// headerSection is the title and the machine; when and at which commit each
// section was measured is under that section's heading.
func (b *bencher) headerSection() (string, []string, error) {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	m := b.machine
	w("# Benchmarks\n\n")
	w("Written by `make bench` (`go run ./scripts/bench`); do not edit by hand, re-run it. Each section says when it was " +
		"measured, at which commit and how long it took: `make bench` measures them all in one run, `-sections` a subset " +
		"(see *How to reproduce*).\n")
	w("\n| machine | |\n| --- | --- |\n")
	w("| CPUs (`nproc`) | %s |\n| memory | %s |\n| CPU | %s |\n", m.cpus, m.memory, m.cpu)
	w("| fake API | served in-process on 127.0.0.1, a fixed latency per request (stated in each section) |\n")
	w("| CLI parallelism | %d (the default; never overridden) |\n", cliParallelism)
	return sb.String(), nil, nil
}

// methodSection says what the rows of the measured sections measure.
func (b *bencher) methodSection() (string, []string, error) {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	w("## What each row measures\n\n")
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
	w("- **latency floor**: API requests per resource × N × the fake's latency / %d, the time the API latency alone takes at the CLI's "+
		"parallelism of %d.\n", cliParallelism, cliParallelism)
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
		"directly with the requests in flight.\n", b.machine.cpus)
	w("- **Provider start-up**: the provider binary started as the CLI starts it (go-plugin handshake environment), timed " +
		"from exec to the handshake line and to the answer of one `tfplugin6.Provider/GetProviderSchema` call on the announced " +
		"socket. The CLI rows time `tofu providers schema -json` with and without the provider in the configuration.\n")
	w("- Wall times are noisy on a small shared machine: compare the medians with the min–max spread before drawing conclusions.\n")
	return sb.String(), nil, nil
}

// reproduceSection is the commands that write this file.
func (b *bencher) reproduceSection() (string, []string, error) {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	w("## How to reproduce\n\n")
	w("```sh\n")
	w("make bench                            # builds bin/tofu and the provider, measures every section, writes BENCHMARKS.md\n")
	w("make bench BENCH_SECTIONS=audit       # only the audit section; replaces that section of BENCHMARKS.md, keeps the rest\n")
	w("make bench BENCH_SECTIONS=none        # re-renders the text sections (this one, the notes) without measuring\n")
	w("BENCH_SIZES=10,100 make bench         # other sizes\n")
	w("go run ./scripts/bench -quick         # smoke run: small sizes, once, report on stdout only\n")
	w("go run ./scripts/bench -h             # -sections, -sizes, -repeat, -latency, -rate-limit-agents, -out, ...\n")
	w("```\n\n")
	w("Sections for `-sections` / `BENCH_SECTIONS` (comma-separated, or `all`, `none`): %s. Each is rendered from its own "+
		"results between `<!-- bench:begin NAME: … -->` and `<!-- bench:end NAME -->`; a run rewrites the sections it measured "+
		"and the text sections, and leaves every other byte of the file as it was. `make bench-audit` and "+
		"`make bench-rate-limits` are shortcuts for `BENCH_SECTIONS=audit` and `BENCH_SECTIONS=ratelimit`.\n\n",
		"`"+strings.Join(b.measured, "`, `")+"`")
	w("Scratch files go to `.bench/` (removed by `make clean`). Only loopback is used.\n")
	return sb.String(), nil, nil
}

// notesSection is the hand-written analysis, scripts/bench/notes.md.
func (b *bencher) notesSection() (string, []string, error) {
	return strings.Trim(notes, "\n") + "\n", nil, nil
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
