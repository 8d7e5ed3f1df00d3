// Command testlive is the live check (`make testlive`), run before a release
// with a key of a real ElevenLabs workspace (never in CI); live_test.go runs
// the same code against the fake, so it cannot rot.
//
// It creates a throwaway agent (POST /v1/convai/agents/create), drives the
// Terraform CLI through the provider's whole lifecycle on it (lifecycle.go,
// with the configurations in tf/), probes every point CONTRACT.md marks
// unconfirmed (probes.go), prints the answers as Markdown tables, and deletes
// the agent whatever happens (failure, Ctrl-C or SIGTERM).
//
//	ELEVENLABS_API_KEY=... go run ./scripts/testlive [-cli tofu|terraform|PATH] [-residency eu]
//
// Environment: ELEVENLABS_API_KEY (required, convai_read and convai_write),
// ELEVENLABS_BASE_URL or ELEVENLABS_RESIDENCY (optional, not both),
// TESTLIVE_CLI (the CLI when -cli is not given). The provider binary comes from
// -provider-dir (default bin/, built by make testlive) through dev_overrides:
// no init, no registry.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

func main() {
	if mode := os.Getenv(envHandoff); mode != "" {
		os.Exit(handoffMain(mode))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

func run(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("testlive", flag.ContinueOnError)
	cli := fs.String("cli", os.Getenv("TESTLIVE_CLI"), "the Terraform CLI: `tofu`, `terraform` or a path (default $TESTLIVE_CLI, else bin/tofu, else terraform on PATH)")
	providerDir := fs.String("provider-dir", "bin", "`directory` holding terraform-provider-elevenlabs (make build)")
	residency := fs.String("residency", os.Getenv("ELEVENLABS_RESIDENCY"), "data-residency `region` of the workspace: "+strings.Join(elevenlabs.ResidencyNames(), ", ")+" (default $ELEVENLABS_RESIDENCY)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := Config{
		APIKey:      os.Getenv("ELEVENLABS_API_KEY"),
		BaseURL:     os.Getenv("ELEVENLABS_BASE_URL"),
		Residency:   *residency,
		CLI:         *cli,
		ProviderDir: *providerDir,
	}
	if cfg.CLI == "" {
		cfg.CLI = "terraform"
		if _, err := os.Stat(filepath.Join("bin", "tofu")); err == nil {
			cfg.CLI = filepath.Join("bin", "tofu")
		}
	}
	rep, err := Run(ctx, cfg, os.Stdout)
	if rep != nil {
		fmt.Println()
		fmt.Print(rep.Markdown())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testlive:", err)
		return 1
	}
	return 0
}
