package fakeapi

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestAuthErrors(t *testing.T) {
	e := newEnv(t, withKey("read-only", ScopeRead), withKey("write-only", ScopeWrite))
	id := e.s.CreateAgent("a")
	type ep struct{ method, path, body, scope string }
	eps := []ep{
		{"GET", "/v1/convai/agents/" + id, "", ScopeRead},
		{"GET", "/v1/convai/agents", "", ScopeRead},
		{"GET", "/v1/convai/conversation/get-signed-url?agent_id=" + id, "", ScopeRead},
		{"GET", "/v1/convai/conversation/get_signed_url?agent_id=" + id, "", ScopeRead},
		{"PATCH", "/v1/convai/agents/" + id, `{}`, ScopeWrite},
		{"POST", "/v1/convai/agents/create", `{"conversation_config":{}}`, ScopeWrite},
		{"DELETE", "/v1/convai/agents/" + id, "", ScopeWrite},
	}
	for _, p := range eps {
		t.Run(p.method+" "+p.path, func(t *testing.T) {
			e.do(p.method, p.path, p.body, "xi-api-key", "").wantAppError(t, 401, CodeNeedsAuthorization)
			e.do(p.method, p.path, p.body, "xi-api-key", "nope").wantAppError(t, 401, CodeInvalidAPIKey)
			lacking := "read-only"
			if p.scope == ScopeRead {
				lacking = "write-only"
			}
			d := e.do(p.method, p.path, p.body, "xi-api-key", lacking).wantAppError(t, 401, CodeMissingPermissions)
			if want := "The API key you used is missing the permission " + p.scope + " to execute this operation."; d["message"] != want {
				t.Errorf("message = %q, want %q", d["message"], want)
			}
		})
	}
	// The scoped keys do work for their own scope, and the agent survived.
	e.do("GET", "/v1/convai/agents/"+id, "", "xi-api-key", "read-only").wantStatus(t, 200)
	e.do("PATCH", "/v1/convai/agents/"+id, `{}`, "xi-api-key", "write-only").wantStatus(t, 200)
}

func TestWithAPIKeyReplacesDefault(t *testing.T) {
	e := newEnv(t, WithAPIKey("sk_custom"))
	id := e.s.CreateAgent("a")
	e.do("GET", "/v1/convai/agents/"+id, "", "xi-api-key", "sk_custom").wantStatus(t, 200)
	e.do("PATCH", "/v1/convai/agents/"+id, `{}`, "xi-api-key", "sk_custom").wantStatus(t, 200)
	e.do("GET", "/v1/convai/agents/"+id, "").wantAppError(t, 401, CodeInvalidAPIKey)
}

func TestUnknownRouteAndMethod(t *testing.T) {
	e := newEnv(t)
	for _, p := range []string{"/v1/nope", "/v1/convai/agents/", "/v1/convai/agents/a/b", "/", "/v2/convai/agents", "/v1/convai//agents", "/v1/convai/agents/../agents"} {
		r := e.do("GET", p, "", "xi-api-key", "")
		r.wantStatus(t, 404)
		if string(r.body) != `{"detail":"Not Found"}` {
			t.Errorf("GET %s body = %s", p, r.body)
		}
	}
	for _, c := range []struct{ method, path, allow string }{
		{"PUT", "/v1/convai/agents/x", "GET, PATCH, DELETE"},
		{"HEAD", "/v1/convai/agents/x", "GET, PATCH, DELETE"},
		{"PUT", "/v1/convai/agents/create", "POST"},
		{"POST", "/v1/convai/agents", "GET"},
		{"DELETE", "/v1/convai/conversation/get-signed-url", "GET"},
		{"POST", "/v1/convai/conversation", "GET"},
	} {
		r := e.do(c.method, c.path, "")
		r.wantStatus(t, 405)
		if c.method != "HEAD" && string(r.body) != `{"detail":"Method Not Allowed"}` {
			t.Errorf("%s %s body = %s", c.method, c.path, r.body)
		}
		if got := r.header.Get("Allow"); got != c.allow {
			t.Errorf("%s %s Allow = %q, want %q", c.method, c.path, got, c.allow)
		}
	}
}

