// Command bench measures what the elevenlabs provider costs on top of the
// Terraform CLI, and writes BENCHMARKS.md (`make bench`; never in `make test`).
//
// It serves the in-repo fake API (internal/fakeapi) in-process on 127.0.0.1
// with 50 ms latency per request, seeds N agents out of band, and drives the
// real CLI (bin/tofu; bin/terraform for `terraform query`) through a
// dev_overrides CLI config, no init, at the CLI's default parallelism of 10.
// BENCHMARKS.md is made of sections (sections.go): each measured one has its
// file (cycle.go, fleet.go, startup.go, faults.go), every one its template in
// sections.md.tmpl, but the hand-written summary.md and notes.md.
//
//	go run ./scripts/bench -sizes 10,100,500 -repeat 3 -out BENCHMARKS.md   # every section
//	go run ./scripts/bench -sections audit,ratelimit -out BENCHMARKS.md     # those two only
//	go run ./scripts/bench -sections none -out BENCHMARKS.md                # text sections only
//	go run ./scripts/bench -quick          # smoke run: small sizes, once, stdout only
//
// It exits 1, after writing the report, when a command sends other than the
// exact API requests expected, fails, or does not converge under 429s, or
// when a rate-limit scenario misses its targets (not in a -quick run). The
// wall-time targets of the other sections are reported, not enforced: wall
// time on a shared 2-core machine is noisy.
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
	sizes     []int
	repeat    int
	latency   time.Duration
	tofu      string
	terraform string // HashiCorp Terraform >= 1.14, for the query section only
	provider  string
	out       string
	work      string // the scratch directory, .bench (emptied first; make clean removes it)
	quick     bool
	sections  map[string]bool // measured sections to run

	faultAgents, rateLimitAgents, rateLimitRuns, startups int // set by -quick and -rate-limit-agents
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
	o := options{faultAgents: 50, rateLimitRuns: 5, startups: 10}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	sizes := fs.String("sizes", "10,100,500", "comma-separated resource counts")
	fs.IntVar(&o.repeat, "repeat", 3, "runs of every measurement; the report shows the median")
	fs.DurationVar(&o.latency, "latency", 50*time.Millisecond, "latency the fake API adds to every request")
	fs.StringVar(&o.tofu, "tofu", "bin/tofu", "the CLI to drive")
	fs.StringVar(&o.terraform, "terraform", "bin/terraform", "HashiCorp Terraform >= 1.14, which the query section drives (OpenTofu has no query)")
	fs.StringVar(&o.provider, "provider", "bin/terraform-provider-elevenlabs", "the provider binary (make build)")
	fs.StringVar(&o.out, "out", "", "write the markdown report to this file (always printed on stdout)")
	fs.BoolVar(&o.quick, "quick", false, "smoke run: N=10, one repeat, 10 agents in the 429 scenario, 30 in the rate-limit ones, 3 start-ups")
	sectionSpec := fs.String("sections", "all", "measured sections to run: all, none (text sections only) or a comma-separated list of "+
		strings.Join(measuredNames(), ", ")+"; with -out, only the sections a run renders are replaced in the file")
	fs.IntVar(&o.rateLimitAgents, "rate-limit-agents", 500, "resources in the rate-limit scenarios")
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
	if o.quick {
		*sizes, o.repeat, o.faultAgents, o.startups, o.rateLimitAgents, o.rateLimitRuns = "10", 1, 10, 3, 30, 1
	}
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: %q is not a positive integer", f)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.repeat < 1 || o.rateLimitAgents < 1 {
		return errors.New("-repeat and -rate-limit-agents must be at least 1")
	}
	o.work = ".bench"
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
	// A run of some sections reads the file first, and refuses before
	// measuring one whose markers it cannot read; a run of every section
	// writes the whole file.
	old := ""
	if o.out != "" && len(o.sections) < len(measuredNames()) {
		if old, err = readReport(o.out); err != nil {
			return err
		}
	}
	began := time.Now()
	b, err := newBencher(ctx, o)
	if err != nil {
		return err
	}
	rendered := map[string]string{}
	var failures []string
	for _, s := range sections {
		if s.measured() && !o.sections[s.name] {
			continue
		}
		body, fails, err := b.render(s)
		if err != nil {
			return fmt.Errorf("%s section: %w", s.name, err)
		}
		rendered[s.name] = wrap(s, body)
		failures = append(failures, fails...)
	}
	doc, _, _ := mergeSections("", rendered) // an empty document takes any sections
	fmt.Print(doc)
	if o.out != "" {
		doc, notes, err := mergeSections(old, rendered)
		if err != nil {
			return reportError(o.out, err)
		}
		for _, n := range notes {
			fmt.Fprintf(os.Stderr, "bench: %s: %s\n", o.out, n)
		}
		if err := os.WriteFile(o.out, []byte(doc), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "bench: wrote %s (run took %s)\n", o.out, time.Since(began).Round(time.Second))
	}
	for _, f := range failures {
		fmt.Fprintln(os.Stderr, "bench: FAIL:", f)
	}
	if len(failures) > 0 {
		return fmt.Errorf("%d check(s) failed", len(failures))
	}
	return nil
}

// readReport reads the file a run of some sections writes into and checks
// its markers (no file yet: an empty one).
func readReport(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return "", err
	}
	if _, _, err := mergeSections(string(b), nil); err != nil {
		return "", reportError(path, err)
	}
	return string(b), nil
}

func reportError(path string, err error) error {
	if errors.Is(err, errNoMarkers) {
		return fmt.Errorf("%s: %w: it was written by hand or by an older bench; run every section (make bench) to rewrite it whole", path, err)
	}
	return fmt.Errorf("%s: %w; fix the markers by hand or run every section (make bench) to rewrite the file whole", path, err)
}
