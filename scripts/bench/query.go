package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// The query scenario: `terraform query` of the elevenlabs_agent_auth list
// resource over N agents, through HashiCorp Terraform (OpenTofu has no
// query), without and with include_resource, against the audit section's
// floor: the CLI's own cost for an empty configuration (`terraform plan` of
// it) plus the latency the reads cannot avoid: the pages one after the other
// and, with resource objects, N GETs at most elevenlabs.DefaultFanOut at a time.

// queryRow is the query scenario at one size, with or without resource objects.
type queryRow struct {
	auditRow
	include bool
	// plugin is `terraform plan` of a configuration with only the provider
	// block: the CLI's cost of starting and configuring the provider, which
	// every query pays and the floor leaves out.
	plugin []cliRun
}

// pluginRatio is the query against the CLI's cost with the provider started
// (plugin) plus the latency floor: what the list resource itself costs.
func (r queryRow) pluginRatio() float64 {
	return float64(medianWall(r.eleven)) / float64(medianWall(r.plugin)+r.latency)
}

// queryFound matches one result line of `terraform query`.
var queryFound = regexp.MustCompile(`(?m)^list\.elevenlabs_agent_auth\.all\s+agent_id=`)

// query measures the scenario at size n: the row without resource objects,
// then the row with.
func (b *bencher) query(n int) ([]queryRow, []string, error) {
	f, err := startFake(b.o.latency)
	if err != nil {
		return nil, nil, err
	}
	defer f.close()
	// Every agent a result: the three modes elevenlabs_agent_auth can mirror.
	f.srv.SeedAgents(n, func(i int) fakeapi.AgentSpec {
		return fakeapi.AgentSpec{Name: fmt.Sprintf("query agent %d", i), Auth: auditModes[i%3]}
	})
	pages := max(1, (n+elevenlabs.MaxPageSize-1)/elevenlabs.MaxPageSize)
	rows := []queryRow{
		{auditRow: auditRow{n: n, pages: pages, latency: time.Duration(pages) * b.o.latency}},
		{auditRow: auditRow{n: n, pages: pages, latency: time.Duration(pages)*b.o.latency + time.Duration(n)*b.o.latency/elevenlabs.DefaultFanOut}, include: true},
	}
	files := map[string]map[string]string{
		"list":    {"main.tf": providerConfig, "all.tfquery.hcl": queryFile(n, false)},
		"include": {"main.tf": providerConfig, "all.tfquery.hcl": queryFile(n, true)},
		"empty":   {"main.tf": emptyConfig},
	}
	dirs := map[string]string{}
	for kind, fs := range files {
		dir := filepath.Join(b.o.work, fmt.Sprintf("query-n%d", n), kind)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, err
		}
		for name, body := range fs {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				return nil, nil, err
			}
		}
		dirs[kind] = dir
	}
	var failures []string
	var empty, plugin []cliRun
	plan := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
	for rep := 0; rep < b.o.repeat; rep++ {
		for _, kind := range []string{"list", "include", "empty", "plugin"} {
			f.srv.ResetCounters()
			dir, args := dirs[kind], []string{"query", "-no-color"}
			switch kind {
			case "empty":
				args = plan
			case "plugin": // the list directory's main.tf: the provider block alone
				dir, args = dirs["list"], plan
			}
			fmt.Fprintf(os.Stderr, "bench: query N=%d %-8s %s run %d/%d ... ", n, kind, args[0], rep+1, b.o.repeat)
			r, err := b.runCLIWith(b.o.terraform, dir, f.url, args...)
			if err != nil {
				return nil, nil, err
			}
			fmt.Fprintf(os.Stderr, "%.2fs\n", r.wall.Seconds())
			if r.code != 0 {
				return nil, nil, fmt.Errorf("query N=%d %s %s: exit %d:\n%s", n, kind, args[0], r.code, clirun.Tail(r.out, 40))
			}
			switch kind {
			case "empty":
				empty = append(empty, r)
				continue
			case "plugin":
				plugin = append(plugin, r)
				if msg := compareCounts(f.srv.Counts(), nil); msg != "" {
					failures = append(failures, fmt.Sprintf("query N=%d plan of the provider block (run %d): %s", n, rep+1, msg))
				}
				continue
			}
			row := &rows[0]
			if kind == "include" {
				row = &rows[1]
			}
			counts := f.srv.Counts()
			row.eleven = append(row.eleven, r)
			row.requests = append(row.requests, counts)
			gets := 0
			if row.include {
				gets = n
			}
			want := map[string]int{"GET " + fakeapi.RouteAgents: pages, "GET " + fakeapi.RouteAgent: gets}
			if msg := compareCounts(counts, want); msg != "" {
				failures = append(failures, fmt.Sprintf("query N=%d %s (run %d): %s", n, kind, rep+1, msg))
			}
			if got := len(queryFound.FindAllStringIndex(r.out, -1)); got != n {
				failures = append(failures, fmt.Sprintf("query N=%d %s (run %d): %d results, want %d", n, kind, rep+1, got, n))
			}
		}
	}
	for i := range rows {
		rows[i].empty, rows[i].plugin = empty, plugin
	}
	return rows, failures, nil
}

