package provider

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The CLI tests drive the Terraform CLI (the pinned OpenTofu, or the terraform
// named by TF_ACC_TERRAFORM_PATH) directly, exactly as a user does: a built
// provider binary, a CLI config with dev_overrides, no init. They read the files
// the CLI writes (state, saved plans, logs), which terraform-plugin-testing hides.

var (
	buildOnce   sync.Once
	providerDir string
	buildErr    error
)

// builtProvider builds the provider binary once per test run.
func builtProvider(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "elevenlabs-provider-bin")
		if err != nil {
			buildErr = err
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-elevenlabs"), "../..").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
		providerDir = dir
	})
	if buildErr != nil {
		t.Fatalf("building the provider: %v", buildErr)
	}
	return providerDir
}

// cliWorkspace is a working directory with a CLI config that points
// voicegate/elevenlabs at the built binary.
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
	bin := builtProvider(t)
	dir := t.TempDir()
	rc := devCLIConfig(t, t.TempDir(), bin)
	env := []string{}
	for _, kv := range os.Environ() {
		k := strings.SplitN(kv, "=", 2)[0]
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "ELEVENLABS_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		EnvAPIKey+"="+testAPIKey,
		EnvBaseURL+"="+e.url,
	)
	return &cliWorkspace{t: t, dir: dir, env: env}
}

// devCLIConfig writes the dev_overrides CLI configuration that points the CLI at
// the provider in providerDir, with the one helper every plain CLI run of the
// repository uses (scripts/dev-overrides.sh), and returns its path.
func devCLIConfig(t *testing.T, dir, providerDir string) string {
	t.Helper()
	out, err := exec.Command("bash", filepath.Join("..", "..", "scripts", "dev-overrides.sh"), dir, providerDir).Output()
	if err != nil {
		t.Fatalf("scripts/dev-overrides.sh: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// write replaces main.tf; the elevenlabs source is added for the dev override.
func (w *cliWorkspace) write(body string) {
	w.t.Helper()
	cfg := `terraform {
  required_providers {
    elevenlabs = { source = "voicegate/elevenlabs" }
  }
}
` + body
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(cfg), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI and returns its combined output and exit code.
func (w *cliWorkspace) run(extraEnv []string, args ...string) (string, int) {
	w.t.Helper()
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)...)
	cmd.Dir = w.dir
	cmd.Env = append(append([]string{}, w.env...), extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		w.t.Fatalf("running %v: %v", args, err)
	}
	return out.String(), code
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

func (w *cliWorkspace) read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}
