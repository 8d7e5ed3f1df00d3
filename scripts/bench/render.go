package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/template"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/mdtable"
)

// The text of every section: sections.md.tmpl holds one template per section
// (the prose, with the tables and figures the bench fills in); summary.md and
// notes.md are hand-written and copied as they are.
//
//go:embed sections.md.tmpl summary.md notes.md
var texts embed.FS

var tmpl = template.Must(template.New("").Funcs(template.FuncMap{
	"parallelism": func() int { return cliParallelism },
	"fanOut":      func() int { return elevenlabs.DefaultFanOut },
	"sampleEvery": func() time.Duration { return sampleEvery },
	"limit":       func() int { return concurrencyLimit },
	"rateRatio":   func() float64 { return rateLimitRatioTarget },
	"rateShare":   func() float64 { return 100 * rateLimit429Target },
}).ParseFS(texts, "sections.md.tmpl"))

// ratioTarget is the wall-time target of the cycle, audit and query
// sections: at most this many times the floor.
const ratioTarget = 1.25

// page is what a section's template renders.
type page struct {
	Machine  machine
	Measured string // the measured sections, for How to reproduce
	Quick    bool
	Latency  time.Duration
	Repeat   int
	// Line says when and how the section was measured; Failed lists its
	// failed checks.
	Line, Failed string
	N            int      // the size of a single-size scenario
	Tables       []string // the section's tables, in order
	Target       string   // the targets met or not, as sentences
}

// render measures a section (a measured one) and renders its text; the
// failed checks are returned with it.
func (b *bencher) render(s section) (string, []string, error) {
	if s.name == "summary" || s.name == "notes" {
		text, err := texts.ReadFile(s.name + ".md")
		return strings.Trim(string(text), "\n") + "\n", nil, err
	}
	p := &page{Machine: b.machine, Quick: b.o.quick, Latency: b.o.latency, Repeat: b.o.repeat,
		Measured: "`" + strings.Join(measuredNames(), "`, `") + "`"}
	b.failures = nil
	if s.measured() {
		began, cli := time.Now(), b.machine.tofu
		if err := s.measure(b, p); err != nil {
			return "", nil, err
		}
		if s.name == "query" {
			cli = clirun.VersionLine(b.ctx, b.o.terraform)
		}
		p.Line, p.Failed = b.measuredLine(began, time.Since(began), cli), failedList(b.failures)
	}
	var sb strings.Builder
	err := tmpl.ExecuteTemplate(&sb, s.name, p)
	return sb.String(), b.failures, err
}

// measuredLine is the sentence under a measured section's heading: sections
// can be measured in different runs, so the header says nothing about when.
func (b *bencher) measuredLine(began time.Time, took time.Duration, cli string) string {
	s := fmt.Sprintf("Measured %s, provider commit %s, %s, %s, fake API latency %s, repeats: %d (times are medians, min–max in brackets); this section took %s.\n",
		began.UTC().Format("2006-01-02 15:04 MST"), b.machine.commit, cli, b.machine.goVersion, b.o.latency, b.o.repeat, took.Round(time.Second))
	if b.o.quick {
		s = "**Quick smoke run (`-quick`): not the published figures.**\n\n" + s
	}
	return s
}

// failedList lists a section's failed checks, if any, at its end.
func failedList(failures []string) string {
	if len(failures) == 0 {
		return ""
	}
	s := "\n**Failed checks** (the bench exited 1):\n\n"
	for _, f := range failures {
		s += "- " + strings.ReplaceAll(f, "\n", " ") + "\n"
	}
	return s
}

type machine struct {
	CPUs, Memory, CPU, goVersion, tofu, commit string
}

// describeMachine says what the header and each section's line say of the
// machine and the build. runtime.NumCPU counts the CPUs this process may run
// on, as nproc does.
func describeMachine(ctx context.Context, tofu string) machine {
	m := machine{CPUs: strconv.Itoa(runtime.NumCPU()), goVersion: runtime.Version(), tofu: clirun.VersionLine(ctx, tofu)}
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) == nil {
		m.Memory = fmt.Sprintf("%.1f GiB", float64(si.Totalram)*float64(si.Unit)/(1<<30))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if _, v, ok := strings.Cut(string(b), "model name"); ok {
			v, _, _ = strings.Cut(v, "\n")
			m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	if out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.commit = strings.TrimSpace(string(out))
		if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md").Output(); err == nil && len(st) > 0 {
			m.commit += " (with uncommitted changes)"
		}
	}
	return m
}

