// Command bench measures what the elevenlabs provider costs on top of the
// Terraform CLI, and writes BENCHMARKS.md. It is `make bench`; it is not a
// unit test and never runs in `make test`.
//
// It serves the in-repo fake API (internal/fakeapi) in-process on 127.0.0.1
// with 50 ms latency per request, seeds N agents out of band, and drives the
// real CLI (bin/tofu, through a dev_overrides CLI config, no init, the CLI's
// default parallelism of 10). BENCHMARKS.md is made of sections (sections.go),
// each measured and rendered by its own file from its own results: the cycle
// of four commands for N elevenlabs_agent_auth resources against N
// terraform_data resources, the CLI's built-in resource, as the floor
// (cycle.go); the audit plan of the elevenlabs_agents data source (audit.go);
// `terraform query` of the list resource, through bin/terraform (query.go);
// start-up and binary size (startup.go); the 429 scenario (faults.go); the
// rate limits at fleet scale (ratelimit.go); and text sections (report.go;
// the hand-written summary.md and notes.md). -sections picks the measured sections to run; with -out, a run
// replaces only the sections it rendered and keeps every other byte.
//
//	go run ./scripts/bench -sizes 10,100,500 -repeat 3 -out BENCHMARKS.md   # every section
//	go run ./scripts/bench -sections audit,ratelimit -out BENCHMARKS.md     # those two only
//	go run ./scripts/bench -sections none -out BENCHMARKS.md                # text sections only
//	go run ./scripts/bench -quick          # smoke run: small sizes, once, stdout only
//
// It exits 1 when an operation sends other than the expected API requests
// (exact and deterministic), when a command fails, when the 429 scenario
// does not converge, or when a rate-limit scenario misses its targets (not in
// a -quick run); the report is written first. The cycle's and the audit's
// wall-time ratio targets are reported, not enforced: wall time on a shared
// 2-core machine is noisy.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
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
	terraform   string // HashiCorp Terraform >= 1.14, for the query section only
	provider    string
	work        string
	out         string
	quick       bool
	diagnose    bool
	sections    map[string]bool // measured sections to run

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
	fs.StringVar(&o.terraform, "terraform", "bin/terraform", "HashiCorp Terraform >= 1.14, which the query section drives (OpenTofu has no query)")
	fs.StringVar(&o.provider, "provider", "bin/terraform-provider-elevenlabs", "the provider binary (make build)")
	fs.StringVar(&o.work, "work", ".bench", "scratch directory (emptied first)")
	fs.StringVar(&o.out, "out", "", "write the markdown report to this file (always printed on stdout)")
	fs.BoolVar(&o.quick, "quick", false, "smoke run: N=10, one repeat, 10 agents in the 429 scenario, 3 start-ups")
	sectionSpec := fs.String("sections", "all", "measured sections to run: all, none (text sections only) or a comma-separated list of "+
		strings.Join(measuredNames(), ", ")+"; with -out, only the sections a run renders are replaced in the file")
	fs.BoolVar(&o.diagnose, "diagnose", false, "at the largest size, also run the provider with every plugin logger set off explicitly (the provider does this itself when no TF_LOG* variable is set, so this arm should match the main one)")
	fs.IntVar(&o.rateLimitAgents, "rate-limit-agents", 500, "resources in the rate-limit scenarios")
	fs.IntVar(&o.rateLimitRuns, "rate-limit-runs", 5, "runs of rate-limit scenario (b), every 3rd answer a 429")
	fs.IntVar(&o.concurrencyLimit, "concurrency-limit", 3, "requests the fake serves at once in rate-limit scenario (a)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	var err error
	if o.sections, err = parseSections(*sectionSpec); err != nil {
		return err
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
	for _, p := range []*string{&o.tofu, &o.terraform, &o.provider, &o.work} {
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	for _, p := range []string{o.tofu, o.provider} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%v (run `make build tofu` first)", err)
		}
	}
	if _, err := os.Stat(o.terraform); err != nil && o.sections["query"] {
		return fmt.Errorf("the query section drives HashiCorp Terraform >= 1.14 (OpenTofu has no query): %v; "+
			"build it into bin/terraform, give its path with -terraform, or leave the section out (-sections)", err)
	}
	if err := os.RemoveAll(o.work); err != nil {
		return err
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}

	old := ""
	if o.out != "" {
		if old, err = readReport(o.out, len(o.sections) == len(measuredNames())); err != nil {
			return err
		}
	}
	began := time.Now()
	b, err := newBencher(ctx, o)
	if err != nil {
		return err
	}
	defer b.close()
	b.machine, b.measured = describeMachine(ctx, o.tofu), measuredNames()

	// Render, in file order, the text sections and the measured ones chosen.
	rendered := map[string]string{}
	var failures []string
	for _, s := range sections {
		if s.measured && !o.sections[s.name] {
			continue
		}
		body, fails, err := s.render(b)
		if err != nil {
			return fmt.Errorf("%s section: %w", s.name, err)
		}
		rendered[s.name] = wrap(s, body)
		failures = append(failures, fails...)
	}
	took := time.Since(began).Round(time.Second)

	doc, _, err := mergeSections("", rendered)
	if err != nil {
		return err
	}
	fmt.Print(doc)
	if o.out != "" {
		if err := writeReport(o.out, old, rendered); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: wrote %s (run took %s)\n", o.out, took)
	}
	if len(failures) > 0 {
		for _, f := range failures {
			fmt.Fprintln(os.Stderr, "bench: FAIL:", f)
		}
		return fmt.Errorf("%d check(s) failed", len(failures))
	}
	return nil
}

// readReport reads the file a run will write its sections into, and checks
// its markers before any measuring starts. A run of every section writes the
// whole file and reads nothing; a run of some refuses a file whose markers it
// cannot read.
func readReport(path string, whole bool) (string, error) {
	if whole {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return "", err
	}
	old := string(b)
	if _, _, err := mergeSections(old, nil); err != nil {
		return "", reportError(path, err)
	}
	return old, nil
}

func reportError(path string, err error) error {
	if errors.Is(err, errNoMarkers) {
		return fmt.Errorf("%s: %w: it was written by hand or by an older bench; run every section (make bench) to rewrite it whole", path, err)
	}
	return fmt.Errorf("%s: %w; fix the markers by hand or run every section (make bench) to rewrite the file whole", path, err)
}

// writeReport puts the rendered sections into old, the file's content from
// readReport, and writes the result to path: only the rendered sections change.
func writeReport(path, old string, rendered map[string]string) error {
	doc, notes, err := mergeSections(old, rendered)
	if err != nil {
		return reportError(path, err)
	}
	for _, n := range notes {
		fmt.Fprintf(os.Stderr, "bench: %s: %s\n", path, n)
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}
