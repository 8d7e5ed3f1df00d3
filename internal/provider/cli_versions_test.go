package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// cliFeature is a CLI capability a test needs, with the oldest Terraform and
// OpenTofu releases that have it: the table "Supported CLI versions" of the
// README and the docs index, in code. OpenTofu and Terraform number their
// releases independently, so tfversion.SkipBelow alone (one number for both)
// would skip too little on one CLI and too much on the other.
//
// A test skipped by a cliFeature on an older CLI must be listed by name as an
// allowed skip for that CLI in scripts/test.sh; every other skip fails the run.
type cliFeature struct {
	name      string
	key       string // its name in scripts/test.sh
	terraform [2]int // oldest major, minor
	opentofu  [2]int
}

var (
	featureFunctions = cliFeature{"provider-defined functions", "functions", [2]int{1, 8}, [2]int{1, 7}}
	featureEphemeral = cliFeature{"ephemeral resources", "ephemeral", [2]int{1, 10}, [2]int{1, 11}}
	featureIdentity  = cliFeature{"resource identity", "identity", [2]int{1, 12}, [2]int{1, 12}}

	cliFeatures = []cliFeature{featureFunctions, featureEphemeral, featureIdentity}

	// featureQuery: list resources and `terraform query`, which OpenTofu does
	// not have (opentofu {0, 0}: no release). Not in cliFeatures (nor in the
	// README's table) yet: scripts/test.sh lists its tests under needs[query].
	featureQuery = cliFeature{"list resources / terraform query", "query", [2]int{1, 14}, [2]int{}}
)

// ephemeralVersions is the TerraformVersionChecks of every ephemeral resource test.
var ephemeralVersions = []tfversion.TerraformVersionCheck{featureEphemeral}

var _ tfversion.TerraformVersionCheck = cliFeature{}

// CheckTerraformVersion skips a resource.TestCase when the CLI under test lacks f.
func (f cliFeature) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if req.TerraformVersion == nil {
		return
	}
	seg := req.TerraformVersion.Segments()
	if reason := f.missing(cliIsOpenTofu(), seg[0], seg[1], req.TerraformVersion.String()); reason != "" {
		resp.Skip = reason
	}
}

// missing says why a CLI of that kind and version lacks f, or "" when it has it.
func (f cliFeature) missing(openTofu bool, major, minor int, full string) string {
	cli, oldest := "Terraform", f.terraform
	if openTofu {
		cli, oldest = "OpenTofu", f.opentofu
	}
	if oldest == [2]int{} {
		return fmt.Sprintf("%s has no %s", cli, f.name)
	}
	if major > oldest[0] || major == oldest[0] && minor >= oldest[1] {
		return ""
	}
	return fmt.Sprintf("%s %s has no %s (they need %s >= %d.%d)", cli, full, f.name, cli, oldest[0], oldest[1])
}

// requireCLI skips t when the CLI under test lacks f. It is for tests that drive
// the CLI directly; a resource.TestCase lists f in TerraformVersionChecks instead.
func requireCLI(t *testing.T, f cliFeature) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("CLI tests run with TF_ACC=1 (make test)")
	}
	v, err := cliVersion()
	if err != nil {
		t.Fatalf("reading the CLI version: %v", err)
	}
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		t.Fatalf("CLI version %q is not major.minor.patch", v)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		t.Fatalf("CLI version %q is not major.minor.patch", v)
	}
	if reason := f.missing(cliIsOpenTofu(), major, minor, v); reason != "" {
		t.Skip(reason)
	}
}

var (
	cliKindOnce sync.Once
	cliOpenTofu bool

	cliVersionOnce sync.Once
	cliVersionStr  string
	cliVersionErr  error
)

// cliIsOpenTofu reports whether TF_ACC_TERRAFORM_PATH (set by TestMain) is OpenTofu.
func cliIsOpenTofu() bool {
	cliKindOnce.Do(func() { cliOpenTofu = isOpenTofu(os.Getenv("TF_ACC_TERRAFORM_PATH")) })
	return cliOpenTofu
}

// isOpenTofu reports whether the CLI at path cli is OpenTofu (by name, else by
// its `version` output).
func isOpenTofu(cli string) bool {
	if strings.HasPrefix(filepath.Base(cli), "tofu") {
		return true
	}
	out, err := exec.Command(cli, "version").Output()
	return err == nil && strings.HasPrefix(string(out), "OpenTofu")
}

