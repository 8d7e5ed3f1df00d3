package fakeapi

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestFault429ThenNormal(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	path := "/v1/convai/agents/" + id
	e.s.InjectFault(Fault{Method: "GET", Path: RouteAgent, Status: 429, Code: "too_many_concurrent_requests", RetryAfter: "1", Count: 2})
	for range 2 {
		r := e.do("GET", path, "")
		r.wantAppError(t, 429, "too_many_concurrent_requests")
		if r.header.Get("Retry-After") != "1" {
			t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
		}
	}
	e.do("GET", path, "").wantStatus(t, 200)
	if got := e.s.Count("GET", RouteAgent); got != 3 {
		t.Fatalf("counted %d, want 3 (faults count)", got)
	}

	// Without Retry-After, and with the default code for the status.
	e.s.InjectFault(Fault{Status: 429, Count: 1})
	r := e.do("GET", path, "")
	r.wantAppError(t, 429, "too_many_concurrent_requests")
	if _, ok := r.header["Retry-After"]; ok {
		t.Fatalf("Retry-After sent: %q", r.header.Get("Retry-After"))
	}
	e.do("GET", path, "").wantStatus(t, 200)

	// An HTTP date passes through as given.
	const date = "Wed, 21 Oct 2026 07:28:00 GMT"
	e.s.InjectFault(Fault{Status: 503, Code: "system_busy", RetryAfter: date, Count: 1})
	r = e.do("GET", path, "")
	r.wantAppError(t, 503, "system_busy")
	if r.header.Get("Retry-After") != date {
		t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
	}
}

func TestFaultMatching(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	path := "/v1/convai/agents/" + id
	e.s.InjectFault(Fault{Method: "PATCH", Path: RouteAgent, Status: 502, Count: 1})
	e.do("GET", path, "").wantStatus(t, 200)
	e.do("GET", "/v1/convai/agents", "").wantStatus(t, 200)
	e.do("PATCH", path, `{}`).wantAppError(t, 502, "bad_gateway")
	e.do("PATCH", path, `{}`).wantStatus(t, 200)

	// Faults come before auth: a keyless request still gets the fault.
	e.s.InjectFault(Fault{Path: RouteAgents, Status: 500, Count: 1})
	e.do("GET", "/v1/convai/agents", "", "xi-api-key", "").wantAppError(t, 500, "internal_server_error")
	// An exact request path matches too.
	e.s.InjectFault(Fault{Path: path, Status: 503, Count: 1})
	e.do("DELETE", path, "").wantAppError(t, 503, "service_unavailable")

	// Count 0 hits until ClearFaults; conversation start and admin are spared.
	e.s.InjectFault(Fault{Status: 500})
	for range 3 {
		e.do("GET", path, "").wantStatus(t, 500)
	}
	wantConnected(t, e.start(t, id, "", ""))
	e.do("GET", "/_fake/agents/"+id, "").wantStatus(t, 200)
	e.s.ClearFaults()
	e.do("GET", path, "").wantStatus(t, 200)
}

func TestFailEvery(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	path := "/v1/convai/agents/" + id
	e.s.SetFailEvery(3, 503, "system_busy", "2")
	var got []int
	for range 7 {
		r := e.do("GET", path, "")
		got = append(got, r.status)
		if r.status == 503 {
			r.wantAppError(t, 503, "system_busy")
			if r.header.Get("Retry-After") != "2" {
				t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
			}
		}
	}
	if want := []int{200, 200, 503, 200, 200, 503, 200}; !equalInts(got, want) {
		t.Fatalf("statuses = %v, want %v", got, want)
	}
	// Conversation start is not an API request for fail-every.
	e.s.SetFailEvery(1, 429, "", "")
	wantConnected(t, e.start(t, id, "", ""))
	e.do("GET", path, "").wantAppError(t, 429, "too_many_concurrent_requests")
	e.s.SetFailEvery(0, 0, "", "")
	e.do("GET", path, "").wantStatus(t, 200)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFaultResetConnection(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	e.s.InjectFault(Fault{Method: "GET", Path: RouteAgent, Reset: true, Count: 1})
	req, _ := http.NewRequest("GET", e.ts.URL+"/v1/convai/agents/"+id, nil)
	req.Header.Set("xi-api-key", DefaultAPIKey)
	res, err := e.ts.Client().Do(req)
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if err == nil {
		t.Fatal("a reset connection gave the client no error")
	}
	reqs := e.s.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 0 || !last.Injected {
		t.Fatalf("recorded %+v, want status 0 and injected", last)
	}
	e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200)
}

