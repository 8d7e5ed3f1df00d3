// Package clirun drives the Terraform CLI (OpenTofu or HashiCorp Terraform)
// as a user does, against the provider built from this repository: a working
// directory, a CLI configuration whose dev_overrides point the provider's
// address at the built binary (no init, no registry, no network), an
// environment with nothing inherited that steers the CLI or the provider, and
// runs that capture the combined output and the exit code. The CLI tests
// (internal/provider), the bench (scripts/bench) and the live check
// (scripts/testlive) use it; the bash scripts get its CLI configuration from
// cmd/dev-cli-config.
//
// hashicorp/terraform-exec drives the same two CLIs, but through typed
// commands that do not fit here: they rewrite the arguments (plan always gets
// -detailed-exitcode, -lock, -parallelism and -refresh; validate and query
// run only as -json), refuse TF_LOG*, TF_VAR_* and TF_CLI_ARGS in the
// environment, blank TF_LOG unless it goes to a file (tests read provider
// logs on stderr), split stdout from stderr, and hide the process (the bench
// samples its memory and CPU). What this package takes from it is how a run
// stops: SIGINT first, as Ctrl-C, then a kill if the CLI has not stopped.
package clirun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// WaitDelay is how long a run whose context ended may take to stop after
// SIGINT before it is killed.
const WaitDelay = 20 * time.Second

// Workspace is a working directory and the CLI that runs in it.
type Workspace struct {
	// CLI is the path of tofu or terraform.
	CLI string
	// Dir is the working directory.
	Dir string
	// Env is the whole environment of each run (Env builds it).
	Env []string
	// NoColor adds -no-color after the command's words (after both in
	// `state rm`, `providers schema` and `workspace new`).
	NoColor bool
}

// New writes the CLI configuration into dir (WriteConfig) and returns a
// workspace that runs cli there with -no-color, in Env with extra added.
func New(cli, dir, providerDir string, extra ...string) (*Workspace, error) {
	config, err := WriteConfig(dir, providerDir)
	if err != nil {
		return nil, err
	}
	return &Workspace{CLI: cli, Dir: dir, Env: Env(config, extra...), NoColor: true}, nil
}

// Result is a finished run.
type Result struct {
	// Out is stdout and stderr, interleaved as the CLI wrote them.
	Out string
	// Code is the exit code (with -detailed-exitcode, 2 is a plan with
	// changes); -1 when a signal ended the CLI.
	Code int
	// Wall is the time from start to exit.
	Wall time.Duration
	// State is the exited process: CPU times and resource usage.
	State *os.ProcessState
}

// Run runs the CLI with args, extra added to the environment, and waits for
// it. Its stdin is empty (/dev/null): a prompt fails instead of waiting. The
// error is for a CLI that could not start, or whose context ended (the CLI
// then got SIGINT, and a kill WaitDelay later); any exit code is a Result.
func (w *Workspace) Run(ctx context.Context, extra []string, args ...string) (Result, error) {
	p, err := w.Start(ctx, extra, args...)
	if err != nil {
		return Result{}, err
	}
	return p.Wait()
}

// Process is a started run.
type Process struct {
	cmd   *exec.Cmd
	ctx   context.Context
	out   *bytes.Buffer
	start time.Time
	what  string
}

// Start starts the CLI as Run does and returns at once: for runs that are
// sampled (Pid) or interrupted (by ending ctx) while they work.
func (w *Workspace) Start(ctx context.Context, extra []string, args ...string) (*Process, error) {
	if len(args) == 0 {
		return nil, errors.New("clirun: no command")
	}
	if w.NoColor {
		args = noColor(args)
	}
	cmd := exec.CommandContext(ctx, w.CLI, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(append([]string{}, w.Env...), extra...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = WaitDelay
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	p := &Process{cmd: cmd, ctx: ctx, out: out, what: filepath.Base(w.CLI) + " " + strings.Join(args, " ")}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", p.what, err)
	}
	return p, nil
}

// Pid is the CLI's process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Wait waits for the CLI to exit; its error is Run's.
func (p *Process) Wait() (Result, error) {
	err := p.cmd.Wait()
	r := Result{Out: p.out.String(), Wall: time.Since(p.start), State: p.cmd.ProcessState}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.Code = exit.ExitCode()
	case err != nil:
		return r, fmt.Errorf("%s: %w", p.what, err)
	}
	if cerr := p.ctx.Err(); cerr != nil {
		return r, fmt.Errorf("%s: %w", p.what, cerr)
	}
	return r, nil
}

// noColor puts -no-color after the command's words.
func noColor(args []string) []string {
	n := 1
	switch args[0] {
	case "state", "providers", "workspace":
		if len(args) > 1 && !strings.HasPrefix(args[1], "-") {
			n = 2
		}
	}
	return append(append(append([]string{}, args[:n]...), "-no-color"), args[n:]...)
}

// Tail is the last n lines of a run's output, each indented as a quote, for
// error messages.
func Tail(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    | " + strings.Join(lines, "\n    | ")
}

// VersionLine is the CLI's "OpenTofu vX" or "Terraform vX" line ("" when
// cli does not answer `version` with one).
func VersionLine(ctx context.Context, cli string) string {
	cmd := exec.CommandContext(ctx, cli, "version")
	cmd.Env = append(CleanEnv(), "CHECKPOINT_DISABLE=1")
	out, _ := cmd.Output()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "OpenTofu v") || strings.HasPrefix(line, "Terraform v") {
			return line
		}
	}
	return ""
}
