package fakeapi

import (
	"testing"
	"time"
)

func TestAdminAgents(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/_fake/agents", `{"name":"from admin"}`, "xi-api-key", "").wantStatus(t, 200)
	id, _ := r.json(t)["agent_id"].(string)
	if !agentIDRe.MatchString(id) {
		t.Fatalf("admin create = %s", r.body)
	}
	a := e.do("GET", "/_fake/agents/"+id, "", "xi-api-key", "").wantStatus(t, 200).json(t)
	if a["name"] != "from admin" {
		t.Fatalf("admin get = %v", a)
	}
	// PUT auth plants anything, without validation.
	e.do("PUT", "/_fake/agents/"+id+"/auth", `{"enable_auth":true,"allowlist":[{"hostname":"HTTPS://Bad/"}]}`, "xi-api-key", "").wantStatus(t, 200)
	got := e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200).json(t)
	if auth, _ := getPath(got, "platform_settings", "auth"); mustJSON(t, auth) != `{"allowlist":[{"hostname":"HTTPS://Bad/"}],"enable_auth":true}` {
		t.Fatalf("auth via API = %s", mustJSON(t, auth))
	}
	e.do("PUT", "/_fake/agents/"+id+"/auth", `null`).wantStatus(t, 200)
	if a, _ := e.s.Agent(id); a["platform_settings"].(map[string]any)["auth"] != nil {
		t.Fatal("PUT auth null kept auth")
	}
	e.do("PUT", "/_fake/agents/agent_nope/auth", `{}`).wantStatus(t, 404)
	e.do("PUT", "/_fake/agents/planted", `{"agent_id":"planted","name":"p"}`).wantStatus(t, 204)
	e.do("GET", "/v1/convai/agents/planted", "").wantStatus(t, 200)
	e.do("DELETE", "/_fake/agents/"+id, "").wantStatus(t, 204)
	e.do("DELETE", "/_fake/agents/"+id, "").wantStatus(t, 404)
	e.do("GET", "/_fake/agents/"+id, "").wantStatus(t, 404)
	e.do("PATCH", "/_fake/agents/"+id, "").wantStatus(t, 405)
	e.do("GET", "/_fake/nope", "").wantStatus(t, 404)
	e.do("POST", "/_fake/agents", `not json`).wantStatus(t, 400)
	// Admin requests are neither logged nor counted.
	if n := len(e.s.Requests()); n != 2 {
		t.Fatalf("logged %d requests, want only the 2 API GETs", n)
	}
}

func TestAdminCountersClockLatencyFaults(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	e.do("GET", "/v1/convai/agents/"+id, "")
	c := e.do("GET", "/_fake/counters", "").wantStatus(t, 200).json(t)
	if mustJSON(t, c) != `{"GET /v1/convai/agents/{agent_id}":1}` {
		t.Fatalf("counters = %v", c)
	}
	e.do("POST", "/_fake/counters/reset", "").wantStatus(t, 204)
	if len(e.s.Counts()) != 0 {
		t.Fatal("counters not reset")
	}
	var log []map[string]any
	r := e.do("GET", "/_fake/requests", "").wantStatus(t, 200)
	if err := jsonUnmarshal(r.body, &log); err != nil || len(log) != 1 || log[0]["route"] != RouteAgent || log[0]["status"] != float64(200) {
		t.Fatalf("requests = %s", r.body)
	}
	e.do("DELETE", "/_fake/requests", "").wantStatus(t, 204)

	// Clock: a signed URL expires after advancing 20m.
	e.s.SetAuth(id, map[string]any{"enable_auth": true})
	u := e.signedURL(t, RouteSignedURL, id, "")
	r = e.do("POST", "/_fake/clock/advance?d=20m", "").wantStatus(t, 200)
	if r.json(t)["unix"] != float64(t0.Add(20*time.Minute).Unix()) {
		t.Fatalf("clock = %s", r.body)
	}
	wantRefused(t, e.startURL(t, u, ""), ReasonSignatureExpired)
	e.do("POST", "/_fake/clock/advance?d=soon", "").wantStatus(t, 400)

	e.do("POST", "/_fake/latency?d=40ms", "").wantStatus(t, 200)
	if e.s.Latency() != 40*time.Millisecond {
		t.Fatalf("latency = %v", e.s.Latency())
	}
	e.do("POST", "/_fake/latency?d=0s", "").wantStatus(t, 200)
	e.do("POST", "/_fake/latency", "").wantStatus(t, 400)

	e.do("POST", "/_fake/fail-every?n=2&status=429&code=rate_limit_exceeded&retry_after=3", "").wantStatus(t, 200)
	e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200)
	r = e.do("GET", "/v1/convai/agents/"+id, "")
	r.wantAppError(t, 429, "rate_limit_exceeded")
	if r.header.Get("Retry-After") != "3" {
		t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	e.do("POST", "/_fake/fail-every?n=0", "").wantStatus(t, 200)
	e.do("POST", "/_fake/fail-every?n=x", "").wantStatus(t, 400)

	e.do("POST", "/_fake/faults", `{"method":"GET","path":"/v1/convai/agents/{agent_id}","status":502,"count":1}`).wantStatus(t, 200)
	e.do("GET", "/v1/convai/agents/"+id, "").wantAppError(t, 502, "bad_gateway")
	e.do("POST", "/_fake/faults", `{"status":500}`).wantStatus(t, 200)
	e.do("DELETE", "/_fake/faults", "").wantStatus(t, 204)
	e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200)
}
