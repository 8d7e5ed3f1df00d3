package fakeapi

import (
	"net/http"
	"testing"
)

func TestAdminAgents(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/_fake/agents", `{"name":"from admin","tags":["x"],"archived":true,"auth":{"enable_auth":true}}`, "xi-api-key", "").wantStatus(t, 200)
	id, _ := r.json(t)["agent_id"].(string)
	if !agentIDRe.MatchString(id) {
		t.Fatalf("admin create = %s", r.body)
	}
	a := e.do("GET", "/_fake/agents/"+id, "", "xi-api-key", "").wantStatus(t, 200).json(t)
	if a["name"] != "from admin" || mustJSON(t, a["tags"]) != `["x"]` {
		t.Fatalf("admin get = %v", a)
	}
	if v, _ := getPath(a, "platform_settings", "auth", "enable_auth"); v != true {
		t.Errorf("created auth = %v", a["platform_settings"])
	}
	if ids, _ := e.listAll(t, "archived=true&search=from+admin"); len(ids) != 1 || ids[0] != id {
		t.Errorf("admin create archived: listed %v", ids)
	}
	// PUT auth plants anything, without validation, and answers the agent.
	got := e.do("PUT", "/_fake/agents/"+id+"/auth", `{"enable_auth":true,"allowlist":[{"hostname":"HTTPS://Bad/"}]}`, "xi-api-key", "").wantStatus(t, 200).json(t)
	if got["agent_id"] != id {
		t.Fatalf("PUT auth answered %v", got)
	}
	got = e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200).json(t)
	if auth, _ := getPath(got, "platform_settings", "auth"); mustJSON(t, auth) != `{"allowlist":[{"hostname":"HTTPS://Bad/"}],"enable_auth":true}` {
		t.Fatalf("auth via API = %s", mustJSON(t, auth))
	}
	e.do("PUT", "/_fake/agents/"+id+"/auth", `null`).wantStatus(t, 200)
	if a, _ := e.s.Agent(id); a["platform_settings"].(map[string]any)["auth"] != nil {
		t.Fatal("PUT auth null kept auth")
	}
	e.do("PUT", "/_fake/agents/agent_nope/auth", `{}`).wantStatus(t, 404)
	e.do("PUT", "/_fake/agents/"+id+"/auth", `{"enable_auth":`).wantStatus(t, 400)
	e.do("GET", "/_fake/agents/agent_nope", "").wantStatus(t, 404)
	e.do("POST", "/_fake/agents", `not json`).wantStatus(t, 400)
	// The {id} segment is unescaped, as the API's {agent_id} is.
	e.s.PutAgent("agent a/b", map[string]any{"agent_id": "agent a/b", "name": "escaped"})
	if a := e.do("GET", "/_fake/agents/agent%20a%2Fb", "").wantStatus(t, 200).json(t); a["name"] != "escaped" {
		t.Errorf("escaped id: %v", a)
	}
	// Admin requests are neither logged nor counted.
	if n := len(e.s.Requests()); n != 2 {
		t.Fatalf("logged %d requests, want only the 2 API GETs", n)
	}
	if len(e.s.Counts()) != 2 {
		t.Fatalf("counters = %v, want only the 2 API GETs", e.s.Counts())
	}
}

func TestAdminCountersAndFaults(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	e.do("GET", "/v1/convai/agents/"+id, "")
	c := e.do("GET", "/_fake/counters", "").wantStatus(t, 200).json(t)
	if mustJSON(t, c) != `{"GET /v1/convai/agents/{agent_id}":1}` {
		t.Fatalf("counters = %v", c)
	}
	f := e.do("POST", "/_fake/faults", `{"method":"GET","path":"/v1/convai/agents/{agent_id}","status":502,"count":1}`).wantStatus(t, 200).json(t)
	if f["status"] != float64(502) || f["count"] != float64(1) {
		t.Fatalf("POST faults answered %v", f)
	}
	e.do("GET", "/v1/convai/agents/"+id, "").wantAppError(t, 502, "bad_gateway")
	e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200)
	e.do("POST", "/_fake/faults", `{"status":`).wantStatus(t, 400)
}

// TestAdminRoutesAnswerTheirMethodOnly: every admin route answers its own
// method, refuses every other with a JSON 405 naming it in Allow, and any
// other path under /_fake (the routes nothing used, removed, among them) is a
// JSON 404.
func TestAdminRoutesAnswerTheirMethodOnly(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	routes := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/_fake/agents", `{"name":"b"}`, 200},
		{"GET", "/_fake/agents/" + id, "", 200},
		{"PUT", "/_fake/agents/" + id + "/auth", `{}`, 200},
		{"POST", "/_fake/faults", `{"status":500,"count":0}`, 200},
		{"GET", "/_fake/counters", "", 200},
		{"GET", "/_fake/concurrency", "", 200},
	}
	methods := []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "FOO"}
	for _, rt := range routes {
		allow := rt.method
		if rt.method == "GET" {
			allow = "GET, HEAD"
		}
		for _, m := range methods {
			if m == rt.method {
				e.do(m, rt.path, rt.body).wantStatus(t, rt.want)
				continue
			}
			r := e.do(m, rt.path, rt.body)
			if m == "HEAD" && rt.method == "GET" {
				r.wantStatus(t, 200) // net/http serves HEAD with the GET handler
				continue
			}
			r.wantStatus(t, http.StatusMethodNotAllowed)
			if got := r.header.Get("Allow"); got != allow {
				t.Errorf("%s %s: Allow = %q, want %q", m, rt.path, got, allow)
			}
			if m != "HEAD" && string(r.body) != `{"error":"use `+allow+`"}` {
				t.Errorf("%s %s: body = %s", m, rt.path, r.body)
			}
		}
	}
	for _, p := range []string{"/_fake", "/_fake/", "/_fake/nope", "/_fake/agents/", "/_fake/agents/" + id + "/x",
		"/_fake/requests", "/_fake/seed-agents", "/_fake/clock", "/_fake/webrtc/join"} {
		for _, m := range []string{"GET", "POST"} {
			r := e.do(m, p, "")
			r.wantStatus(t, http.StatusNotFound)
			if string(r.body) != `{"error":"no such admin endpoint"}` {
				t.Errorf("%s %s: body = %s", m, p, r.body)
			}
		}
	}
}
