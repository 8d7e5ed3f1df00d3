package elevenlabs

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestProxyEnvironmentIsHonoured checks the client's transport against
// HTTPS_PROXY and NO_PROXY. Go reads these variables once per process, so the
// probe runs in a child process with its own environment. The probe asks the
// transport the client really uses (as given to Config.Transport) which proxy
// each URL goes through; loopback hosts are never proxied, which is why the
// tunnel itself is tested through the CLI (provider package,
// TestAccCLI_httpsProxyAndCABundle) with a public name served via the proxy.
func TestProxyEnvironmentIsHonoured(t *testing.T) {
	if os.Getenv("ELEVENLABS_PROXY_PROBE") == "1" {
		proxyProbe()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestProxyEnvironmentIsHonoured$")
	cmd.Env = append(os.Environ(),
		"ELEVENLABS_PROXY_PROBE=1",
		"HTTPS_PROXY=http://user:pass@proxy.corp.example:3128",
		"HTTP_PROXY=", "http_proxy=", "https_proxy=",
		"NO_PROXY=.internal.example,api.eu.residency.elevenlabs.io", "no_proxy=",
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("probe: %v\n%s", err, out)
	}
	for _, want := range []string{
		"https://api.elevenlabs.io -> proxy.corp.example:3128 (credentials sent to the proxy: true)",
		"https://api.eu.residency.elevenlabs.io -> direct",
		"https://fake.internal.example -> direct",
		"https://127.0.0.1:8443 -> direct",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("probe output lacks %q:\n%s", want, out)
		}
	}
}

// proxyProbe prints the proxy the client's transport picks for some URLs.
func proxyProbe() {
	var used http.RoundTripper
	if _, err := New(Config{Transport: func(next http.RoundTripper) http.RoundTripper { used = next; return next }}); err != nil {
		fmt.Println("New:", err)
		os.Exit(1)
	}
	tr, ok := used.(*http.Transport)
	if !ok || tr.Proxy == nil {
		fmt.Printf("the client's transport %T has no Proxy function\n", used)
		os.Exit(1)
	}
	for _, u := range []string{"https://api.elevenlabs.io", "https://api.eu.residency.elevenlabs.io", "https://fake.internal.example", "https://127.0.0.1:8443"} {
		req, _ := http.NewRequest(http.MethodGet, u+"/v1/convai/agents", nil)
		p, err := tr.Proxy(req)
		switch {
		case err != nil:
			fmt.Println(u, "-> error", err)
		case p == nil:
			fmt.Println(u, "-> direct")
		default:
			_, hasPass := p.User.Password()
			fmt.Printf("%s -> %s (credentials sent to the proxy: %v)\n", u, p.Host, hasPass)
		}
	}
}
