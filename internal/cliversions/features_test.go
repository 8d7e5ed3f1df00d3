package cliversions

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

func v(s string) *version.Version { return version.Must(version.NewVersion(s)) }

func TestLacks(t *testing.T) {
	for _, tc := range []struct {
		f    Feature
		cli  CLI
		v    string
		want bool // the release lacks the feature
	}{
		{Functions, OpenTofu, "1.7.0", false},
		{Functions, OpenTofu, "1.6.2", true},
		{Functions, Terraform, "1.7.5", true},
		{Functions, Terraform, "1.8.0", false},
		{Ephemeral, OpenTofu, "1.10.9", true},
		{Ephemeral, OpenTofu, "1.11.0", false},
		{Ephemeral, Terraform, "1.10.0", false},
		{Ephemeral, Terraform, "1.9.8", true},
		{Identity, OpenTofu, "1.12.0-beta1", false}, // a pre-release of 1.12 is 1.12
		{Identity, Terraform, "1.11.4", true},
		{Identity, Terraform, "2.0.0", false},
		{Query, Terraform, "1.13.3", true},
		{Query, Terraform, "1.14.0", false},
		{Query, OpenTofu, "1.12.6", true}, // no OpenTofu release has it
		{Query, OpenTofu, "9.0.0", true},
		{Resource, OpenTofu, "1.6.0", false},
	} {
		if got := tc.f.Lacks(tc.cli, v(tc.v)); got != tc.want {
			t.Errorf("%s on %s %s: Lacks = %v, want %v (%s)", tc.f.Name, tc.cli, tc.v, got, tc.want, tc.f.Why(tc.cli, v(tc.v)))
		}
	}
	if got, want := Ephemeral.Why(OpenTofu, v("1.7.8")), "OpenTofu 1.7.8 has no ephemeral resources (they need OpenTofu >= 1.11)"; got != want {
		t.Errorf("Why = %q, want %q", got, want)
	}
	if got, want := Query.Why(OpenTofu, v("1.12.6")), "OpenTofu has no list resources (no OpenTofu release has it)"; got != want {
		t.Errorf("Why = %q, want %q", got, want)
	}
}

func TestAllowedSkips(t *testing.T) {
	old := AllowedSkips(OpenTofu, v("1.7.8"))
	for _, f := range []Feature{Ephemeral, Identity, Query} {
		for _, test := range f.Tests {
			if !slices.Contains(old, test) {
				t.Errorf("OpenTofu 1.7.8 lacks %s, but %s may not skip", f.Name, test)
			}
		}
	}
	for _, test := range Functions.Tests {
		if slices.Contains(old, test) {
			t.Errorf("OpenTofu 1.7.8 has %s, but %s may skip", Functions.Name, test)
		}
	}
	if got := AllowedSkips(Terraform, v("1.15.0")); len(got) != 0 {
		t.Errorf("Terraform 1.15.0 has every feature, but these may skip: %v", got)
	}
	if got, want := AllowedSkips(OpenTofu, v("1.12.6")), slices.Sorted(slices.Values(Query.Tests)); !slices.Equal(got, want) {
		t.Errorf("OpenTofu 1.12.6 may skip %v, want only the query tests %v", got, want)
	}
}

func TestEveryFeatureIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Features {
		if f.Name == "" || f.Doc == "" || seen[f.Name] {
			t.Errorf("feature %+v: want a unique Name and a Doc", f)
		}
		seen[f.Name] = true
		if _, ok := f.Oldest(Terraform); !ok {
			t.Errorf("%s: every feature has a Terraform release", f.Name)
		}
		for _, test := range f.Tests {
			if !strings.HasPrefix(test, "TestAcc") {
				t.Errorf("%s lists %q: only acceptance tests (TestAcc*) skip for a CLI feature", f.Name, test)
			}
		}
	}
}

func testPins() []Pin {
	return []Pin{
		{CLI: OpenTofu, Label: "opentofu", Version: v("1.12.6")},
		{CLI: OpenTofu, Label: "opentofu-oldest", Version: v("1.7.8")},
		{CLI: Terraform, Label: "terraform", Version: v("1.15.0")},
		{CLI: Terraform, Label: "terraform-identity", Version: v("1.12.2")},
		{CLI: Terraform, Label: "terraform-oldest", Version: v("1.8.5")},
	}
}

func TestClaim(t *testing.T) {
	pins := testPins()
	for _, tc := range []struct {
		f    Feature
		cli  CLI
		want string // "" : not supported on cli
	}{
		{Resource, Terraform, "1.8.5"}, // Terraform 1.0 has it, but no older release is tested
		{Functions, Terraform, "1.8.5"},
		{Ephemeral, Terraform, "1.12.2"}, // Terraform 1.10 has it; 1.8.5 does not
		{Resource, OpenTofu, "1.7.8"},
		{Functions, OpenTofu, "1.7.8"},
		{Ephemeral, OpenTofu, "1.12.6"}, // OpenTofu 1.11 has it; 1.7.8 does not
		{Identity, Terraform, "1.12.2"},
		{Query, Terraform, "1.15.0"}, // Terraform 1.14 has it; 1.12.2 does not
		{Query, OpenTofu, ""},
	} {
		got, ok := tc.f.Claim(tc.cli, pins)
		switch {
		case tc.want == "" && ok:
			t.Errorf("%s on %s: claimed from %s, want unsupported", tc.f.Name, tc.cli, got)
		case tc.want != "" && (!ok || got.String() != tc.want):
			t.Errorf("%s on %s: claimed from %v (%v), want %s", tc.f.Name, tc.cli, got, ok, tc.want)
		}
	}
}

// The pinned CLIs of this repository: the newest of each kind has every feature
// some release of that kind has, so no test skips on it.
func TestReadPins(t *testing.T) {
	pins, err := ReadPins("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(pins) != len(testPins()) {
		t.Fatalf("ReadPins = %v, want the %d pinned CLIs", pins, len(testPins()))
	}
	for _, cli := range []CLI{Terraform, OpenTofu} {
		var newest *version.Version
		for _, p := range pins {
			if p.CLI == cli && (newest == nil || newest.LessThan(p.Version)) {
				newest = p.Version
			}
		}
		for _, f := range Lacking(cli, newest) {
			if _, ok := f.Oldest(cli); ok {
				t.Errorf("the newest pinned %s, %s, lacks %s: its tests would skip on every %s here", cli, newest, f.Name, cli)
			}
		}
	}
}

func TestVersionFile(t *testing.T) {
	for text, want := range map[string]string{
		"# Terraform\n\nv1.15.0\n": "v1.15.0",
		"v1.8.5":                   "v1.8.5",
		"# only comments\n":        "",
		"v1.15.0\nv1.14.9\n":       "",
		"1.15.0\n":                 "",
		"v1.15\n":                  "",
		"v1.15.0-beta1\n":          "",
	} {
		got, err := versionFile("version", []byte(text))
		if got != want || (err == nil) != (want != "") {
			t.Errorf("versionFile(%q) = %q, %v; want %q", text, got, err, want)
		}
	}
	got, err := goModVersion("go.mod", []byte("module x\n\ngo 1.26\n\nrequire (\n\tgithub.com/opentofu/opentofu v1.7.8\n)\n"))
	if got != "v1.7.8" || err != nil {
		t.Errorf("goModVersion = %q, %v; want v1.7.8", got, err)
	}
	if _, err := goModVersion("go.mod", []byte("module x\n")); err == nil {
		t.Error("goModVersion of a go.mod without OpenTofu: no error")
	}
}
