package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// A test that needs a CLI feature skips, by a version check, on a CLI that
// predates it; scripts/test.sh allows exactly those skips, by test name. The
// version numbers of OpenTofu and Terraform are separate lines (OpenTofu 1.7
// has provider functions, Terraform only from 1.8), and `tofu version -json`
// reports its own number as "terraform_version", so tfversion.SkipBelow
// alone cannot tell them apart: cliFeature carries both minimums and
// testCLI reads which CLI runs the tests.

// cliFeature is a CLI feature with the first version of each CLI that has it.
type cliFeature struct {
	name      string
	terraform string
	opentofu  string
}

var (
	featureFunctions = cliFeature{"provider-defined functions", "1.8.0", "1.7.0"}
	featureEphemeral = cliFeature{"ephemeral resources", "1.10.0", "1.11.0"}
	// Import blocks with identity and the identity in the state: Terraform
	// 1.12.0; OpenTofu 1.12.0 (its CHANGELOG: "import blocks now allow
	// describing the object to be imported using ... the identity argument").
	featureIdentity = cliFeature{"resource identity", "1.12.0", "1.12.0"}
)

// cliInfo is the CLI named by TF_ACC_TERRAFORM_PATH.
type cliInfo struct {
	name    string // "OpenTofu" or "Terraform"
	version *version.Version
}

func (c cliInfo) String() string { return c.name + " " + c.version.String() }

var (
	cliOnce sync.Once
	cliSeen cliInfo
	cliErr  error
)

var cliVersionLine = regexp.MustCompile(`(?m)^(OpenTofu|Terraform) v(\S+)`)

// readCLI runs `<cli> version` once and reads its first line, "OpenTofu v1.12.6"
// or "Terraform v1.11.4".
func readCLI() (cliInfo, error) {
	cliOnce.Do(func() {
		path := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if path == "" {
			path = "terraform"
		}
		cmd := exec.Command(path, "version")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			cliErr = fmt.Errorf("running %s version: %w", path, err)
			return
		}
		m := cliVersionLine.FindSubmatch(out)
		if m == nil {
			cliErr = fmt.Errorf("%s version printed no \"OpenTofu vX\" or \"Terraform vX\" line:\n%s", path, out)
			return
		}
		v, err := version.NewVersion(string(m[2]))
		if err != nil {
			cliErr = fmt.Errorf("%s version: %w", path, err)
			return
		}
		cliSeen = cliInfo{name: string(m[1]), version: v}
	})
	return cliSeen, cliErr
}

// missing returns why the CLI lacks f, or "" when it has it.
func (c cliInfo) missing(f cliFeature) string {
	minimum := f.terraform
	if c.name == "OpenTofu" {
		minimum = f.opentofu
	}
	if c.version.Core().LessThan(version.Must(version.NewVersion(minimum))) {
		return fmt.Sprintf("%s predates %s (OpenTofu >= %s, Terraform >= %s): skipping test", c, f.name, f.opentofu, f.terraform)
	}
	return ""
}

// requireCLI skips a test that drives the CLI directly when the CLI lacks f.
func requireCLI(t *testing.T, f cliFeature) {
	t.Helper()
	c, err := readCLI()
	if err != nil {
		t.Fatal(err)
	}
	if why := c.missing(f); why != "" {
		t.Skip(why)
	}
}

// cliSupports is requireCLI for terraform-plugin-testing's TestCase.TerraformVersionChecks.
func cliSupports(f cliFeature) []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{featureCheck{f}}
}

type featureCheck struct{ f cliFeature }

func (c featureCheck) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	cli, err := readCLI()
	if err != nil {
		resp.Error = err
		return
	}
	resp.Skip = cli.missing(c.f)
}

func TestCLIFeatureMinimums(t *testing.T) {
	v := func(s string) *version.Version { return version.Must(version.NewVersion(s)) }
	for _, tc := range []struct {
		cli  cliInfo
		f    cliFeature
		want string
	}{
		{cliInfo{"OpenTofu", v("1.12.6")}, featureIdentity, ""},
		{cliInfo{"OpenTofu", v("1.12.0-rc1")}, featureIdentity, ""},
		{cliInfo{"OpenTofu", v("1.11.5")}, featureIdentity, "OpenTofu 1.11.5 predates resource identity (OpenTofu >= 1.12.0, Terraform >= 1.12.0): skipping test"},
		{cliInfo{"Terraform", v("1.11.4")}, featureIdentity, "Terraform 1.11.4 predates resource identity (OpenTofu >= 1.12.0, Terraform >= 1.12.0): skipping test"},
		{cliInfo{"Terraform", v("1.12.0")}, featureIdentity, ""},
		{cliInfo{"OpenTofu", v("1.7.0")}, featureFunctions, ""},
		{cliInfo{"Terraform", v("1.7.5")}, featureFunctions, "Terraform 1.7.5 predates provider-defined functions (OpenTofu >= 1.7.0, Terraform >= 1.8.0): skipping test"},
		{cliInfo{"OpenTofu", v("1.10.3")}, featureEphemeral, "OpenTofu 1.10.3 predates ephemeral resources (OpenTofu >= 1.11.0, Terraform >= 1.10.0): skipping test"},
		{cliInfo{"Terraform", v("1.10.0")}, featureEphemeral, ""},
	} {
		if got := tc.cli.missing(tc.f); got != tc.want {
			t.Errorf("%s, %s:\n got %q\nwant %q", tc.cli, tc.f.name, got, tc.want)
		}
	}
	for _, out := range []string{"OpenTofu v1.12.6\non linux_amd64\n", "Terraform v1.11.4\non linux_amd64\n"} {
		if m := cliVersionLine.FindStringSubmatch(out); m == nil {
			t.Errorf("no version in %q", out)
		}
	}
}
