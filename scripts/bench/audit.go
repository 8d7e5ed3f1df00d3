package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// The audit scenario: `plan` of a configuration that holds only the
// elevenlabs_agents data source, against the CLI's own cost for an empty
// configuration plus the latency the reads cannot avoid: the list pages one
// after the other, then N GETs at most elevenlabs.DefaultFanOut at a time.

// auditRow is the audit scenario at one size.
type auditRow struct {
	n, pages int
	eleven   []cliRun
	empty    []cliRun
	requests []map[string]int
	latency  time.Duration // pages x latency + N x latency / fan-out
}

func (r auditRow) floor() time.Duration { return medianWall(r.empty) + r.latency }
func (r auditRow) ratio() float64       { return float64(medianWall(r.eleven)) / float64(r.floor()) }

const (
	// providerConfig is a configuration with the provider block alone.
	providerConfig = "terraform {\n  required_providers {\n    elevenlabs = { source = \"voicegate/elevenlabs\" }\n  }\n}\n\n" +
		"provider \"elevenlabs\" {}\n"
	auditConfig = providerConfig + "\ndata \"elevenlabs_agents\" \"all\" {}\n"
	emptyConfig = "# An empty configuration: what the CLI costs on its own.\n"
)

// auditModes gives the seeded agents every auth mode in turn.
var auditModes = []map[string]any{
	{"enable_auth": false, "allowlist": []any{}, "require_origin_header": false},
	{"enable_auth": true, "allowlist": []any{}, "require_origin_header": false},
	{"enable_auth": false, "allowlist": []any{map[string]any{"hostname": "app.example.com"}}, "require_origin_header": true},
	{"enable_auth": true, "allowlist": []any{map[string]any{"hostname": "both.example.com"}}, "require_origin_header": false},
}

// audit measures the scenario at size n.
func (b *bencher) audit(n int) (auditRow, []string, error) {
	f, err := startFake(b.o.latency)
	if err != nil {
		return auditRow{}, nil, err
	}
	defer f.close()
	f.srv.SeedAgents(n, func(i int) fakeapi.AgentSpec {
		return fakeapi.AgentSpec{Name: fmt.Sprintf("audit agent %d", i), Tags: []string{"bench"}, Auth: auditModes[i%len(auditModes)]}
	})
	pages := max(1, (n+elevenlabs.MaxPageSize-1)/elevenlabs.MaxPageSize)
	row := auditRow{n: n, pages: pages,
		latency: time.Duration(pages)*b.o.latency + time.Duration(n)*b.o.latency/elevenlabs.DefaultFanOut}

	dirs := map[string]string{}
	for kind, cfg := range map[string]string{"elevenlabs": auditConfig, "empty": emptyConfig} {
		dir := filepath.Join(b.o.work, fmt.Sprintf("audit-n%d", n), kind)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return row, nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
			return row, nil, err
		}
		dirs[kind] = dir
	}
	args := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
	var failures []string
	for rep := 0; rep < b.o.repeat; rep++ {
		for _, kind := range []string{"elevenlabs", "empty"} {
			f.srv.ResetCounters()
			fmt.Fprintf(os.Stderr, "bench: audit N=%d %-10s plan run %d/%d ... ", n, kind, rep+1, b.o.repeat)
			r, err := b.runCLI(dirs[kind], f.url, args...)
			if err != nil {
				return row, nil, err
			}
			fmt.Fprintf(os.Stderr, "%.2fs\n", r.wall.Seconds())
			if r.code != 0 || !strings.Contains(r.out, "No changes.") {
				return row, nil, fmt.Errorf("audit N=%d %s plan: exit %d:\n%s", n, kind, r.code, clirun.Tail(r.out, 40))
			}
			if kind == "empty" {
				row.empty = append(row.empty, r)
				continue
			}
			counts := f.srv.Counts()
			row.eleven = append(row.eleven, r)
			row.requests = append(row.requests, counts)
			want := map[string]int{"GET " + fakeapi.RouteAgents: pages, "GET " + fakeapi.RouteAgent: n}
			if msg := compareCounts(counts, want); msg != "" {
				failures = append(failures, fmt.Sprintf("audit N=%d (run %d): %s", n, rep+1, msg))
			}
		}
	}
	return row, failures, nil
}

