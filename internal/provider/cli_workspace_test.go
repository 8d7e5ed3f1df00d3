package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
)

// The CLI tests drive the Terraform CLI (the pinned OpenTofu, or the terraform
// named by TF_ACC_TERRAFORM_PATH) directly, exactly as a user does: a built
// provider binary, a CLI config with dev_overrides, no init. They read the files
// the CLI writes (state, saved plans, logs), which terraform-plugin-testing hides.
// internal/clirun does the work; these helpers tie it to a test.

// cliWorkspace is a working directory whose CLI config points
// voicegate/elevenlabs at the provider built from this checkout. env is the
// whole environment of each run: a test may append to it.
type cliWorkspace struct {
	t   *testing.T
	dir string
	env []string
}

func newCLIWorkspace(t *testing.T, e *testEnv) *cliWorkspace {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("CLI tests run with TF_ACC=1 (make test)")
	}
	bin, err := clirun.BuildProvider(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// The CLI's provider runs on this machine's clock: the fake's must agree,
	// or every credential it mints would look expired (or not yet valid).
	e.clock.Set(time.Now())
	ws, err := clirun.New(os.Getenv("TF_ACC_TERRAFORM_PATH"), t.TempDir(), bin, EnvAPIKey+"="+testAPIKey, EnvBaseURL+"="+e.url)
	if err != nil {
		t.Fatal(err)
	}
	return &cliWorkspace{t: t, dir: ws.Dir, env: ws.Env}
}

// cli is the workspace as internal/clirun runs it (with -no-color).
func (w *cliWorkspace) cli() *clirun.Workspace {
	return &clirun.Workspace{CLI: os.Getenv("TF_ACC_TERRAFORM_PATH"), Dir: w.dir, Env: w.env, NoColor: true}
}

// write replaces main.tf; the elevenlabs source is added for the dev override.
func (w *cliWorkspace) write(body string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(clirun.RequiredProviders+body), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI with extraEnv added and returns its combined output and
// exit code.
func (w *cliWorkspace) run(extraEnv []string, args ...string) (string, int) {
	w.t.Helper()
	r, err := w.cli().Run(context.Background(), extraEnv, args...)
	if err != nil {
		w.t.Fatalf("running %v: %v", args, err)
	}
	return r.Out, r.Code
}

// mustRun fails the test unless the CLI exits with want.
func (w *cliWorkspace) mustRun(want int, args ...string) string {
	w.t.Helper()
	out, code := w.run(nil, args...)
	if code != want {
		w.t.Fatalf("%v exited %d, want %d:\n%s", args, code, want, out)
	}
	return out
}

// start starts the CLI and returns at once, for tests that interrupt it:
// ending ctx sends SIGINT, as Ctrl-C does.
func (w *cliWorkspace) start(ctx context.Context, args ...string) *clirun.Process {
	w.t.Helper()
	p, err := w.cli().Start(ctx, nil, args...)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

func (w *cliWorkspace) read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// flatOut joins CLI output into one line, so wrapped messages can be matched.
func flatOut(out string) string { return strings.Join(strings.Fields(out), " ") }

// writeExample copies examples/<dir> into the workspace as users would use it:
// main.tf gets the required_providers block (write), other files are copied.
func (w *cliWorkspace) writeExample(dir string) {
	w.t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", dir, "*"))
	if err != nil || len(files) == 0 {
		w.t.Fatalf("example %s: %v (%d files)", dir, err, len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			w.t.Fatal(err)
		}
		if filepath.Base(f) == "main.tf" {
			w.write(string(b))
			continue
		}
		if err := os.WriteFile(filepath.Join(w.dir, filepath.Base(f)), b, 0o600); err != nil {
			w.t.Fatal(err)
		}
	}
}

// wantAll fails for each of wants missing from out, and each of nots present.
// Runs of white space compare equal (the CLI wraps long messages).
func wantAll(t *testing.T, what, out string, wants []string, nots ...string) {
	t.Helper()
	flat := flatOut(out)
	for _, want := range wants {
		if !strings.Contains(flat, flatOut(want)) {
			t.Errorf("%s lacks %q:\n%s", what, want, out)
		}
	}
	for _, not := range nots {
		if strings.Contains(flat, not) {
			t.Errorf("%s contains %q:\n%s", what, not, out)
		}
	}
}
