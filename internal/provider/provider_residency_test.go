package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// Every residency host is a base URL the provider accepts, and the
// attribute's description names each region with its host.
func TestResidencyHostsAreBaseURLs(t *testing.T) {
	for _, r := range elevenlabs.Residencies {
		if err := checkBaseURL(r.BaseURL); err != nil {
			t.Errorf("residency %s host %q is not a valid base_url: %v", r.Name, r.BaseURL, err)
		}
		if !strings.Contains(residencyHostsDoc(), "`"+r.Name+"` ("+r.BaseURL+")") {
			t.Errorf("the residency description misses %s: %s", r.Name, residencyHostsDoc())
		}
	}
}

// The hand-written residency tables (the docs index and CONTRACT.md) list the
// same values and hosts, in the same order, as the client's table.
func TestResidencyTableMatchesDocs(t *testing.T) {
	var want []string
	for _, r := range elevenlabs.Residencies {
		want = append(want, r.Name+" "+r.BaseURL)
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
			t.Errorf("%s lists the residencies\n%s\nwant (internal/elevenlabs/residency.go)\n%s",
				file, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
