package provider

import "testing"

func TestResidencyBaseURL(t *testing.T) {
	for _, name := range residencyNames {
		u, ok := ResidencyBaseURL(name)
		if !ok || u != residencyHosts[name] {
			t.Errorf("ResidencyBaseURL(%q) = %q, %v", name, u, ok)
		}
	}
	if u, ok := ResidencyBaseURL("mars"); ok || u != "" {
		t.Errorf("ResidencyBaseURL(mars) = %q, %v; want unknown", u, ok)
	}
	if u, _ := ResidencyBaseURL("eu"); u != "https://api.eu.residency.elevenlabs.io" {
		t.Errorf("eu = %q", u)
	}
}
