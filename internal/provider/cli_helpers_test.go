package provider

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
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
	// The CLI's provider runs on this machine's clock: the fake's must agree,
	// or every credential it mints would look expired (or not yet valid).
	e.clock.Set(time.Now())
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

// Fixtures around the CLI: the proxy the CLI tests route the provider through.

// connectProxy is a loopback HTTPS proxy that requires user:pass and tunnels
// every CONNECT, whatever host it names, to target (so a base URL on a public
// name reaches a local server without DNS or network).
type connectProxy struct {
	t          *testing.T
	url        string // http://127.0.0.1:port, without credentials
	user, pass string
	target     string
	mu         sync.Mutex
	connects   []string // CONNECT targets
	refused    int      // 407 answers
}

func newConnectProxy(t *testing.T, target, user, pass string) *connectProxy {
	p := &connectProxy{t: t, user: user, pass: pass, target: target}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

func (p *connectProxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
		return
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.user+":"+p.pass))
	p.mu.Lock()
	if r.Header.Get("Proxy-Authorization") != want {
		p.refused++
		p.mu.Unlock()
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
		return
	}
	p.connects = append(p.connects, r.Host)
	p.mu.Unlock()
	upstream, err := net.Dial("tcp", p.target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		_ = upstream.Close()
		return
	}
	_, _ = conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	go func() {
		_, _ = io.Copy(upstream, buf)
		_ = upstream.Close()
	}()
	_, _ = io.Copy(conn, upstream)
	_ = conn.Close()
}

func (p *connectProxy) counts() ([]string, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.connects...), p.refused
}

// Leak probes: traced CLI runs and a search for secrets in every file and
// output they leave.

// secretFinder reports where any of the secrets occurs in a text.
type secretFinder struct {
	t       *testing.T
	secrets map[string]string // value -> label
}

func (f *secretFinder) check(where, text string) {
	f.t.Helper()
	for value, label := range f.secrets {
		if value != "" && strings.Contains(text, value) {
			f.t.Errorf("%s holds the %s", where, label)
		}
	}
}

// zipText returns the decompressed content of every file in a saved plan.
func zipText(t *testing.T, path string) string {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("saved plan %s: %v", path, err)
	}
	defer r.Close()
	var b strings.Builder
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		b.Write(data)
	}
	return b.String()
}

// tracedSteps are the runs of the leak probes, each with TF_LOG=trace written
// to its log file: a saved plan, its apply, and a plan that must be empty.
var tracedSteps = []struct {
	log  string
	args []string
}{
	{"plan.log", []string{"plan", "-out=tfplan"}},
	{"apply.log", []string{"apply", "tfplan"}},
	{"replan.log", []string{"plan", "-detailed-exitcode"}},
}

// runTraced runs tracedSteps, failing on a non-zero exit, calls after(i)
// after step i (nil for none), then saves a second plan (tfplan2). It returns
// the CLI output of tracedSteps.
func (w *cliWorkspace) runTraced(after func(i int, args []string)) string {
	w.t.Helper()
	var outputs strings.Builder
	for i, step := range tracedSteps {
		out, code := w.run([]string{"TF_LOG=trace", "TF_LOG_PATH=" + filepath.Join(w.dir, step.log)}, step.args...)
		if code != 0 {
			w.t.Fatalf("%v exited %d:\n%s", step.args, code, out)
		}
		outputs.WriteString(out)
		if after != nil {
			after(i, step.args)
		}
	}
	w.mustRun(0, "plan", "-out=tfplan2")
	return outputs.String()
}

// checkEverywhere checks with f every text runTraced left: its CLI output,
// the state (and its backup), both saved plans, `show -json` of the second
// plan and of the state, and each trace log, which must mention each of
// markers (so that an empty or foreign log cannot pass).
func (w *cliWorkspace) checkEverywhere(f *secretFinder, outputs string, markers ...string) {
	w.t.Helper()
	f.check("the CLI output", outputs)
	f.check("terraform.tfstate", w.read("terraform.tfstate"))
	f.check("the saved plan tfplan", zipText(w.t, filepath.Join(w.dir, "tfplan")))
	f.check("the saved plan tfplan2", zipText(w.t, filepath.Join(w.dir, "tfplan2")))
	f.check("show -json of the plan", w.mustRun(0, "show", "-json", "tfplan2"))
	f.check("show -json of the state", w.mustRun(0, "show", "-json"))
	for _, step := range tracedSteps {
		text := w.read(step.log)
		for _, m := range markers {
			if !strings.Contains(text, m) {
				w.t.Errorf("%s does not look like a trace log of this run (%d bytes, no %q)", step.log, len(text), m)
			}
		}
		f.check(step.log, text)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "terraform.tfstate.backup")); err == nil {
		f.check("terraform.tfstate.backup", w.read("terraform.tfstate.backup"))
	}
}
