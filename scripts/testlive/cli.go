package main

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

// resolveCLI finds the Terraform CLI: a path, or a name on PATH.
func resolveCLI(cli string) (string, error) {
	if cli == "" {
		return "", errors.New("no CLI: pass -cli tofu, -cli terraform or a path")
	}
	p, err := exec.LookPath(cli)
	if err != nil {
		return "", fmt.Errorf("the CLI %q was not found: %v (make tofu builds bin/tofu; or -cli terraform)", cli, err)
	}
	return filepath.Abs(p)
}

// cliVersion is the CLI's "OpenTofu vX" or "Terraform vX" line.
func cliVersion(ctx context.Context, cli string) string {
	cmd := exec.CommandContext(ctx, cli, "version")
	cmd.Env = cleanEnv()
	out, _ := cmd.Output()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "OpenTofu v") || strings.HasPrefix(line, "Terraform v") {
			return line
		}
	}
	return filepath.Base(cli)
}

// cleanEnv is the environment without anything that steers the CLI, the
// provider or this check.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "ELEVENLABS_") || strings.HasPrefix(k, "TESTLIVE_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// workspace is a working directory for one configuration, with a CLI config
// whose dev_overrides point the provider at ProviderDir (no init, no registry).
type workspace struct {
	l   *live
	dir string
	env []string
}

// configHeader ties the elevenlabs local name to the provider's address and
// configures it from variables and the environment (ELEVENLABS_API_KEY,
// ELEVENLABS_BASE_URL).
const configHeader = `terraform {
  required_providers {
    elevenlabs = {
      source = "registry.terraform.io/voicegate/elevenlabs"
    }
  }
}

variable "agent_id" {
  type = string
}

variable "residency" {
  type    = string
  default = null
}

provider "elevenlabs" {
  residency = var.residency
}
`

func (l *live) workspace(name, body string) (*workspace, error) {
	dir := filepath.Join(l.tmp, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	// The dev_overrides CLI configuration, from the one helper every plain CLI run uses.
	script, err := repoFile("scripts/dev-overrides.sh")
	if err != nil {
		return nil, err
	}
	out, err := exec.Command("bash", script, dir, l.cfg.ProviderDir).Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", script, err)
	}
	rc := strings.TrimSpace(string(out))
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configHeader+body), 0o600); err != nil {
		return nil, err
	}
	env := append(cleanEnv(),
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"ELEVENLABS_API_KEY="+l.cfg.APIKey,
		"TF_VAR_agent_id="+l.agentID,
		envHandoffOut+"="+filepath.Join(dir, "handoff.json"),
	)
	if l.cfg.Residency != "" {
		env = append(env, "TF_VAR_residency="+l.cfg.Residency)
	} else {
		env = append(env, "ELEVENLABS_BASE_URL="+l.base)
	}
	return &workspace{l: l, dir: dir, env: env}, nil
}

// cliTimeout bounds one CLI command.
const cliTimeout = 5 * time.Minute

// run runs the CLI and returns its combined output and exit code.
func (w *workspace) run(ctx context.Context, args ...string) (string, int, error) {
	ctx, cancel := context.WithTimeout(ctx, cliTimeout)
	defer cancel()
	n := 1
	if args[0] == "state" {
		n = 2 // state rm -no-color ...
	}
	full := append(append(append([]string{}, args[:n]...), "-no-color"), args[n:]...)
	cmd := exec.CommandContext(ctx, w.l.cliPath, full...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	// On cancellation, ask the CLI to stop (it then releases its plugins) before killing it.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode(), nil
	case err != nil:
		return out.String(), -1, err
	}
	return out.String(), 0, nil
}

// must runs the CLI and fails unless it exits with want.
func (w *workspace) must(ctx context.Context, want int, args ...string) (string, error) {
	out, code, err := w.run(ctx, args...)
	if err != nil {
		return out, fmt.Errorf("%s %s: %v", filepath.Base(w.l.cliPath), strings.Join(args, " "), err)
	}
	if code != want {
		return out, fmt.Errorf("%s %s exited %d, want %d:\n%s", filepath.Base(w.l.cliPath), strings.Join(args, " "), code, want, tail(out, 15))
	}
	return out, nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    | " + strings.Join(lines, "\n    | ")
}

// repoFile finds name (a path from the repository root) in the working
// directory or the nearest directory above it: make testlive runs from the
// root, its test from scripts/testlive.
func repoFile(name string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s not found in the working directory or above: run from the repository", name)
		}
		dir = parent
	}
}