// cliVersion is the version of the CLI under test, as `version -json` reports it
// (OpenTofu reports its own version under the same key).
func cliVersion() (string, error) {
	cliVersionOnce.Do(func() {
		out, err := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), "version", "-json").Output()
		if err != nil {
			cliVersionErr = err
			return
		}
		var v struct {
			Version string `json:"terraform_version"`
		}
		if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
			cliVersionErr = fmt.Errorf("unexpected `version -json` output %q", out)
			return
		}
		cliVersionStr = v.Version
	})
	return cliVersionStr, cliVersionErr
}

func TestCLIFeatureMissing(t *testing.T) {
	for _, tc := range []struct {
		f     cliFeature
		tofu  bool
		major int
		minor int
		want  bool // the feature is missing
	}{
		{featureFunctions, true, 1, 7, false},
		{featureFunctions, true, 1, 6, true},
		{featureFunctions, false, 1, 7, true},
		{featureFunctions, false, 1, 8, false},
		{featureEphemeral, true, 1, 10, true},
		{featureEphemeral, true, 1, 11, false},
		{featureEphemeral, false, 1, 10, false},
		{featureEphemeral, false, 1, 9, true},
		{featureIdentity, true, 1, 12, false},
		{featureIdentity, false, 1, 11, true},
		{featureIdentity, false, 2, 0, false},
		{featureQuery, true, 1, 12, true},
		{featureQuery, true, 2, 0, true},
		{featureQuery, false, 1, 13, true},
		{featureQuery, false, 1, 14, false},
		{featureQuery, false, 1, 15, false},
	} {
		reason := tc.f.missing(tc.tofu, tc.major, tc.minor, fmt.Sprintf("%d.%d.0", tc.major, tc.minor))
		if (reason != "") != tc.want {
			t.Errorf("%s, tofu=%v %d.%d: missing = %q, want missing %v", tc.f.name, tc.tofu, tc.major, tc.minor, reason, tc.want)
		}
	}
}

// The versions above are also written in the README and the docs index (the
// table of supported CLI versions) and in scripts/test.sh (which skips it
// allows): all must say the same.
func TestCLIFeaturesMatchDocsAndTestScript(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, file := range []string{"README.md", "templates/index.md.tmpl"} {
		text := read(file)
		for _, f := range cliFeatures {
			row := regexp.MustCompile(`(?m)^\|[^\n]*` + regexp.QuoteMeta(f.name) + `[^\n]*\| >= (\d+)\.(\d+) \| >= (\d+)\.(\d+) \|`).FindStringSubmatch(text)
			if row == nil {
				t.Errorf("%s has no table row naming %q with its Terraform and OpenTofu versions", file, f.name)
				continue
			}
			got := fmt.Sprintf("%s.%s/%s.%s", row[1], row[2], row[3], row[4])
			want := fmt.Sprintf("%d.%d/%d.%d", f.terraform[0], f.terraform[1], f.opentofu[0], f.opentofu[1])
			if got != want {
				t.Errorf("%s: %s need Terraform/OpenTofu >= %s, cliFeature says %s", file, f.name, got, want)
			}
		}
	}
	script := read("scripts/test.sh")
	for cli, oldest := range map[string]func(cliFeature) [2]int{
		"OpenTofu":  func(f cliFeature) [2]int { return f.opentofu },
		"Terraform": func(f cliFeature) [2]int { return f.terraform },
	} {
		// skip_features has one `oldest=([key]=minor ...)` line per CLI, OpenTofu's first.
		lines := regexp.MustCompile(`(?m)^\s*oldest=\((.*)\)$`).FindAllStringSubmatch(script, -1)
		if len(lines) != 2 {
			t.Fatalf("scripts/test.sh: want 2 oldest=(...) lines in skip_features, found %d", len(lines))
		}
		line := lines[0][1]
		if cli == "Terraform" {
			line = lines[1][1]
		}
		for _, f := range cliFeatures {
			v := oldest(f)
			if want := fmt.Sprintf("[%s]=%d", f.key, v[1]); v[0] != 1 || !strings.Contains(" "+line+" ", " "+want+" ") {
				t.Errorf("scripts/test.sh: the %s line %q does not say %s (%s >= %d.%d)", cli, line, want, cli, v[0], v[1])
			}
		}
	}
}
