package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// The fleet scenarios read every agent of a workspace: the audit (`plan` of a
// configuration that holds only the elevenlabs_agents data source) and
// `terraform query` of the list resource, through HashiCorp Terraform
// (OpenTofu has no query), without and with include_resource. Both compare
// with the CLI's own cost for an empty configuration plus the latency the
// reads cannot avoid: the list pages one after the other, then N GETs at most
// elevenlabs.DefaultFanOut at a time.

const (
	// providerConfig is a configuration with the provider block alone.
	providerConfig = clirun.RequiredProviders + "\nprovider \"elevenlabs\" {}\n"
	auditConfig    = providerConfig + "\ndata \"elevenlabs_agents\" \"all\" {}\n"
	emptyConfig    = "# An empty configuration: what the CLI costs on its own.\n"
)

// authModes gives the seeded agents every auth mode in turn (the first
// three: those elevenlabs_agent_auth can mirror).
var authModes = []map[string]any{
	{"enable_auth": false, "allowlist": []any{}, "require_origin_header": false},
	{"enable_auth": true, "allowlist": []any{}, "require_origin_header": false},
	{"enable_auth": false, "allowlist": []any{map[string]any{"hostname": "app.example.com"}}, "require_origin_header": true},
	{"enable_auth": true, "allowlist": []any{map[string]any{"hostname": "both.example.com"}}, "require_origin_header": false},
}

var (
	listKey = "GET " + fakeapi.RouteAgents
	getKey  = "GET " + fakeapi.RouteAgent
	plan    = []string{"plan", "-input=false", "-detailed-exitcode"}
	// queryFound matches one result line of `terraform query`.
	queryFound = regexp.MustCompile(`(?m)^list\.elevenlabs_agent_auth\.all\s+agent_id=`)
)

func pages(n int) int { return max(1, (n+elevenlabs.MaxPageSize-1)/elevenlabs.MaxPageSize) }

// reads is the latency floor of reading n agents: the pages one after the
// other, then (gets) the N GETs at most DefaultFanOut at a time.
func (b *bencher) reads(n int, gets bool) time.Duration {
	d := time.Duration(pages(n)) * b.o.latency
	if gets {
		d += time.Duration(n) * b.o.latency / elevenlabs.DefaultFanOut
	}
	return d
}

func (b *bencher) auditSection(p *page) error {
	rows, err := b.perSize(b.audit)
	if err != nil {
		return err
	}
	big := rows[len(rows)-1]
	p.Target = fmt.Sprintf("Target: ≤ %.2f × floor at the largest size (%d agents): **%.2f, %s**. ", ratioTarget, big.n, big.ratio(),
		map[bool]string{true: "met", false: "not met"}[big.ratio() <= ratioTarget])
	p.Tables = []string{table(rows, colN, colCount("list calls", listKey), colCount("GETs", getKey), colTime("elevenlabs plan"),
		colBase("empty-config plan"), colLatency, colFloor, colRatio, colOver("overhead per agent"), colCPU, colProvRSS)}
	return nil
}

// audit measures the audit plan at size n against an empty configuration's.
func (b *bencher) audit(n int) ([]*row, error) {
	f := b.startFake(n, func(i int) fakeapi.AgentSpec {
		return fakeapi.AgentSpec{Name: fmt.Sprintf("audit agent %d", i), Tags: []string{"bench"}, Auth: authModes[i%len(authModes)]}
	})
	defer f.Close()
	r := &row{n: n, latency: b.reads(n, true)}
	dir := filepath.Join(b.o.work, fmt.Sprintf("audit-n%d", n))
	for kind, cfg := range map[string]string{"elevenlabs": auditConfig, "empty": emptyConfig} {
		if err := writeFiles(filepath.Join(dir, kind), map[string]string{"main.tf": cfg}); err != nil {
			return nil, err
		}
	}
	return []*row{r}, b.repeat(f, b.o.repeat,
		arm{label: fmt.Sprintf("audit N=%d elevenlabs plan", n), dir: filepath.Join(dir, "elevenlabs"), args: plan, want: "No changes.",
			into: &r.runs, calls: map[string]int{listKey: pages(n), getKey: n}},
		arm{label: fmt.Sprintf("audit N=%d empty      plan", n), dir: filepath.Join(dir, "empty"), args: plan, want: "No changes.",
			into: &r.base, calls: none})
}

