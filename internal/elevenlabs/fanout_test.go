package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// newFakeClient starts the in-repo fake with latency and a client for it.
func newFakeClient(t *testing.T, latency time.Duration) (*fakeapi.Server, *Client) {
	t.Helper()
	fake := fakeapi.New(fakeapi.WithAPIKey(testKey), fakeapi.WithLatency(latency))
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, APIKey: testKey, MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

// TestListThenGetAgentsCountsRequests: 250 agents are ceil(250/100) = 3 list
// calls and 250 GETs, never more than DefaultFanOut at once; agents deleted
// between list and GET are left out and reported.
func TestListThenGetAgentsCountsRequests(t *testing.T) {
	fake, c := newFakeClient(t, 2*time.Millisecond)
	fake.SeedAgents(250, func(i int) fakeapi.AgentSpec { return fakeapi.AgentSpec{Name: fmt.Sprint("a", i)} })
	ctx := context.Background()
	list, err := c.ListAllAgents(ctx, ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.AgentID
	}
	fake.DeleteAgentOOB(ids[3])
	fake.DeleteAgentOOB(ids[200])
	agents, deleted, err := c.GetAgents(ctx, ids, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(deleted) != fmt.Sprint([]string{ids[3], ids[200]}) {
		t.Errorf("deleted = %v", deleted)
	}
	for i, a := range agents {
		if (a == nil) != (i == 3 || i == 200) || a != nil && a.AgentID != ids[i] {
			t.Fatalf("agents[%d] = %+v", i, a)
		}
	}
	if got := fake.Count("GET", fakeapi.RouteAgents); got != 3 {
		t.Errorf("%d list calls, want 3", got)
	}
	if got := fake.Count("GET", fakeapi.RouteAgent); got != 250 {
		t.Errorf("%d GETs, want 250", got)
	}
	if got := maxInFlight(fake.Requests(), fakeapi.RouteAgent, 2*time.Millisecond); got > DefaultFanOut {
		t.Errorf("%d GETs in flight at once, want at most %d", got, DefaultFanOut)
	}
}

// maxInFlight estimates the peak concurrency from the request log: each
// request spans [Time, Time+latency] at least (Time is when it arrived).
func maxInFlight(reqs []fakeapi.RecordedRequest, route string, latency time.Duration) int {
	peak := 0
	for _, a := range reqs {
		if a.Route != route {
			continue
		}
		n := 0
		for _, b := range reqs {
			if b.Route == route && !b.Time.After(a.Time) && b.Time.Add(latency).After(a.Time) {
				n++
			}
		}
		peak = max(peak, n)
	}
	return peak
}

// TestGetAgentsBoundsConcurrency counts requests in flight at the server.
func TestGetAgentsBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int64
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		id := strings.TrimPrefix(r.URL.Path, "/v1/convai/agents/")
		writeJSON(w, 200, `{"agent_id":"`+id+`"}`)
	}))
	ids := make([]string, 60)
	for i := range ids {
		ids[i] = fmt.Sprint("agent_", i)
	}
	for _, limit := range []int{1, 4, DefaultFanOut} {
		peak.Store(0)
		if _, _, err := c.GetAgents(context.Background(), ids, limit); err != nil {
			t.Fatal(err)
		}
		if p := peak.Load(); p > int64(limit) || limit > 1 && p < 2 {
			t.Errorf("limit %d: peak %d in flight", limit, p)
		}
	}
}

// TestGetAgentsFailureNamesTheAgent: a failure other than 404 (after the
// client's retries) is an error naming the agent, with no key in it.
func TestGetAgentsFailureNamesTheAgent(t *testing.T) {
	var gets atomic.Int64
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		id := strings.TrimPrefix(r.URL.Path, "/v1/convai/agents/")
		switch id {
		case "agent_broken":
			writeJSON(w, 500, `{"detail":{"status":"boom","message":"key `+testKey+` failed"}}`)
		case "agent_liar":
			writeJSON(w, 200, `{"agent_id":"agent_other"}`)
		default:
			writeJSON(w, 200, `{"agent_id":"`+id+`"}`)
		}
	}))
	_, _, err := c.GetAgents(context.Background(), []string{"agent_ok", "agent_broken"}, 2)
	var ae *AgentError
	if !errors.As(err, &ae) || ae.AgentID != "agent_broken" || !strings.HasPrefix(err.Error(), "agent agent_broken: ElevenLabs API: GET /v1/convai/agents/agent_broken returned 500") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), testKey) {
		t.Errorf("error leaks the key: %v", err)
	}
	if got := gets.Load(); got != 1+4 { // agent_ok once, agent_broken 1 + 3 retries
		t.Errorf("%d GETs, want 5 (retries apply)", got)
	}
	_, _, err = c.GetAgents(context.Background(), []string{"agent_liar"}, 1)
	if err == nil || !strings.Contains(err.Error(), `agent agent_liar: ElevenLabs API: GET /v1/convai/agents/agent_liar answered with agent "agent_other"`) {
		t.Errorf("err = %v", err)
	}
}

// TestGetAgentsRetries429: a 429 storm on the fan-out is retried by the
// client like any other request.
func TestGetAgentsRetries429(t *testing.T) {
	fake, c := newFakeClient(t, 0)
	ids := fake.SeedAgents(30, func(int) fakeapi.AgentSpec { return fakeapi.AgentSpec{} })
	fake.SetFailEvery(3, 429, "", "")
	agents, deleted, err := c.GetAgents(context.Background(), ids, 0)
	if err != nil || len(deleted) != 0 || len(agents) != 30 {
		t.Fatalf("err %v, deleted %v, %d agents", err, deleted, len(agents))
	}
	if got := fake.Count("GET", fakeapi.RouteAgent); got <= 30 {
		t.Errorf("%d GETs: the 429s were not retried", got)
	}
}

func TestGetAgentsEmpty(t *testing.T) {
	_, c := newFakeClient(t, 0)
	agents, deleted, err := c.GetAgents(context.Background(), nil, 0)
	if err != nil || len(agents) != 0 || deleted != nil {
		t.Fatalf("%v %v %v", agents, deleted, err)
	}
}
