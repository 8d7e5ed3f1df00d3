package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

const (
	benchKey       = "bench-key"
	cliParallelism = 10 // the CLI's default -parallelism; the bench never overrides it
	commandTimeout = 15 * time.Minute
	sampleEvery    = 20 * time.Millisecond // how often /proc is read while a command runs
	clockTicks     = 100                   // USER_HZ, the unit of the times in /proc/PID/stat
)

type bencher struct {
	ctx      context.Context
	o        options
	rcFile   string
	machine  machine
	failures []string // the failed checks of the section being measured
}

func newBencher(ctx context.Context, o options) (*bencher, error) {
	rc, err := clirun.WriteConfig(o.work, filepath.Dir(o.provider))
	if err != nil {
		return nil, err
	}
	return &bencher{ctx: ctx, o: o, rcFile: rc, machine: describeMachine(ctx, o.tofu)}, nil
}

// env is the environment of the CLI and the provider: nothing from the
// caller's that steers them (clirun.Env), the fake's key and URL.
func (b *bencher) env(baseURL string) []string {
	return clirun.Env(b.rcFile, "ELEVENLABS_API_KEY="+benchKey, "ELEVENLABS_BASE_URL="+baseURL)
}

// fail records a failed check: the report is written, then the bench exits 1.
func (b *bencher) fail(format string, a ...any) {
	b.failures = append(b.failures, fmt.Sprintf(format, a...))
}

// fake is one fake API served on a loopback port, with the agents it was
// seeded with.
type fake struct {
	*httptest.Server
	srv   *fakeapi.Server
	ids   []string
	conns atomic.Int64 // TCP connections accepted
}

// startFake serves a fake API and creates n agents out of band, the i-th
// from spec(i).
func (b *bencher) startFake(n int, spec func(i int) fakeapi.AgentSpec) *fake {
	f := &fake{srv: fakeapi.New(fakeapi.WithAPIKey(benchKey), fakeapi.WithLatency(b.o.latency))}
	f.ids, f.Server = f.srv.SeedAgents(n, spec), httptest.NewUnstartedServer(f.srv)
	f.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			f.conns.Add(1)
		}
	}
	f.Start()
	return f
}

// named is an agent spec with a name and the default (public) auth.
func named(prefix string) func(int) fakeapi.AgentSpec {
	return func(i int) fakeapi.AgentSpec { return fakeapi.AgentSpec{Name: fmt.Sprintf("%s %d", prefix, i)} }
}

// arm is one CLI command of a scenario, run once in every repeat.
type arm struct {
	label string // the progress line's and the failed checks'
	cli   string // "" is -tofu
	dir   string
	args  []string
	want  string // the output must hold it, and the exit code be 0
	// soft: a command that fails (another exit code, want missing, an error
	// printed) is a failed run that the report counts; else it stops the bench.
	soft   bool
	fresh  bool                  // delete the state first
	before func() error          // prepares each run (the configuration, the agents)
	fault  func(*fakeapi.Server) // set on the fake for the run
	into   *[]cliRun             // where its runs go
	// calls is the exact API requests it must send (none: an empty map; nil:
	// after checks them).
	calls map[string]int
	after func(label string, r *cliRun) // more checks of a run that did not fail
}

// none is the calls of a command that must send no API request.
var none = map[string]int{}

// repeat runs the arms, in order, runs times.
func (b *bencher) repeat(f *fake, runs int, arms ...arm) error {
	for rep := 1; rep <= runs; rep++ {
		for _, a := range arms {
			a.label += fmt.Sprintf(" run %d/%d", rep, runs)
			r, err := b.exec(f, a)
			if err != nil {
				return err
			}
			*a.into = append(*a.into, r)
		}
	}
	return nil
}

// perSize measures rows at every size, in order.
func (b *bencher) perSize(measure func(n int) ([]*row, error)) ([]*row, error) {
	var rows []*row
	for _, n := range b.o.sizes {
		at, err := measure(n)
		if err != nil {
			return nil, err
		}
		rows = append(rows, at...)
	}
	return rows, nil
}

// cliRun is one CLI command's outcome.
type cliRun struct {
	wall      time.Duration
	cpu       time.Duration // user+sys of the CLI and its reaped children (the plugin processes), from wait4
	provCPU   time.Duration // user+sys of the plugin processes, last sample before each exited
	cliHWM    int64         // KiB: the CLI process's VmHWM, last sample before it exited
	provHWM   int64         // KiB: the largest VmHWM sampled of any plugin process it started
	provProcs int           // plugin processes seen (sampled, so a very short-lived one can be missed)
	conns     int64         // TCP connections the fake API accepted during the command
	counts    map[string]int
	requests  int  // requests the fake answered during the command
	served    int  // of which with 429
	failed    bool // a soft command that failed
	out       string
	code      int
}

