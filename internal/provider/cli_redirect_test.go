package provider

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccCLI_redirectsFailApplyAndDestroy makes the API answer redirects to a
// second loopback server: apply, refresh and destroy each fail with the
// redirect named (scheme and host only) and what to check, the second server
// receives nothing, and no change is reported as done.
func TestAccCLI_redirectsFailApplyAndDestroy(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"agent_id":"x","platform_settings":{"auth":{"enable_auth":true,"allowlist":[]}}}`))
	}))
	defer other.Close()
	id := e.agent("redirected")
	w.write(signedModeResource(id))
	location := other.URL + "/v1/convai/agents/" + id + "?conversation_signature=sig_in_location"

	wantAll := func(what, out string, want ...string) {
		t.Helper()
		flat := flatOut(out)
		for _, s := range want {
			if !strings.Contains(flat, s) {
				t.Errorf("%s: output does not contain %q:\n%s", what, s, out)
			}
		}
		for _, s := range []string{"sig_in_location", testAPIKey, "Apply complete", "Destroy complete"} {
			if strings.Contains(out, s) {
				t.Errorf("%s: output contains %q:\n%s", what, s, out)
			}
		}
	}

	// Create: a 307 answer to the PATCH.
	e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 307, Location: location})
	out, code := w.run(nil, "apply", "-auto-approve")
	if code == 0 {
		t.Errorf("apply with a redirected PATCH exited 0")
	}
	wantAll("apply", out, "PATCH /v1/convai/agents/"+id+" answered 307 Temporary Redirect, a redirect to "+other.URL+".",
		"follows no redirects", "Check base_url (or ELEVENLABS_BASE_URL) and residency")
	if err := e.checkFakeAuth(id, false, nil, false)(nil); err != nil {
		t.Error(err)
	}

	// A real apply, then a refresh whose GET is redirected (301).
	e.fake.ClearFaults()
	w.mustRun(0, "apply", "-auto-approve")
	e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteAgent, Status: 301, Location: location})
	out, code = w.run(nil, "plan")
	if code == 0 {
		t.Errorf("plan with a redirected GET exited 0")
	}
	wantAll("plan", out, "GET /v1/convai/agents/"+id+" answered 301 Moved Permanently, a redirect to "+other.URL+".")

	// Destroy: the refresh is fine, the reset PATCH answers 302 (which net/http
	// would follow as a GET, reporting the reset as done).
	e.fake.ClearFaults()
	e.fake.InjectFault(fakeapi.Fault{Method: "PATCH", Path: fakeapi.RouteAgent, Status: 302, Location: location})
	out, code = w.run(nil, "destroy", "-auto-approve")
	if code == 0 {
		t.Errorf("destroy with a redirected PATCH exited 0")
	}
	wantAll("destroy", out, "PATCH /v1/convai/agents/"+id+" answered 302 Found, a redirect to "+other.URL+".")
	if err := e.checkFakeAuth(id, true, nil, false)(nil); err != nil {
		t.Error(err)
	}
	if !strings.Contains(w.read("terraform.tfstate"), id) {
		t.Error("the failed destroy removed the resource from the state")
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
}
