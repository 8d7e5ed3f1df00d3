package clirun

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeCLI writes a shell script that stands in for the CLI.
func fakeCLI(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tofu")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	path, err := WriteConfig(dir, "bin")
	if err != nil || path != filepath.Join(dir, ConfigFile) {
		t.Fatalf("WriteConfig = %q, %v", path, err)
	}
	b, _ := os.ReadFile(path)
	bin := filepath.Join(dir, "bin")
	for _, want := range []string{
		`"registry.terraform.io/voicegate/elevenlabs" = "` + bin + `"`,
		`"registry.opentofu.org/voicegate/elevenlabs" = "` + bin + `"`,
		"direct {}",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the CLI configuration lacks %s:\n%s", want, b)
		}
	}
}

func TestEnvDropsWhatSteers(t *testing.T) {
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_VAR_x", "1")
	t.Setenv("ELEVENLABS_API_KEY", "sk_caller")
	t.Setenv("TESTLIVE_CLI", "terraform")
	t.Setenv("CLIRUN_KEPT", "yes")
	env := Env("/c/dev.tfrc", "ELEVENLABS_API_KEY=k", "TF_IN_AUTOMATION=0")
	for _, kv := range env {
		if kv == "TF_LOG=trace" || kv == "TF_VAR_x=1" || kv == "ELEVENLABS_API_KEY=sk_caller" || kv == "TESTLIVE_CLI=terraform" {
			t.Errorf("Env keeps %s", kv)
		}
	}
	for _, want := range []string{"CLIRUN_KEPT=yes", "TF_CLI_CONFIG_FILE=/c/dev.tfrc", "CHECKPOINT_DISABLE=1", "ELEVENLABS_API_KEY=k"} {
		if !slices.Contains(env, want) {
			t.Errorf("Env lacks %s", want)
		}
	}
	if env[len(env)-1] != "TF_IN_AUTOMATION=0" {
		t.Errorf("extra does not come last: %v", env[len(env)-3:])
	}
}

// TestRun: the arguments (-no-color after the command's words), the
// environment, stdout and stderr in one output, an empty stdin, the exit code.
func TestRun(t *testing.T) {
	cli := fakeCLI(t, `echo "args: $*"; echo "to stderr" >&2; echo "X=$X Y=$Y"; if read line; then echo "stdin: $line"; fi; exit "${CODE:-0}"`)
	w := &Workspace{CLI: cli, Dir: t.TempDir(), Env: []string{"X=1"}, NoColor: true}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "-detailed-exitcode"}, "args: plan -no-color -detailed-exitcode"},
		{[]string{"state", "rm", "a.b"}, "args: state rm -no-color a.b"},
		{[]string{"providers", "schema", "-json"}, "args: providers schema -no-color -json"},
		{[]string{"state", "-h"}, "args: state -no-color -h"},
		{[]string{"import", "a.b", "id"}, "args: import -no-color a.b id"},
	} {
		r, err := w.Run(context.Background(), []string{"Y=2", "CODE=2"}, tc.args...)
		if err != nil || r.Code != 2 {
			t.Fatalf("Run %v = %+v, %v", tc.args, r, err)
		}
		want := tc.want + "\nto stderr\nX=1 Y=2\n"
		if r.Out != want {
			t.Errorf("Run %v output %q, want %q", tc.args, r.Out, want)
		}
	}
	w.NoColor = false
	if r, err := w.Run(context.Background(), nil, "version"); err != nil || r.Code != 0 || !strings.HasPrefix(r.Out, "args: version\n") || r.State == nil {
		t.Errorf("Run version = %+v, %v", r, err)
	}
	if _, err := (&Workspace{CLI: filepath.Join(t.TempDir(), "missing")}).Run(context.Background(), nil, "plan"); err == nil {
		t.Error("a missing CLI ran")
	}
}

// TestRunInterrupted: an ended context (a deadline, or a cancel while the CLI
// works) sends SIGINT, as Ctrl-C does, and Run and Wait say so.
func TestRunInterrupted(t *testing.T) {
	cli := fakeCLI(t, `trap 'echo interrupted; exit 130' INT; echo started; while :; do sleep 0.02; done`)
	w := &Workspace{CLI: cli, Dir: t.TempDir()}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	r, err := w.Run(ctx, nil, "apply")
	if !errors.Is(err, context.DeadlineExceeded) || r.Code != 130 || !strings.Contains(r.Out, "interrupted") {
		t.Errorf("Run past its deadline = %+v, %v; want SIGINT and the deadline", r, err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	p, err := w.Start(ctx, nil, "apply")
	if err != nil || p.Pid() <= 0 {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	if r, err := p.Wait(); !errors.Is(err, context.Canceled) || r.Code != 130 || r.Out != "started\ninterrupted\n" {
		t.Errorf("interrupted run = %+v, %v", r, err)
	}
}

func TestTail(t *testing.T) {
	if got := Tail("a\nb\nc\n", 2); got != "    | b\n    | c" {
		t.Errorf("Tail = %q", got)
	}
	if got := Tail("a", 5); got != "    | a" {
		t.Errorf("Tail = %q", got)
	}
}

func TestVersionLine(t *testing.T) {
	cli := fakeCLI(t, `echo "OpenTofu v1.12.6"; echo "on linux_amd64"`)
	if got := VersionLine(context.Background(), cli); got != "OpenTofu v1.12.6" {
		t.Errorf("VersionLine = %q", got)
	}
	if got := VersionLine(context.Background(), fakeCLI(t, "echo hello")); got != "" {
		t.Errorf("VersionLine of a CLI that is none = %q", got)
	}
}
