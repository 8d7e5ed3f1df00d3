// Command bench measures what the elevenlabs provider costs on top of the
// Terraform CLI, and writes BENCHMARKS.md. It is `make bench`; it is not a
// unit test and never runs in `make test`.
//
// It serves the in-repo fake API (internal/fakeapi) in-process on 127.0.0.1
// with 50 ms latency per request, seeds N agents out of band, and drives the
// real CLI (bin/tofu, through a dev_overrides CLI config, no init, the CLI's
// default parallelism of 10) over a cycle of four commands for N
// elevenlabs_agent_auth resources and, as the floor, for N terraform_data
// resources (the CLI's built-in resource, no plugin process, no API). The
// audit scenario (audit.go) plans a configuration holding only the
// elevenlabs_agents data source over N agents. See report.go for what each
// row measures.
//
//	go run ./scripts/bench -sizes 10,100,500 -repeat 3 -out BENCHMARKS.md
//	go run ./scripts/bench -quick          # smoke run: N=10, once, stdout only
//	go run ./scripts/bench -only-audit -out BENCHMARKS.md   # the audit rows only
//	go run ./scripts/bench -rate-limit-only -out BENCHMARKS.md   # the rate-limit scenarios only
//
// It exits 1 when an operation sends other than the expected API requests
// (exact and deterministic), when a command fails, or when the 429 scenario
// does not converge. The wall-time ratio target is reported, not enforced:
// wall time on a shared 2-core machine is noisy.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	sizes       []int
	repeat      int
	latency     time.Duration
	faultAgents int
	startups    int
	tofu        string
	provider    string
	work        string
	out         string
	quick       bool
	skipFaults  bool
	diagnose    bool
	onlyAudit   bool

	rateLimitOnly    bool
	skipRateLimits   bool
	rateLimitAgents  int
	rateLimitRuns    int
	concurrencyLimit int
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	sizes := fs.String("sizes", "", "comma-separated resource counts (default $BENCH_SIZES, else 10,100,500)")
	fs.IntVar(&o.repeat, "repeat", 3, "runs of every measurement; the report shows the median")
	fs.DurationVar(&o.latency, "latency", 50*time.Millisecond, "latency the fake API adds to every request")
	fs.IntVar(&o.faultAgents, "fault-agents", 50, "resources in the 429 scenario")
	fs.IntVar(&o.startups, "startups", 10, "provider start-ups to time")
	fs.StringVar(&o.tofu, "tofu", "bin/tofu", "the CLI to drive")
	fs.StringVar(&o.provider, "provider", "bin/terraform-provider-elevenlabs", "the provider binary (make build)")
	fs.StringVar(&o.work, "work", ".bench", "scratch directory (emptied first)")
	fs.StringVar(&o.out, "out", "", "write the markdown report to this file (always printed on stdout)")
	fs.BoolVar(&o.quick, "quick", false, "smoke run: N=10, one repeat, 10 agents in the 429 scenario, 3 start-ups")
	fs.BoolVar(&o.skipFaults, "skip-faults", false, "skip the 429 scenario")
	fs.BoolVar(&o.onlyAudit, "only-audit", false, "run only the audit scenario (plan of the elevenlabs_agents data source); with -out, replace only its section of the file")
	fs.BoolVar(&o.diagnose, "diagnose", false, "at the largest size, also run the provider with every plugin logger set off explicitly (the provider does this itself when no TF_LOG* variable is set, so this arm should match the main one)")
	fs.BoolVar(&o.rateLimitOnly, "rate-limit-only", false, "run only the rate-limit scenarios (and their terraform_data floor); with -out, replace only their section of the file")
	fs.BoolVar(&o.skipRateLimits, "skip-rate-limits", false, "skip the rate-limit scenarios")
	fs.IntVar(&o.rateLimitAgents, "rate-limit-agents", 500, "resources in the rate-limit scenarios")
	fs.IntVar(&o.rateLimitRuns, "rate-limit-runs", 5, "runs of rate-limit scenario (b), every 3rd answer a 429")
	fs.IntVar(&o.concurrencyLimit, "concurrency-limit", 3, "requests the fake serves at once in rate-limit scenario (a)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	spec := *sizes
	if spec == "" {
		spec = os.Getenv("BENCH_SIZES")
	}
	if spec == "" {
		spec = "10,100,500"
	}
	if o.quick {
		spec, o.repeat, o.faultAgents, o.startups = "10", 1, 10, 3
		o.rateLimitAgents, o.rateLimitRuns = 30, 1
	}
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: %q is not a positive integer", f)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.repeat < 1 || o.startups < 1 || o.faultAgents < 1 || o.rateLimitAgents < 1 || o.rateLimitRuns < 1 || o.concurrencyLimit < 1 {
		return errors.New("-repeat, -startups, -fault-agents, -rate-limit-agents, -rate-limit-runs and -concurrency-limit must be at least 1")
	}
	var err error
	for _, p := range []*string{&o.tofu, &o.provider, &o.work} {
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	for _, p := range []string{o.tofu, o.provider} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%v (run `make build tofu` first)", err)
		}
	}
	if err := os.RemoveAll(o.work); err != nil {
		return err
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}

	began := time.Now()
	rep := &report{opts: o, began: began, machine: describeMachine(ctx, o.tofu)}
	b, err := newBencher(ctx, o)
	if err != nil {
		return err
	}
	defer b.close()

	var failures []string
	if o.rateLimitOnly {
		rows, fails, err := b.rateLimits()
		if err != nil {
			return fmt.Errorf("rate-limit scenarios: %w", err)
		}
		rep.rateLimits = rows
		return writeRateLimitsOnly(rep, append(failures, fails...))
	}
	for _, n := range o.sizes {
		row, fails, err := b.audit(n)
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		rep.audit = append(rep.audit, row)
		failures = append(failures, fails...)
	}
	if o.onlyAudit {
		return writeAuditOnly(rep, failures)
	}
	largest := slices.Max(o.sizes)
	for _, n := range o.sizes {
		rows, fails, err := b.cycle(n, o.diagnose && n == largest)
		if err != nil {
			return err
		}
		rep.rows = append(rep.rows, rows...)
		failures = append(failures, fails...)
	}
	if rep.startup, err = b.startup(); err != nil {
		return fmt.Errorf("start-up: %w", err)
	}
	if rep.sizes, err = b.binarySizes(); err != nil {
		return fmt.Errorf("binary size: %w", err)
	}
	if !o.skipFaults {
		rows, fails, err := b.faults()
		if err != nil {
			return fmt.Errorf("429 scenario: %w", err)
		}
		rep.faults = rows
		failures = append(failures, fails...)
	}
	if !o.skipRateLimits {
		rows, fails, err := b.rateLimits()
		if err != nil {
			return fmt.Errorf("rate-limit scenarios: %w", err)
		}
		rep.rateLimits = rows
		failures = append(failures, fails...)
	}
	rep.took = time.Since(began)
	rep.failures = failures

	md := rep.markdown()
	fmt.Print(md)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(md), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: wrote %s (run took %s)\n", o.out, rep.took.Round(time.Second))
	}
	if len(failures) > 0 {
		for _, f := range failures {
			fmt.Fprintln(os.Stderr, "bench: FAIL:", f)
		}
		return fmt.Errorf("%d check(s) failed", len(failures))
	}
	return nil
}