// queryFile is a query file with one list block for n agents.
func queryFile(n int, include bool) string {
	return fmt.Sprintf("list \"elevenlabs_agent_auth\" \"all\" {\n  provider         = elevenlabs\n  limit            = %d\n  include_resource = %t\n}\n", n, include)
}

// querySection measures the query scenario at every size and renders its section.
func (b *bencher) querySection() (string, []string, error) {
	m := b.startMeasurement()
	m.machine.tofu = clirun.VersionLine(b.ctx, b.o.terraform)
	var rows []queryRow
	var failures []string
	for _, n := range b.o.sizes {
		r, fails, err := b.query(n)
		if err != nil {
			return "", nil, fmt.Errorf("query: %w", err)
		}
		rows = append(rows, r...)
		failures = append(failures, fails...)
	}
	return queryMarkdown(rows, m.done(failures)), failures, nil
}

// queryMarkdown renders the query section from its rows.
func queryMarkdown(rows []queryRow, m measurement) string {
	var sb strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	w("## Query: `terraform query` of the elevenlabs_agent_auth list resource\n\n%s\n", m.line())
	w("A query file with one `list \"elevenlabs_agent_auth\"` block (`limit` = N) and N agents on the fake (public, signed_url "+
		"and allowlist in turn, so every agent is a result), one `terraform query` per run, without and with "+
		"`include_resource = true` (which `-generate-config-out` implies), against the floor of the audit section: `terraform "+
		"plan` of an empty configuration (the CLI's own cost, no plugin) + pages × %s + (with resource objects) N × %s / %d. "+
		"Checked on every run: N results, exactly ceil(N/100) list calls, and no GET without resource objects, N with. "+
		"**provider-block plan** is `terraform plan` of the query's configuration (the provider block alone, no request): "+
		"what the CLI costs once it starts and configures the provider, as every query does; **ratio to it** = query / "+
		"(provider-block plan + latency floor), the cost of the list resource itself.\n\n",
		m.latency, m.latency, elevenlabs.DefaultFanOut)
	w("| N | resource objects | list calls | GETs | query | empty-config plan | latency floor | floor | ratio | overhead per agent | CPU CLI + provider | provider peak RSS | provider-block plan | ratio to it |\n")
	w("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range rows {
		w("| %d | %s | %s | %s%s | %.2f |\n", r.n, map[bool]string{false: "no", true: "yes"}[r.include],
			strings.Join(r.cells(), " | "), secs(medianWall(r.plugin)), spread(r.plugin), r.pluginRatio())
	}
	if len(rows) >= 2 {
		big := rows[len(rows)-2:]
		w("\nTarget: ≤ %.2f × floor at the largest size (%d agents): **%.2f** without resource objects, **%.2f** with: %s. ",
			ratioTarget, big[0].n, big[0].ratio(), big[1].ratio(), passFail(big[0].ratio() <= ratioTarget && big[1].ratio() <= ratioTarget))
	}
	w("The floor (a plan with no plugin) leaves out the provider's start-ups, which `terraform query` pays three times " +
		"(*Where the overhead goes*); without resource objects the query waits for only ceil(N/100) pages, too little " +
		"latency to hide them, so that row's ratio measures the CLI's fixed cost more than the list resource (see the " +
		"overhead per agent). The machine is shared (2 cores, other jobs running during the measurement): compare the " +
		"medians with their spread.\n")
	w("%s", m.failed())
	return sb.String()
}