func TestFaultEchoRequest(t *testing.T) {
	const key = "sk_secret_0123456789"
	e := newEnv(t, WithAPIKey(key))
	id := e.s.CreateAgent("a")
	e.s.InjectFault(Fault{Status: 500, EchoRequest: true, Count: 1})
	r := e.do("PATCH", "/v1/convai/agents/"+id+"?x=1", `{"name":"secret body"}`, "xi-api-key", key)
	d := r.wantAppError(t, 500, "internal_server_error")
	echo, ok := d["echo"].(map[string]any)
	if !ok {
		t.Fatalf("no echo: %s", r.body)
	}
	if echo["method"] != "PATCH" || echo["url"] != "/v1/convai/agents/"+id+"?x=1" || echo["body"] != `{"name":"secret body"}` {
		t.Errorf("echo = %v", echo)
	}
	if h, _ := echo["headers"].(map[string]any); mustJSON(t, h["Xi-Api-Key"]) != `["`+key+`"]` {
		t.Errorf("echo headers = %v", h)
	}
	if msg := d["message"].(string); !strings.Contains(msg, "xi-api-key: "+key) || !strings.Contains(msg, "secret body") {
		t.Errorf("message does not echo the key and body: %q", msg)
	}
}

func TestFaultRedirect(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	path := "/v1/convai/agents/" + id
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(`{}`))
		req.Header.Set("xi-api-key", DefaultAPIKey)
		r, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = r.Body.Close()
		return r.StatusCode, r.Header.Get("Location")
	}
	e.s.InjectFault(Fault{Method: "PATCH", Path: RouteAgent, Status: 307, Location: "http://elsewhere.example:8080/x", Count: 1})
	e.s.InjectFault(Fault{Method: "GET", Path: RouteAgent, Location: "https://other.example/y", Count: 1})
	if status, loc := send("PATCH"); status != 307 || loc != "http://elsewhere.example:8080/x" {
		t.Errorf("PATCH: %d Location %q", status, loc)
	}
	if status, loc := send("GET"); status != 302 || loc != "https://other.example/y" {
		t.Errorf("GET: %d Location %q (0 status means 302)", status, loc)
	}
	if status, _ := send("GET"); status != 200 {
		t.Errorf("after the fault: %d", status)
	}
}

func TestFaultBody(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	path := "/v1/convai/agents/" + id
	e.s.InjectFault(Fault{Method: "PATCH", Path: RouteAgent, Status: 200, Body: "null", Count: 1})
	e.s.InjectFault(Fault{Method: "GET", Path: RouteAgent, Body: `{"detail":"x"}`, Count: 1})
	r := e.do("PATCH", path, `{"platform_settings":{"auth":{"enable_auth":true}}}`)
	if r.status != 200 || string(r.body) != "null" || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("PATCH: %d %q %q", r.status, r.body, r.header.Get("Content-Type"))
	}
	if r := e.do("GET", path, ""); r.status != 500 || string(r.body) != `{"detail":"x"}` {
		t.Errorf("GET: %d %q (0 status means 500)", r.status, r.body)
	}
	// The faulted PATCH changed nothing.
	if a, _ := e.s.Agent(id); a["platform_settings"].(map[string]any)["auth"].(map[string]any)["enable_auth"] != false {
		t.Errorf("the faulted PATCH was applied: %v", a)
	}
}

// TestFaultDeleteAgent: the agent is deleted as the request arrives, which the
// fake then answers itself: an agent deleted between the list and its GET.
func TestFaultDeleteAgent(t *testing.T) {
	e := newEnv(t)
	gone, kept := e.s.CreateAgent("gone"), e.s.CreateAgent("kept")
	e.s.InjectFault(Fault{Method: "GET", Path: "/v1/convai/agents/" + gone, DeleteAgent: true})
	e.do("GET", "/v1/convai/agents/"+kept, "").wantStatus(t, 200)
	e.do("GET", "/v1/convai/agents/"+gone, "").wantAppError(t, 404, "agent_not_found")
	if _, ok := e.s.Agent(gone); ok || e.s.AgentCount() != 1 {
		t.Errorf("agent %s not deleted (%d agents)", gone, e.s.AgentCount())
	}
}