// exec runs a once against f (nil: no API is called) from a clean slate
// (the fake's counters, request log and faults reset, its connections counted
// from zero), samples /proc while the CLI runs, and checks the run.
func (b *bencher) exec(f *fake, a arm) (cliRun, error) {
	var r cliRun
	if a.before != nil {
		if err := a.before(); err != nil {
			return r, err
		}
	}
	url, conns := "http://127.0.0.1:1", int64(0)
	if f != nil {
		url, conns = f.URL, f.conns.Load()
		f.srv.ResetCounters()
		f.srv.ResetRequests()
		f.srv.ClearFaults()
		if a.fault != nil {
			a.fault(f.srv)
		}
		defer f.srv.ClearFaults()
	}
	if a.fresh {
		states, _ := filepath.Glob(filepath.Join(a.dir, "terraform.tfstate*"))
		for _, s := range states {
			if err := os.Remove(s); err != nil {
				return r, err
			}
		}
	}
	if a.cli == "" {
		a.cli = b.o.tofu
	}
	fmt.Fprintf(os.Stderr, "bench: %s ... ", a.label)
	ctx, cancel := context.WithTimeout(b.ctx, commandTimeout)
	defer cancel()
	p, err := (&clirun.Workspace{CLI: a.cli, Dir: a.dir, Env: b.env(url), NoColor: true}).Start(ctx, nil, a.args...)
	if err != nil {
		return r, err
	}
	plugins := map[int]proc{} // the CLI's children, by pid
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			r.cliHWM = max(r.cliHWM, readProc(p.Pid()).hwm)
			files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", p.Pid()))
			for _, file := range files {
				pids, _ := os.ReadFile(file)
				for _, f := range strings.Fields(string(pids)) {
					if pid, err := strconv.Atoi(f); err == nil {
						was, now := plugins[pid], readProc(pid)
						plugins[pid] = proc{max(was.hwm, now.hwm), max(was.ticks, now.ticks)}
					}
				}
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	res, err := p.Wait()
	close(stop)
	<-done
	if err != nil {
		return r, err
	}
	r.wall, r.out, r.code, r.provProcs = res.Wall, res.Out, res.Code, len(plugins)
	r.cpu = res.State.UserTime() + res.State.SystemTime()
	for _, pl := range plugins {
		r.provHWM = max(r.provHWM, pl.hwm)
		r.provCPU += time.Duration(pl.ticks) * time.Second / clockTicks
	}
	fmt.Fprintf(os.Stderr, "%.2fs", r.wall.Seconds())
	if f != nil {
		r.conns, r.counts = f.conns.Load()-conns, f.srv.Counts()
		for _, q := range f.srv.Requests() {
			r.requests++
			if q.Status == http.StatusTooManyRequests {
				r.served++
			}
		}
		fmt.Fprintf(os.Stderr, ", %d requests, %d 429s", r.requests, r.served)
	}
	fmt.Fprintln(os.Stderr)
	if r.code != 0 || !strings.Contains(r.out, a.want) || a.soft && strings.Contains(r.out, "Error:") {
		msg := fmt.Sprintf("%s: exit %d, %d errors, output without %q:\n%s", a.label, r.code, strings.Count(r.out, "Error:"), a.want, clirun.Tail(r.out, 30))
		if !a.soft {
			return r, errors.New(msg)
		}
		r.failed = true
		b.fail("%s", msg)
		return r, nil
	}
	if a.calls != nil {
		b.expect(a.label, r.counts, a.calls)
	}
	if a.after != nil {
		a.after(a.label, &r)
	}
	return r, nil
}

// expect checks the fake's counters of a run against the exact API requests
// the command must send (a key missing from want: none of those).
func (b *bencher) expect(label string, counts, want map[string]int) {
	var bad []string
	keys := slices.AppendSeq(slices.Collect(maps.Keys(counts)), maps.Keys(want))
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if counts[k] != want[k] {
			bad = append(bad, fmt.Sprintf("%s: %d, want %d", k, counts[k], want[k]))
		}
	}
	if len(bad) > 0 {
		b.fail("%s: %s", label, strings.Join(bad, "; "))
	}
}

// proc is what /proc says of a process: its peak resident set size (VmHWM,
// KiB; it only grows, so the last sample is the peak up to then) and its CPU
// time (utime + stime, in clock ticks). Zero when it has exited.
type proc struct{ hwm, ticks int64 }

func readProc(pid int) proc {
	var p proc
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		if _, v, ok := strings.Cut(string(b), "VmHWM:"); ok {
			_, _ = fmt.Sscan(v, &p.hwm)
		}
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// After the command name, which may hold spaces: state first, utime 12th, stime 13th.
		if f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:])); len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			p.ticks = u + s
		}
	}
	return p
}

// writeFiles creates dir and writes the files (name → content) into it.
func writeFiles(dir string, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

const (
	kindEleven = "elevenlabs_agent_auth"
	kindData   = "terraform_data"
)

// resources is main.tf for one resource of kind per agent. elevenlabs: even
// resources use signed URLs, odd ones an allowlist; swapped swaps the two,
// so every resource changes. terraform_data: the same values as its input.
func resources(kind string, ids []string, swapped bool) map[string]string {
	var sb strings.Builder
	if kind == kindEleven {
		sb.WriteString(providerConfig)
	}
	for i, id := range ids {
		signed, list := (i%2 == 0) != swapped, fmt.Sprintf("[%q]", fmt.Sprintf("app%d.example.com", i))
		if signed {
			list = "[]"
		}
		if kind == kindData {
			fmt.Fprintf(&sb, "\nresource \"terraform_data\" \"a%d\" {\n  input = {\n    agent_id    = %q\n    enable_auth = %t\n    allowlist   = %s\n  }\n}\n",
				i, id, signed, list)
			continue
		}
		mode := "allowlist   = " + list
		if signed {
			mode = "enable_auth = true"
		}
		fmt.Fprintf(&sb, "\nresource \"elevenlabs_agent_auth\" \"a%d\" {\n  agent_id    = %q\n  %s\n}\n", i, id, mode)
	}
	return map[string]string{"main.tf": sb.String()}
}