// row is one line of a measured table: the runs of one command at one size,
// and the floor it is compared with.
type row struct {
	n     int
	title string
	runs  []cliRun // the provider's command
	// base is the CLI's own cost (terraform_data, or an empty configuration),
	// latency what the API's latency alone takes: floor = base + latency.
	// No base: no floor.
	base    []cliRun
	latency time.Duration
	plugin  []cliRun // query: `terraform plan` of the provider block alone
}

func (r *row) floor() time.Duration { return median(r.base, wall) + r.latency }
func (r *row) ratio() float64       { return float64(median(r.runs, wall)) / float64(r.floor()) }

func (r *row) failedRuns() int {
	n := 0
	for _, c := range r.runs {
		if c.failed {
			n++
		}
	}
	return n
}

func wall(c cliRun) time.Duration { return c.wall }
func cpu(c cliRun) time.Duration  { return c.cpu }

func median(runs []cliRun, f func(cliRun) time.Duration) time.Duration {
	if len(runs) == 0 {
		return 0
	}
	d := make([]time.Duration, len(runs))
	for i, r := range runs {
		d[i] = f(r)
	}
	slices.Sort(d)
	return (d[(len(d)-1)/2] + d[len(d)/2]) / 2
}

func peak(runs []cliRun, f func(cliRun) int64) int64 {
	var m int64
	for _, r := range runs {
		m = max(m, f(r))
	}
	return m
}

// timed is the median wall time, and the spread when there are several runs.
func timed(runs []cliRun) string {
	if len(runs) < 2 {
		return secs(median(runs, wall))
	}
	lo, hi := bounds(runs)
	return fmt.Sprintf("%s (%.2f–%.2f)", secs(median(runs, wall)), lo.Seconds(), hi.Seconds())
}

// bounds is the shortest and the longest wall time of runs.
func bounds(runs []cliRun) (lo, hi time.Duration) {
	byWall := func(a, b cliRun) int { return int(a.wall - b.wall) }
	return slices.MinFunc(runs, byWall).wall, slices.MaxFunc(runs, byWall).wall
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
func mib(kb int64) string {
	if kb <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
}

// perRun lists one figure of every run.
func perRun(runs []cliRun, f func(cliRun) int) string {
	s := make([]string, len(runs))
	for i, r := range runs {
		s[i] = strconv.Itoa(f(r))
	}
	return strings.Join(s, ", ")
}

func passFail(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// col is a column of a measured table: its header, its alignment and its cell.
type col struct {
	mdtable.Column
	cell func(r *row) string
}

func num(head string, cell func(r *row) string) col {
	return col{mdtable.Column{Head: head, Right: true}, cell}
}
func text(head string, cell func(r *row) string) col { return col{mdtable.Column{Head: head}, cell} }

// table renders rows in the given columns.
func table(rows []*row, cols ...col) string {
	heads := make([]mdtable.Column, len(cols))
	for i, c := range cols {
		heads[i] = c.Column
	}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		for _, c := range cols {
			cells[i] = append(cells[i], c.cell(r))
		}
	}
	return mdtable.String(heads, cells)
}

// The columns the cycle, audit and query tables share.
var (
	colN       = num("N", func(r *row) string { return strconv.Itoa(r.n) })
	colTime    = func(head string) col { return num(head, func(r *row) string { return timed(r.runs) }) }
	colBase    = func(head string) col { return num(head, func(r *row) string { return timed(r.base) }) }
	colLatency = num("latency floor", func(r *row) string { return secs(r.latency) })
	colFloor   = num("floor", func(r *row) string { return secs(r.floor()) })
	colRatio   = num("ratio", func(r *row) string { return fmt.Sprintf("**%.2f**", r.ratio()) })
	colOver    = func(head string) col {
		return num(head, func(r *row) string {
			return fmt.Sprintf("%+.1f ms", float64(median(r.runs, wall)-r.floor())/float64(r.n)/float64(time.Millisecond))
		})
	}
	colCPU     = num("CPU CLI + provider", func(r *row) string { return secs(median(r.runs, cpu)) })
	colProvRSS = num("provider peak RSS", func(r *row) string { return mib(peak(r.runs, func(c cliRun) int64 { return c.provHWM })) })
	colCount   = func(head, key string) col {
		return num(head, func(r *row) string { return strconv.Itoa(r.runs[0].counts[key]) })
	}
)