// compareCounts lists the differences between the fake's counters and want.
func compareCounts(counts, want map[string]int) string {
	var bad []string
	for k, v := range counts {
		if v != want[k] {
			bad = append(bad, fmt.Sprintf("%s: %d, want %d", k, v, want[k]))
		}
	}
	for k, v := range want {
		if _, ok := counts[k]; !ok && v != 0 {
			bad = append(bad, fmt.Sprintf("%s: 0, want %d", k, v))
		}
	}
	return strings.Join(bad, "; ")
}

// auditSection measures the audit scenario at every size and renders its section.
func (b *bencher) auditSection() (string, []string, error) {
	m := b.startMeasurement()
	var rows []auditRow
	var failures []string
	for _, n := range b.o.sizes {
		row, fails, err := b.audit(n)
		if err != nil {
			return "", nil, fmt.Errorf("audit: %w", err)
		}
		rows = append(rows, row)
		failures = append(failures, fails...)
	}
	return auditMarkdown(rows, m.done(failures)), failures, nil
}

// cells are the row's columns after N, as auditMarkdown shows them: list
// calls, GETs, the command, the empty-config plan, latency floor, floor,
// ratio, overhead per agent, CPU and provider peak RSS.
func (r auditRow) cells() []string {
	lists, gets := "n/a", "n/a"
	if len(r.requests) > 0 {
		lists = fmt.Sprint(r.requests[0]["GET "+fakeapi.RouteAgents])
		gets = fmt.Sprint(r.requests[0]["GET "+fakeapi.RouteAgent])
	}
	over := float64(medianWall(r.eleven)-r.floor()) / float64(max(r.n, 1)) / float64(time.Millisecond)
	return []string{lists, gets, secs(medianWall(r.eleven)) + spread(r.eleven), secs(medianWall(r.empty)) + spread(r.empty),
		secs(r.latency), secs(r.floor()), fmt.Sprintf("**%.2f**", r.ratio()), fmt.Sprintf("%+.1f ms", over),
		secs(medianOf(r.eleven, func(c cliRun) time.Duration { return c.cpu })),
		mib(maxOf(r.eleven, func(c cliRun) int64 { return c.provHWM }))}
}

// auditMarkdown renders the audit section from its rows.
func auditMarkdown(rows []auditRow, m measurement) string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	w("## Audit: `plan` of the elevenlabs_agents data source alone\n\n%s\n", m.line())
	w("A configuration holding only `data \"elevenlabs_agents\" \"all\" {}`, N agents on the fake (the four auth modes in turn), "+
		"one `plan -detailed-exitcode` per run, against the **floor**: `plan` of an empty configuration (the CLI's own cost, "+
		"no plugin) + pages × %s (the list is read page after page) + N × %s / %d (the GETs, %d in flight). "+
		"The request counts are checked on every run: exactly ceil(N/100) list calls (one at least) and N GETs.\n\n",
		m.latency, m.latency, elevenlabs.DefaultFanOut, elevenlabs.DefaultFanOut)
	w("| N | list calls | GETs | elevenlabs plan | empty-config plan | latency floor | floor | ratio | overhead per agent | CPU CLI + provider | provider peak RSS |\n")
	w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		w("| %d | %s |\n", r.n, strings.Join(r.cells(), " | "))
	}
	if len(rows) > 0 {
		big := rows[len(rows)-1]
		met := "met"
		if big.ratio() > ratioTarget {
			met = "not met"
		}
		w("\nTarget: ≤ %.2f × floor at the largest size (%d agents): **%.2f, %s**. ", ratioTarget, big.n, big.ratio(), met)
	}
	w("At small N the fixed cost of starting the provider (three plugin processes per `plan`, see *Where the overhead goes*) " +
		"dominates, as in the tables above. The machine is shared (2 cores, other jobs running during the measurement): " +
		"wall times move by 10 to 30 %% between runs; compare the medians with their spread.\n")
	w("%s", m.failed())
	return sb.String()
}
