package cliversions

import (
	"fmt"
	"slices"
	"strings"
)

// The generated table sits between these lines in README.md,
// templates/index.md.tmpl (and so docs/index.md) and CONTRIBUTING.md.
const (
	BeginMarker = "<!-- cli-versions:begin -->"
	EndMarker   = "<!-- cli-versions:end -->"
)

// Markdown is the table of supported CLI versions, with the sentences that say
// what it means. forContributors adds where each CLI is pinned and how the
// tests use the table; the README and the docs index (the Registry's page),
// written for users, leave that out.
func Markdown(pinned []Pin, forContributors bool) string {
	var b strings.Builder
	b.WriteString("| feature | Terraform | OpenTofu | tested in CI with | the CLI has it since (release notes) |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, f := range Features {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", f.Doc,
			claimCell(f, Terraform, pinned), claimCell(f, OpenTofu, pinned), testedCell(f, pinned), sinceCell(f))
	}
	b.WriteString("\nA feature is supported from the oldest release that runs the provider's acceptance tests\n" +
		"in CI (the Terraform and OpenTofu columns); every CI run tests it with the releases of the\n" +
		"fourth column. The last column, from the CLIs' release notes, says where an older, untested\n" +
		"release may work too.\n")
	if !forContributors {
		return b.String()
	}
	b.WriteString("\n`make test` (and `.ci/run`) builds each of these releases once from the Go module proxy\n" +
		"and runs the acceptance suite with it; `.github/workflows/test.yml` runs the same releases:\n\n")
	for _, p := range sorted(pinned) {
		fmt.Fprintf(&b, "- %s %s: `%s`, pinned in `%s`\n", p.CLI, p.Version, p.Bin, p.File)
	}
	b.WriteString("\nA test of a feature skips on a CLI that lacks it, and only there; any other skip fails the\n" +
		"run. The table is `internal/cliversions`, written here by `make docs`; `make docs-check` fails\n" +
		"when it is stale.\n")
	return b.String()
}

// sorted orders pins by CLI (Terraform first), then oldest first.
func sorted(pinned []Pin) []Pin {
	out := slices.Clone(pinned)
	slices.SortStableFunc(out, func(a, b Pin) int {
		if a.CLI != b.CLI {
			return strings.Compare(string(b.CLI), string(a.CLI))
		}
		return a.Version.Compare(b.Version)
	})
	return out
}

func claimCell(f Feature, cli CLI, pinned []Pin) string {
	if v, ok := f.Claim(cli, pinned); ok {
		return ">= " + short(v)
	}
	return "no"
}

func testedCell(f Feature, pinned []Pin) string {
	var parts []string
	for _, cli := range []CLI{Terraform, OpenTofu} {
		var vs []string
		for _, p := range sorted(f.TestedWith(cli, pinned)) {
			vs = append(vs, p.Version.String())
		}
		if len(vs) > 0 {
			parts = append(parts, string(cli)+" "+strings.Join(vs, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

func sinceCell(f Feature) string {
	var parts []string
	for _, cli := range []CLI{Terraform, OpenTofu} {
		if v, ok := f.Oldest(cli); ok {
			parts = append(parts, string(cli)+" "+short(v))
		} else {
			parts = append(parts, "not in "+string(cli))
		}
	}
	return strings.Join(parts, ", ")
}

// Replace puts generated between the markers of text (the lines that hold them stay).
func Replace(text, generated string) (string, error) {
	begin := strings.Index(text, BeginMarker+"\n")
	end := strings.Index(text, "\n"+EndMarker)
	if begin < 0 || end < begin || strings.Count(text, BeginMarker) != 1 || strings.Count(text, EndMarker) != 1 {
		return "", fmt.Errorf("want one line %q followed by one line %q", BeginMarker, EndMarker)
	}
	return text[:begin+len(BeginMarker)+1] + generated + text[end+1:], nil
}
