package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

const (
	benchKey       = "bench-key"
	cliParallelism = 10 // the CLI's default -parallelism; the bench never overrides it
	commandTimeout = 15 * time.Minute
)

// fake is one fake API served on a loopback port.
type fake struct {
	srv   *fakeapi.Server
	hs    *http.Server
	url   string
	conns atomic.Int64 // TCP connections accepted
}

func startFake(latency time.Duration) (*fake, error) {
	srv := fakeapi.New(fakeapi.WithAPIKey(benchKey), fakeapi.WithLatency(latency))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &fake{srv: srv, url: "http://" + ln.Addr().String()}
	f.hs = &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				f.conns.Add(1)
			}
		}}
	go func() { _ = f.hs.Serve(ln) }()
	return f, nil
}

func (f *fake) close() { _ = f.hs.Close() }

// startFakeWithAgents starts the fake and creates n agents out of band, named
// "<prefix> <i>"; it returns their ids in order.
func startFakeWithAgents(latency time.Duration, n int, prefix string) (*fake, []string, error) {
	f, err := startFake(latency)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = f.srv.CreateAgent(fmt.Sprintf("%s %d", prefix, i))
	}
	return f, ids, nil
}

type bencher struct {
	ctx      context.Context
	o        options
	rcFile   string
	extraEnv []string // added to the CLI's environment (the diagnostic arm)
	machine  machine  // what the report says about the machine and the build
	measured []string // the names of the measured sections, for the text ones
}

func newBencher(ctx context.Context, o options) (*bencher, error) {
	rc, err := clirun.WriteConfig(o.work, filepath.Dir(o.provider))
	if err != nil {
		return nil, err
	}
	return &bencher{ctx: ctx, o: o, rcFile: rc}, nil
}

func (b *bencher) close() {}

// env is the CLI's environment: nothing from the caller that steers the CLI
// or the provider (clirun.Env), the fake's key and URL, then extraEnv.
func (b *bencher) env(baseURL string) []string {
	return clirun.Env(b.rcFile, append([]string{"ELEVENLABS_API_KEY=" + benchKey, "ELEVENLABS_BASE_URL=" + baseURL}, b.extraEnv...)...)
}

// cliRun is one CLI command's outcome.
type cliRun struct {
	wall      time.Duration
	cliHWM    int64         // KiB: the CLI process's VmHWM, last sample before it exited
	provHWM   int64         // KiB: the largest VmHWM sampled of any plugin process it started
	provProcs int           // plugin processes seen (sampled, so a very short-lived one can be missed)
	cpu       time.Duration // user+sys of the CLI and its reaped children (the plugin processes), from wait4
	provCPU   time.Duration // user+sys of the plugin processes, last sample before each exited
	rusageMax int64         // KiB: wait4 ru_maxrss, max over the CLI and its reaped children
	conns     int64         // TCP connections the fake API accepted during the command
	out       string
	code      int
}

// runCLI runs the CLI (-tofu) in dir and samples /proc while it runs.
func (b *bencher) runCLI(dir, baseURL string, args ...string) (cliRun, error) {
	return b.runCLIWith(b.o.tofu, dir, baseURL, args...)
}

// runCLIWith is runCLI with the CLI at path cli.
func (b *bencher) runCLIWith(cli, dir, baseURL string, args ...string) (cliRun, error) {
	ctx, cancel := context.WithTimeout(b.ctx, commandTimeout)
	defer cancel()
	ws := clirun.Workspace{CLI: cli, Dir: dir, Env: b.env(baseURL)}
	p, err := ws.Start(ctx, nil, args...)
	if err != nil {
		return cliRun{}, err
	}
	s := newSampler(p.Pid())
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.loop(done) }()
	res, err := p.Wait()
	close(done)
	wg.Wait()

	r := cliRun{wall: res.Wall, out: res.Out, code: res.Code, cliHWM: s.cli, provProcs: len(s.children)}
	for _, kb := range s.children {
		r.provHWM = max(r.provHWM, kb)
	}
	for _, ticks := range s.childCPU {
		r.provCPU += time.Duration(ticks) * time.Second / clockTicks
	}
	if st := res.State; st != nil {
		r.cpu = st.UserTime() + st.SystemTime()
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			r.rusageMax = ru.Maxrss // KiB on Linux
		}
	}
	return r, err
}