// writeAuditOnly prints the audit section and, with -out, replaces that
// section of the file (the rest keeps the figures of the last full run).
func writeAuditOnly(rep *report, failures []string) error {
	section := auditMarkdown(rep.audit, rep.opts, rep.machine, rep.began)
	fmt.Print(section)
	if out := rep.opts.out; out != "" {
		old, err := os.ReadFile(out)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		if err := os.WriteFile(out, []byte(replaceAuditSection(string(old), section)), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: replaced the audit section of %s (run took %s)\n", out, time.Since(rep.began).Round(time.Second))
	}
	if len(failures) > 0 {
		for _, f := range failures {
			fmt.Fprintln(os.Stderr, "bench: FAIL:", f)
		}
		return fmt.Errorf("%d check(s) failed", len(failures))
	}
	return nil
}

// writeRateLimitsOnly prints the rate-limit section and, with -out, puts it in
// place of the one in that file, leaving the rest as it was.
func writeRateLimitsOnly(rep *report, failures []string) error {
	var sb strings.Builder
	rep.rateLimitMarkdown(func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) })
	section := sb.String()
	fmt.Print(section)
	if out := rep.opts.out; out != "" {
		old, err := os.ReadFile(out)
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		doc := refreshNotes(replaceRateLimitSection(string(old), section))
		if err := os.WriteFile(out, []byte(doc), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: replaced the rate-limit section of %s (run took %s)\n", out, time.Since(rep.began).Round(time.Second))
	}
	if len(failures) > 0 {
		for _, f := range failures {
			fmt.Fprintln(os.Stderr, "bench: FAIL:", f)
		}
		return fmt.Errorf("%d check(s) failed", len(failures))
	}
	return nil
}
