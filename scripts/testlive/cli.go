package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
)

// The configurations, tf/provider.tf and one of its neighbours per workspace.
//
//go:embed tf
var configs embed.FS

// workspace is a working directory for one configuration (internal/clirun:
// dev_overrides point the provider at ProviderDir, no init, no registry),
// with env added to the environment of its runs.
func (l *live) workspace(name string, env ...string) (*clirun.Workspace, error) {
	dir := filepath.Join(l.tmp, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	for _, f := range []string{"provider.tf", name + ".tf"} {
		b, err := configs.ReadFile("tf/" + f)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, f), b, 0o600)
		}
		if err != nil {
			return nil, err
		}
	}
	env = append(env, "ELEVENLABS_API_KEY="+l.cfg.APIKey, "TF_VAR_agent_id="+l.agentID, envHandoffOut+"="+filepath.Join(dir, "handoff.json"))
	if l.cfg.Residency != "" {
		env = append(env, "TF_VAR_residency="+l.cfg.Residency)
	} else {
		env = append(env, "ELEVENLABS_BASE_URL="+l.base)
	}
	return clirun.New(l.cliPath, dir, l.cfg.ProviderDir, env...)
}

// must runs the CLI (Ctrl-C of the check interrupts it), for 5 minutes at
// most, and fails unless it exits with want.
func must(ctx context.Context, w *clirun.Workspace, want int, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	r, err := w.Run(ctx, nil, args...)
	if err != nil {
		return r.Out, err
	}
	if r.Code != want {
		return r.Out, fmt.Errorf("%s %s exited %d, want %d:\n%s", filepath.Base(w.CLI), strings.Join(args, " "), r.Code, want, clirun.Tail(r.Out, 15))
	}
	return r.Out, nil
}
