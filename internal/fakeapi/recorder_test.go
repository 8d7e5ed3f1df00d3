package fakeapi

import (
	"net/http"
	"testing"
)

func TestRecorder(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	e.do("GET", "/v1/convai/agents/"+id, "")
	e.do("PATCH", "/v1/convai/agents/"+id, `{"name":"b"}`, "X-Custom", "yes")
	e.do("GET", "/v1/convai/agents/"+id, "", "xi-api-key", "") // 401 still counts
	e.do("GET", "/v1/convai/agents?page_size=2", "")           // list
	e.do("GET", "/v1/nowhere?q=1", "")                         // unknown: logged, not counted
	e.do("PUT", "/v1/convai/agents/"+id, "")                   // 405: logged, not counted
	e.do("GET", "/_fake/agents/"+id, "")                       // admin: neither
	wantConnected(t, e.start(t, id, "", ""))                   // conversation start counts

	want := map[string]int{
		"GET " + RouteAgent:        2,
		"PATCH " + RouteAgent:      1,
		"GET " + RouteAgents:       1,
		"GET " + RouteConversation: 1,
	}
	if got := e.s.Counts(); mustJSON(t, got) != mustJSON(t, want) {
		t.Fatalf("Counts = %v, want %v", got, want)
	}
	if e.s.Count("GET", RouteAgent) != 2 || e.s.Count("DELETE", RouteAgent) != 0 {
		t.Fatal("Count disagrees with Counts")
	}

	reqs := e.s.Requests()
	if len(reqs) != 7 {
		t.Fatalf("logged %d requests, want 7", len(reqs))
	}
	p := reqs[1]
	if p.Method != "PATCH" || p.Path != "/v1/convai/agents/"+id || string(p.Body) != `{"name":"b"}` ||
		p.Status != 200 || p.Route != RouteAgent || p.Header.Get("X-Custom") != "yes" || p.Header.Get("xi-api-key") != DefaultAPIKey || p.RequestID == "" {
		t.Fatalf("PATCH record = %+v", p)
	}
	if r := reqs[2]; r.Status != http.StatusUnauthorized || r.Header.Get("xi-api-key") != "" {
		t.Fatalf("401 record = %+v", r)
	}
	if r := reqs[3]; r.RawQuery != "page_size=2" || r.Route != RouteAgents {
		t.Fatalf("list record = %+v", r)
	}
	if r := reqs[4]; r.Route != "" || r.Status != 404 || r.RawQuery != "q=1" {
		t.Fatalf("unknown route record = %+v", r)
	}
	if r := reqs[5]; r.Route != RouteAgent || r.Status != 405 {
		t.Fatalf("405 record = %+v", r)
	}
	if r := reqs[6]; r.Route != RouteConversation || r.Header.Get("Origin") != "" {
		t.Fatalf("conversation record = %+v", r)
	}

	// Requests returns copies.
	reqs[1].Header.Set("X-Custom", "changed")
	reqs[1].Body[0] = 'X'
	if again := e.s.Requests()[1]; again.Header.Get("X-Custom") != "yes" || again.Body[0] != '{' {
		t.Fatal("Requests exposes the log's own header or body")
	}

	e.s.ResetCounters()
	if len(e.s.Counts()) != 0 || e.s.Count("GET", RouteAgent) != 0 {
		t.Fatal("ResetCounters left counts")
	}
	if len(e.s.Requests()) != 7 {
		t.Fatal("ResetCounters emptied the log")
	}
	e.s.ResetRequests()
	if len(e.s.Requests()) != 0 {
		t.Fatal("ResetRequests left entries")
	}
}
