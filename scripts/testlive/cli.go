package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
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

// configHeader ties the elevenlabs local name to the provider's address and
// configures it from variables and the environment (ELEVENLABS_API_KEY,
// ELEVENLABS_BASE_URL).
const configHeader = clirun.RequiredProviders + `
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

// workspace is a working directory for one configuration (internal/clirun:
// dev_overrides point the provider at ProviderDir, no init, no registry).
type workspace struct {
	l   *live
	cli *clirun.Workspace
}

func (l *live) workspace(name, body string) (*workspace, error) {
	dir := filepath.Join(l.tmp, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configHeader+body), 0o600); err != nil {
		return nil, err
	}
	env := []string{
		"ELEVENLABS_API_KEY=" + l.cfg.APIKey,
		"TF_VAR_agent_id=" + l.agentID,
		envHandoffOut + "=" + filepath.Join(dir, "handoff.json"),
	}
	if l.cfg.Residency != "" {
		env = append(env, "TF_VAR_residency="+l.cfg.Residency)
	} else {
		env = append(env, "ELEVENLABS_BASE_URL="+l.base)
	}
	cli, err := clirun.New(l.cliPath, dir, l.cfg.ProviderDir, env...)
	if err != nil {
		return nil, err
	}
	return &workspace{l: l, cli: cli}, nil
}

// setenv adds "KEY=value" to the environment of every later run.
func (w *workspace) setenv(kv string) { w.cli.Env = append(w.cli.Env, kv) }

// cliTimeout bounds one CLI command.
const cliTimeout = 5 * time.Minute

// must runs the CLI (Ctrl-C of the check interrupts it) and fails unless it
// exits with want.
func (w *workspace) must(ctx context.Context, want int, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, cliTimeout)
	defer cancel()
	r, err := w.cli.Run(ctx, nil, args...)
	if err != nil {
		return r.Out, err
	}
	if r.Code != want {
		return r.Out, fmt.Errorf("%s %s exited %d, want %d:\n%s", filepath.Base(w.l.cliPath), strings.Join(args, " "), r.Code, want, clirun.Tail(r.Out, 15))
	}
	return r.Out, nil
}