// sampler polls /proc for the peak RSS (VmHWM) of a process and of its
// children. VmHWM only grows, so the last sample before exit is the peak up
// to that sample (up to one interval of growth can be missed).
type sampler struct {
	pid      int
	cli      int64
	children map[int]int64 // pid -> VmHWM KiB
	childCPU map[int]int64 // pid -> utime+stime in clock ticks
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat times (100 on Linux).
const clockTicks = 100

const sampleEvery = 20 * time.Millisecond

func newSampler(pid int) *sampler {
	return &sampler{pid: pid, children: map[int]int64{}, childCPU: map[int]int64{}}
}

func (s *sampler) loop(done <-chan struct{}) {
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	for {
		s.sample()
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

func (s *sampler) sample() {
	if kb, ok := vmHWM(s.pid); ok {
		s.cli = max(s.cli, kb)
	}
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", s.pid))
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", s.pid, t.Name()))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			child, err := strconv.Atoi(f)
			if err != nil {
				continue
			}
			if kb, ok := vmHWM(child); ok {
				s.children[child] = max(s.children[child], kb)
			} else if _, seen := s.children[child]; !seen {
				s.children[child] = 0
			}
			if t, ok := cpuTicks(child); ok {
				s.childCPU[child] = max(s.childCPU[child], t)
			}
		}
	}
}

// cpuTicks reads utime+stime of pid from /proc/PID/stat.
func cpuTicks(pid int) (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:])) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	return u + s, err1 == nil && err2 == nil
}

// vmHWM reads the peak resident set size of pid in KiB.
func vmHWM(pid int) (int64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb, err == nil
		}
	}
	return 0, false
}

// writeConfig writes main.tf for n resources of kind in variant a or b.
// elevenlabs: even resources use signed URLs, odd ones an allowlist; variant b
// swaps the two, so every resource changes. terraform_data: the same values
// as its input.
func writeConfig(dir, kind string, ids []string, variantB bool) error {
	var sb strings.Builder
	if kind == kindEleven {
		sb.WriteString(clirun.RequiredProviders + "\nprovider \"elevenlabs\" {}\n")
	}
	for i, id := range ids {
		signed := (i%2 == 0) != variantB
		host := fmt.Sprintf("app%d.example.com", i)
		if kind == kindEleven {
			mode := "enable_auth = true"
			if !signed {
				mode = fmt.Sprintf("allowlist   = [%q]", host)
			}
			fmt.Fprintf(&sb, "\nresource \"elevenlabs_agent_auth\" \"a%d\" {\n  agent_id    = %q\n  %s\n}\n", i, id, mode)
			continue
		}
		list := "[]"
		if !signed {
			list = fmt.Sprintf("[%q]", host)
		}
		fmt.Fprintf(&sb, "\nresource \"terraform_data\" \"a%d\" {\n  input = {\n    agent_id    = %q\n    enable_auth = %t\n    allowlist   = %s\n  }\n}\n",
			i, id, signed, list)
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(sb.String()), 0o644)
}

func resetState(dir string) error {
	matches, _ := filepath.Glob(filepath.Join(dir, "terraform.tfstate*"))
	for _, m := range matches {
		if err := os.Remove(m); err != nil {
			return err
		}
	}
	return nil
}

// freshRun starts one apply run of a fault scenario from scratch: no state in
// dir, every agent public (so each apply has work to do), no faults, counters
// and request log cleared.
func (f *fake) freshRun(dir string, ids []string) error {
	if err := resetState(dir); err != nil {
		return err
	}
	for _, id := range ids {
		f.srv.SetAuth(id, map[string]any{"enable_auth": false, "allowlist": []any{}, "require_origin_header": false})
	}
	f.srv.ClearFaults()
	f.srv.ResetCounters()
	f.srv.ResetRequests()
	return nil
}
