package provider

import (
	"encoding/pem"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAccCLI_httpsProxyAndCABundle runs the CLI as behind a corporate proxy
// that inspects TLS: HTTPS_PROXY with credentials and a private CA in
// SSL_CERT_FILE. The fake is served over TLS with a certificate for
// example.com, reached only through the proxy. Apply and plan work; a wrong
// proxy password and a missing CA bundle fail clearly; the proxy password
// appears in no output or log.
func TestAccCLI_httpsProxyAndCABundle(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	api := httptest.NewUnstartedServer(e.fake)
	api.Config.ErrorLog = log.New(io.Discard, "", 0) // the no-CA run fails its handshakes on purpose
	api.StartTLS()                                   // its certificate names example.com
	defer api.Close()
	const user, pass = "ci-runner", "pr0xy-Passw0rd-91f3"
	proxy := newConnectProxy(t, api.Listener.Addr().String(), user, pass)
	ca := filepath.Join(t.TempDir(), "corp-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: api.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	withCreds := strings.Replace(proxy.url, "http://", "http://"+user+":"+pass+"@", 1)
	id := e.agent("behind proxy")
	// No retries: the failures below are final, and the test stays fast.
	w.write("provider \"elevenlabs\" {\n  max_retries = 0\n}\n" + signedModeResource(id))
	f := &secretFinder{t: t, secrets: map[string]string{pass: "proxy password", testAPIKey: "API key"}}

	run := func(name string, want int, env []string, args ...string) string {
		t.Helper()
		logPath := filepath.Join(w.dir, name+".log")
		out, code := w.run(append([]string{EnvBaseURL + "=https://example.com", "TF_LOG=trace", "TF_LOG_PATH=" + logPath}, env...), args...)
		if code != want {
			t.Errorf("%s: exit %d, want %d:\n%s", name, code, want, out)
		}
		f.check(name+": output", out)
		f.check(name+": trace log", w.read(name+".log"))
		return flatOut(out)
	}

	// No CA bundle: the TLS certificate is not trusted, and nothing is applied.
	out := run("no-ca", 1, []string{"HTTPS_PROXY=" + withCreds}, "apply", "-auto-approve")
	if !strings.Contains(out, "certificate signed by unknown authority") {
		t.Errorf("without SSL_CERT_FILE: want an unknown-authority error:\n%s", out)
	}
	// A wrong proxy password: the proxy refuses, the message says so.
	wrong := strings.Replace(withCreds, pass, "not-the-password", 1)
	out = run("wrong-password", 1, []string{"HTTPS_PROXY=" + wrong, "SSL_CERT_FILE=" + ca}, "apply", "-auto-approve")
	if !strings.Contains(out, "Proxy Authentication Required") {
		t.Errorf("with a wrong proxy password: want Proxy Authentication Required:\n%s", out)
	}
	if err := e.checkFakeAuth(id, false, nil, false)(nil); err != nil {
		t.Error(err)
	}
	// Proxy and CA bundle: apply and plan work through the tunnel.
	env := []string{"HTTPS_PROXY=" + withCreds, "SSL_CERT_FILE=" + ca}
	run("apply", 0, env, "apply", "-auto-approve")
	run("plan", 0, env, "plan", "-detailed-exitcode")
	if err := e.checkFakeAuth(id, true, nil, false)(nil); err != nil {
		t.Error(err)
	}
	connects, refused := proxy.counts()
	if len(connects) == 0 || refused == 0 {
		t.Errorf("proxy saw %d CONNECTs and refused %d: the CLI did not go through it", len(connects), refused)
	}
	for _, c := range connects {
		if c != "example.com:443" {
			t.Errorf("CONNECT to %q, want example.com:443", c)
		}
	}
	t.Logf("proxy: %d tunnels, %d refused", len(connects), refused)
}