func TestAgentNotFound(t *testing.T) {
	e := newEnv(t)
	const id = "agent_doesnotexist000000000000000"
	e.do("GET", "/v1/convai/agents/"+id, "").wantAppError(t, 404, CodeAgentNotFound)
	e.do("PATCH", "/v1/convai/agents/"+id, `{"name":"x"}`).wantAppError(t, 404, CodeAgentNotFound)
	e.do("DELETE", "/v1/convai/agents/"+id, "").wantAppError(t, 404, CodeAgentNotFound)
	e.do("GET", "/v1/convai/conversation/get-signed-url?agent_id="+id, "").wantAppError(t, 404, CodeAgentNotFound)
	e.do("GET", "/v1/convai/conversation?agent_id="+id, "").wantAppError(t, 404, CodeAgentNotFound)
	// GET on the create path is a lookup of an agent called "create".
	e.do("GET", "/v1/convai/agents/create", "").wantAppError(t, 404, CodeAgentNotFound)
}

func TestRequestIDOnEveryResponse(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	seen := map[string]bool{}
	for _, r := range []resp{
		e.do("GET", "/v1/convai/agents/"+id, ""),
		e.do("GET", "/v1/convai/agents/"+id, "", "xi-api-key", ""),
		e.do("GET", "/nowhere", ""),
		e.do("PUT", "/v1/convai/agents/"+id, ""),
		e.do("PATCH", "/v1/convai/agents/"+id, "nope"),
		e.do("DELETE", "/v1/convai/agents/"+id, ""),
		e.do("GET", "/_fake/counters", ""),
	} {
		rid := r.header.Get("request-id")
		if rid == "" || seen[rid] {
			t.Fatalf("request-id %q missing or repeated (status %d)", rid, r.status)
		}
		seen[rid] = true
	}
}

func TestLatency(t *testing.T) {
	e := newEnv(t, WithLatency(60*time.Millisecond))
	id := e.s.CreateAgent("a")
	start := time.Now()
	e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("request took %v, want >= 60ms", d)
	}
	e.s.SetLatency(0)
	if e.s.Latency() != 0 {
		t.Fatal("SetLatency(0) did not turn latency off")
	}
	start = time.Now()
	e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200)
	if d := time.Since(start); d >= 60*time.Millisecond {
		t.Fatalf("request took %v after SetLatency(0)", d)
	}
}

func TestConcurrentPatchAndGet(t *testing.T) {
	e := newEnv(t)
	ids := []string{e.s.CreateAgent("a"), e.s.CreateAgent("b")}
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := ids[i%2]
			var req *http.Request
			if i%2 == 0 {
				body := fmt.Sprintf(`{"platform_settings":{"auth":{"allowlist":[{"hostname":"h%d.example.com"}]}}}`, i)
				req, _ = http.NewRequest("PATCH", e.ts.URL+"/v1/convai/agents/"+id, stringsReader(body))
			} else {
				req, _ = http.NewRequest("GET", e.ts.URL+"/v1/convai/agents/"+id, nil)
			}
			req.Header.Set("xi-api-key", DefaultAPIKey)
			res, err := e.ts.Client().Do(req)
			if err != nil {
				errs <- err
				return
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				errs <- fmt.Errorf("%s: status %d", req.Method, res.StatusCode)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := e.s.Count("PATCH", RouteAgent) + e.s.Count("GET", RouteAgent); got != n {
		t.Fatalf("counted %d requests, want %d", got, n)
	}
	if got := len(e.s.Requests()); got != n {
		t.Fatalf("logged %d requests, want %d", got, n)
	}
	a, _ := e.s.Agent(ids[0])
	list, _ := getPath(a, "platform_settings", "auth", "allowlist")
	if l, ok := list.([]any); !ok || len(l) != 1 {
		t.Fatalf("allowlist after the storm = %v, want one entry", list)
	}
}
