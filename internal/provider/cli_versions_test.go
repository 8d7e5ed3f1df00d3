package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/cliversions"
)

// cliFeature is a CLI capability a test needs: a row of the one table of
// supported CLI versions (internal/cliversions), which names the oldest Terraform
// and OpenTofu releases that have it and the tests that need it. OpenTofu and
// Terraform number their releases independently, so tfversion.SkipBelow alone
// (one number for both) would skip too little on one CLI and too much on the other.
//
// A test that skips by a cliFeature must be listed in that feature's Tests
// (TestCLIFeatureTestsAreListed checks it): scripts/test.sh allows exactly those
// skips on a CLI that lacks the feature; every other skip fails the run.
type cliFeature struct{ cliversions.Feature }

var (
	featureFunctions = cliFeature{cliversions.Functions}
	featureEphemeral = cliFeature{cliversions.Ephemeral}
	featureIdentity  = cliFeature{cliversions.Identity}
	featureQuery     = cliFeature{cliversions.Query}
)

// ephemeralVersions is the TerraformVersionChecks of every ephemeral resource test.
var ephemeralVersions = []tfversion.TerraformVersionCheck{featureEphemeral}

var _ tfversion.TerraformVersionCheck = cliFeature{}

// CheckTerraformVersion skips a resource.TestCase when the CLI under test lacks f.
func (f cliFeature) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if req.TerraformVersion == nil {
		return
	}
	if cli := cliUnderTest(); f.Lacks(cli, req.TerraformVersion) {
		resp.Skip = f.Why(cli, req.TerraformVersion)
	}
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
	parsed, err := version.NewVersion(v)
	if err != nil {
		t.Fatalf("CLI version %q: %v", v, err)
	}
	if cli := cliUnderTest(); f.Lacks(cli, parsed) {
		t.Skip(f.Why(cli, parsed))
	}
}

var (
	cliKindOnce sync.Once
	cliOpenTofu bool

	cliVersionOnce sync.Once
	cliVersionStr  string
	cliVersionErr  error
)

// cliUnderTest is the kind of CLI at TF_ACC_TERRAFORM_PATH (set by TestMain).
func cliUnderTest() cliversions.CLI {
	cliKindOnce.Do(func() { cliOpenTofu = isOpenTofu(os.Getenv("TF_ACC_TERRAFORM_PATH")) })
	if cliOpenTofu {
		return cliversions.OpenTofu
	}
	return cliversions.Terraform
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

// TestCLIFeatureTestsAreListed: the tests that skip by a cliFeature (they name it
// in their body, directly or through a package-level variable or function) are
// exactly the Tests of that feature in internal/cliversions, the list
// scripts/test.sh allows to skip. Read from this package's source, so a missing
// or stale name fails here, not only on a CLI that lacks the feature.
func TestCLIFeatureTestsAreListed(t *testing.T) {
	features := map[string]cliFeature{
		"featureFunctions": featureFunctions,
		"featureEphemeral": featureEphemeral,
		"featureIdentity":  featureIdentity,
		"featureQuery":     featureQuery,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	decls := map[string]ast.Node{} // package-level functions and variables, by name
	var tests []string
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil {
					continue
				}
				decls[d.Name.Name] = d
				if strings.HasPrefix(d.Name.Name, "Test") && strings.HasSuffix(name, "_test.go") && d.Name.Name != t.Name() {
					tests = append(tests, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok {
						continue
					}
					for _, id := range vs.Names {
						if id.Name == "_" {
							continue
						}
						decls[id.Name] = vs
						if typ, ok := vs.Type.(*ast.Ident); ok && typ.Name == "cliFeature" || len(vs.Values) > 0 && isCLIFeatureLit(vs.Values[0]) {
							if _, known := features[id.Name]; !known {
								t.Errorf("%s is a cliFeature this test does not know: add it to the map above", id.Name)
							}
						}
					}
				}
			}
		}
	}
	// uses: the features a declaration names, through the declarations it names.
	memo := map[string]map[string]bool{}
	var uses func(name string) map[string]bool
	uses = func(name string) map[string]bool {
		if got, ok := memo[name]; ok {
			return got
		}
		got := map[string]bool{}
		memo[name] = got // a cycle stops here
		if _, ok := features[name]; ok {
			got[name] = true
			return got
		}
		ast.Inspect(decls[name], func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name != name && decls[id.Name] != nil && !strings.HasPrefix(id.Name, "Test") {
				for f := range uses(id.Name) {
					got[f] = true
				}
			}
			return true
		})
		return got
	}
	skipping := map[string][]string{} // feature variable -> tests that name it
	for _, test := range tests {
		for f := range uses(test) {
			skipping[f] = append(skipping[f], test)
		}
	}
	for name, f := range features {
		got := skipping[name]
		slices.Sort(got)
		want := slices.Sorted(slices.Values(f.Tests))
		for _, test := range got {
			if !slices.Contains(want, test) {
				t.Errorf("%s skips by %s, but the Tests of %q in internal/cliversions do not list it: add it there (scripts/test.sh fails on an unlisted skip)", test, name, f.Name)
			}
		}
		for _, test := range want {
			if !slices.Contains(got, test) {
				t.Errorf("internal/cliversions lists %s among the tests of %q, but no such test skips by %s: remove it, or name %s in the test", test, f.Name, name, name)
			}
		}
	}
}

func isCLIFeatureLit(e ast.Expr) bool {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return false
	}
	id, ok := lit.Type.(*ast.Ident)
	return ok && id.Name == "cliFeature"
}
