package elevenlabs

import (
	"net/url"
	"strings"
	"testing"
)

func TestResidencyTable(t *testing.T) {
	if Residencies[0] != (Residency{"global", DefaultBaseURL}) {
		t.Errorf("first residency = %v, want global with the default host %s", Residencies[0], DefaultBaseURL)
	}
	seen := map[string]bool{}
	for i, r := range Residencies {
		if seen[r.Name] || seen[r.BaseURL] {
			t.Errorf("residency %v repeats a name or a host", r)
		}
		seen[r.Name], seen[r.BaseURL] = true, true
		if got, ok := ResidencyBaseURL(r.Name); !ok || got != r.BaseURL {
			t.Errorf("ResidencyBaseURL(%q) = %q, %v, want %q", r.Name, got, ok, r.BaseURL)
		}
		if ResidencyNames()[i] != r.Name {
			t.Errorf("ResidencyNames()[%d] = %q, want %q", i, ResidencyNames()[i], r.Name)
		}
		u, err := url.Parse(r.BaseURL)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.Path != "" || strings.HasSuffix(r.BaseURL, "/") {
			t.Errorf("residency %s host %q is not an https API root", r.Name, r.BaseURL)
		}
	}
	if u, ok := ResidencyBaseURL("mars"); ok || u != "" {
		t.Errorf("ResidencyBaseURL(mars) = %q, %v; want unknown", u, ok)
	}
}
