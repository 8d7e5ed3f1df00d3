//go:build linux || darwin

// Package demo_test keeps the offline demo (scripts/demo.sh, `make demo`) from
// rotting: the script parses, a full run passes every step, and an interrupted
// run leaves no fake API process and no temporary directory behind.
package demo_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestDemoScriptParses(t *testing.T) {
	out, err := exec.Command("bash", "-n", filepath.Join(repoRoot(t), "scripts", "demo.sh")).CombinedOutput()
	if err != nil {
		t.Fatalf("bash -n scripts/demo.sh: %v\n%s", err, out)
	}
}

// TestDemo runs `make demo` end to end, then interrupts a second run midway.
// It needs the pinned OpenTofu in bin/ (make tofu, which make test builds).
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs make demo; skipped with -short")
	}
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "bin", "tofu")); err != nil {
		t.Skip("bin/tofu is missing: run make tofu first")
	}

	t.Run("full run", func(t *testing.T) {
		tmp := t.TempDir()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "make", "--no-print-directory", "demo")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make demo: %v\n%s", err, out)
		}
		for _, want := range []string{"==> 8/8", "All 8 steps passed", "no conversation_signature"} {
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		checkNothingLeft(t, tmp)
	})

	// Ctrl-C in a terminal signals the whole process group (the fake too);
	// kill signals the script alone, which must then stop the fake itself.
	t.Run("interrupted", func(t *testing.T) { interrupt(t, root, syscall.SIGINT, true, 130) })
	t.Run("terminated", func(t *testing.T) { interrupt(t, root, syscall.SIGTERM, false, 143) })
}

// interrupt starts scripts/demo.sh, sends sig (to its process group, or to the
// script alone) once step 3 starts, and checks the exit code and the cleanup.
func interrupt(t *testing.T, root string, sig syscall.Signal, group bool, wantCode int) {
	tmp := t.TempDir()
	cmd := exec.Command(filepath.Join(root, "scripts", "demo.sh"))
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan bool, 1)
	var log lockedLog
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			log.add(sc.Text())
			if !sent && strings.HasPrefix(sc.Text(), "==> 3/8") {
				sent = true
				reached <- true
			}
		}
		if !sent {
			reached <- false
		}
	}()
	select {
	case ok := <-reached:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("the demo ended before step 3:\n%s", log.String())
		}
	case <-time.After(2 * time.Minute):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		t.Fatal("the demo did not reach step 3 within 2 minutes")
	}
	pid := cmd.Process.Pid
	if group {
		pid = -pid
	}
	if err := syscall.Kill(pid, sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if werr := <-done; werr != nil {
			t.Logf("after SIGKILL: %v", werr)
		}
		t.Fatalf("the demo did not stop within 30s of %v:\n%s", sig, log.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != wantCode {
		t.Errorf("demo after %v: %v, want exit status %d", sig, err, wantCode)
	}
	checkNothingLeft(t, tmp)
}

// lockedLog collects the demo's output while another goroutine may read it.
type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(line + "\n")
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// checkNothingLeft fails unless the demo removed its directory under tmp and
// no process (the fake API) still refers to tmp; such processes are killed.
func checkNothingLeft(t *testing.T, tmp string) {
	t.Helper()
	var procs map[int]string
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		procs = processesMentioning(tmp)
		if len(procs) == 0 || time.Now().After(deadline) {
			break
		}
	}
	for pid, cmdline := range procs {
		t.Errorf("process left running (now killed): %d %s", pid, cmdline)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in TMPDIR: %s", e.Name())
	}
}

// processesMentioning maps pid to command line (from /proc, so Linux only;
// none elsewhere) for the processes whose command line contains s, leaving
// out zombies.
func processesMentioning(s string) map[int]string {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	found := map[int]string{}
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(s)) {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join(d, "stat")); err == nil {
			if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
				continue
			}
		}
		found[pid] = strings.ReplaceAll(string(bytes.TrimRight(cmdline, "\x00")), "\x00", " ")
	}
	return found
}
