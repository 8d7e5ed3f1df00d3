package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

func TestResidencyTable(t *testing.T) {
	if residencies[0].name != "global" || residencies[0].host != elevenlabs.DefaultBaseURL {
		t.Errorf("first residency = %v, want global with the client's default host %s", residencies[0], elevenlabs.DefaultBaseURL)
	}
	seen := map[string]bool{}
	for _, r := range residencies {
		if seen[r.name] || seen[r.host] {
			t.Errorf("residency %v repeats a name or a host", r)
		}
		seen[r.name], seen[r.host] = true, true
		if got, ok := ResidencyBaseURL(r.name); !ok || got != r.host {
			t.Errorf("ResidencyBaseURL(%q) = %q, %v, want %q", r.name, got, ok, r.host)
		}
		if err := checkBaseURL(r.host); err != nil || !strings.HasPrefix(r.host, "https://") {
			t.Errorf("residency %s host %q is not an https API root: %v", r.name, r.host, err)
		}
		if !strings.Contains(residencyHostsDoc(), "`"+r.name+"` ("+r.host+")") {
			t.Errorf("the residency description misses %s: %s", r.name, residencyHostsDoc())
		}
	}
	if u, ok := ResidencyBaseURL("mars"); ok || u != "" {
		t.Errorf("ResidencyBaseURL(mars) = %q, %v; want unknown", u, ok)
	}
}

// The hand-written residency tables (the docs index and CONTRACT.md) list the
// same values and hosts, in the same order, as the table the provider uses.
func TestResidencyTableMatchesDocs(t *testing.T) {
	var want []string
	for _, r := range residencies {
		want = append(want, r.name+" "+r.host)
	}
	row := regexp.MustCompile("(?m)^ *\\| `([a-z]+)` \\| `(https://[^`]+)` \\|")
	for _, file := range []string{"templates/index.md.tmpl", "CONTRACT.md"} {
		b, err := os.ReadFile(filepath.Join("..", "..", file))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range row.FindAllStringSubmatch(string(b), -1) {
			got = append(got, m[1]+" "+m[2])
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s lists the residencies\n%s\nwant (internal/provider/provider_residency.go)\n%s",
				file, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
