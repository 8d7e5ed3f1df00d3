package cliversions

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hashicorp/go-version"
	"golang.org/x/mod/modfile"
)

// Pin is a CLI the acceptance suite runs with (make test, .ci/run), built once
// into Bin from the Go module proxy. Its version is named in File and nowhere
// else: OpenTofu in a tools module's go.mod (built with go build), Terraform in a
// version file (scripts/build-terraform.sh, since its module needs a patch).
type Pin struct {
	CLI   CLI
	Label string // the acceptance run's name in scripts/test.sh
	File  string // the file that pins the version, from the repository root
	Bin   string // the built CLI, from the repository root; `make $(basename Bin)` builds it
	// Version is read from File by ReadPins.
	Version *version.Version
}

// pins are the CLIs make test runs the acceptance suite with, in that order.
var pins = []Pin{
	{CLI: OpenTofu, Label: "opentofu", File: "tools/opentofu/go.mod", Bin: "bin/tofu"},
	{CLI: OpenTofu, Label: "opentofu-oldest", File: "tools/opentofu-oldest/go.mod", Bin: "bin/tofu-oldest"},
	{CLI: Terraform, Label: "terraform", File: "tools/terraform/version", Bin: "bin/terraform"},
	{CLI: Terraform, Label: "terraform-identity", File: "tools/terraform-identity/version", Bin: "bin/terraform-identity"},
	{CLI: Terraform, Label: "terraform-oldest", File: "tools/terraform-oldest/version", Bin: "bin/terraform-oldest"},
}

const openTofuModule = "github.com/opentofu/opentofu"

// ReadPins returns the pinned CLIs with their versions, read from the repository at root.
func ReadPins(root string) ([]Pin, error) {
	out := make([]Pin, len(pins))
	for i, p := range pins {
		b, err := os.ReadFile(filepath.Join(root, p.File))
		if err != nil {
			return nil, err
		}
		var s string
		if p.CLI == OpenTofu {
			s, err = goModVersion(p.File, b)
		} else {
			s, err = versionFile(p.File, b)
		}
		if err != nil {
			return nil, err
		}
		if p.Version, err = version.NewVersion(s); err != nil {
			return nil, fmt.Errorf("%s: %w", p.File, err)
		}
		out[i] = p
	}
	return out, nil
}

// goModVersion is the version of OpenTofu a tools module's go.mod requires.
func goModVersion(name string, b []byte) (string, error) {
	f, err := modfile.ParseLax(name, b, nil)
	if err != nil {
		return "", err
	}
	for _, r := range f.Require {
		if r.Mod.Path == openTofuModule {
			return r.Mod.Version, nil
		}
	}
	return "", fmt.Errorf("%s requires no %s", name, openTofuModule)
}

// versionLine is the version line of a version file, as scripts/build-terraform.sh reads it.
var versionLine = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// versionFile is the one line of a version file that is not blank or a # comment.
func versionFile(name string, b []byte) (string, error) {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !versionLine.MatchString(lines[0]) {
		return "", fmt.Errorf("%s: want one version line such as v1.15.0 besides # comments, found %q", name, lines)
	}
	return lines[0], nil
}

// Claim is the release f is claimed from on cli: the oldest pinned release of cli
// that has f, so that every claim is tested. ok is false when no pinned release
// of cli has f: f is not supported on cli.
func (f Feature) Claim(cli CLI, pinned []Pin) (v *version.Version, ok bool) {
	for _, p := range f.TestedWith(cli, pinned) {
		if v == nil || p.Version.LessThan(v) {
			v = p.Version
		}
	}
	return v, v != nil
}

// TestedWith lists the pinned releases of cli that have f, in pin order.
func (f Feature) TestedWith(cli CLI, pinned []Pin) []Pin {
	var out []Pin
	for _, p := range pinned {
		if p.CLI == cli && !f.Lacks(cli, p.Version) {
			out = append(out, p)
		}
	}
	return out
}