func (b *bencher) querySection(p *page) error {
	rows, err := b.perSize(b.query)
	if err != nil {
		return err
	}
	big := rows[len(rows)-2:]
	p.Target = fmt.Sprintf("Target: ≤ %.2f × floor at the largest size (%d agents): **%.2f** without resource objects, **%.2f** with: %s. ",
		ratioTarget, big[0].n, big[0].ratio(), big[1].ratio(), passFail(big[0].ratio() <= ratioTarget && big[1].ratio() <= ratioTarget))
	p.Tables = []string{table(rows, colN, text("resource objects", func(r *row) string { return r.title }),
		colCount("list calls", listKey), colCount("GETs", getKey), colTime("query"), colBase("empty-config plan"),
		colLatency, colFloor, colRatio, colOver("overhead per agent"), colCPU, colProvRSS,
		num("provider-block plan", func(r *row) string { return timed(r.plugin) }),
		num("ratio to it", func(r *row) string {
			return fmt.Sprintf("%.2f", float64(median(r.runs, wall))/float64(median(r.plugin, wall)+r.latency))
		}))}
	return nil
}

// query measures the query at size n: the row without resource objects,
// then the row with. Its runs are checked for N results, the pages and (with
// resource objects) N GETs; the plan of the provider block alone for no
// request at all.
func (b *bencher) query(n int) ([]*row, error) {
	f := b.startFake(n, func(i int) fakeapi.AgentSpec {
		return fakeapi.AgentSpec{Name: fmt.Sprintf("query agent %d", i), Auth: authModes[i%3]}
	})
	defer f.Close()
	rows := []*row{{n: n, title: "no", latency: b.reads(n, false)}, {n: n, title: "yes", latency: b.reads(n, true)}}
	dir := filepath.Join(b.o.work, fmt.Sprintf("query-n%d", n))
	for kind, files := range map[string]map[string]string{
		"list":    {"main.tf": providerConfig, "all.tfquery.hcl": queryFile(n, false)},
		"include": {"main.tf": providerConfig, "all.tfquery.hcl": queryFile(n, true)},
		"empty":   {"main.tf": emptyConfig},
	} {
		if err := writeFiles(filepath.Join(dir, kind), files); err != nil {
			return nil, err
		}
	}
	results := func(label string, r *cliRun) {
		if got := len(queryFound.FindAllStringIndex(r.out, -1)); got != n {
			b.fail("%s: %d results, want %d", label, got, n)
		}
	}
	run := func(kind, sub string, args []string, into *[]cliRun, calls map[string]int, after func(string, *cliRun)) arm {
		return arm{label: fmt.Sprintf("query N=%d %-8s %s", n, kind, args[0]), cli: b.o.terraform, dir: filepath.Join(dir, sub), args: args,
			into: into, calls: calls, after: after}
	}
	err := b.repeat(f, b.o.repeat,
		run("list", "list", []string{"query"}, &rows[0].runs, map[string]int{listKey: pages(n)}, results),
		run("include", "include", []string{"query"}, &rows[1].runs, map[string]int{listKey: pages(n), getKey: n}, results),
		run("empty", "empty", plan, &rows[0].base, none, nil),
		run("plugin", "list", plan, &rows[0].plugin, none, nil)) // the list directory's main.tf: the provider block alone
	rows[1].base, rows[1].plugin = rows[0].base, rows[0].plugin
	return rows, err
}

// queryFile is a query file with one list block for n agents.
func queryFile(n int, include bool) string {
	return "list \"elevenlabs_agent_auth\" \"all\" {\n  provider         = elevenlabs\n  limit            = " + strconv.Itoa(n) +
		"\n  include_resource = " + strconv.FormatBool(include) + "\n}\n"
}
