package fakeapi

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// burst sends n GETs of path at once and returns their responses' statuses and
// Retry-After headers.
func (e *testEnv) burst(n int, path string) (statuses []int, retryAfter []string) {
	e.t.Helper()
	statuses, retryAfter = make([]int, n), make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
			req.Header.Set("xi-api-key", DefaultAPIKey)
			res, err := e.ts.Client().Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			res.Body.Close()
			statuses[i], retryAfter[i] = res.StatusCode, res.Header.Get("Retry-After")
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			e.t.Fatal(err)
		}
	}
	return statuses, retryAfter
}

func TestConcurrencyLimitRejectsBeyondLimit(t *testing.T) {
	e := newEnv(t, WithLatency(300*time.Millisecond))
	id := e.s.CreateAgent("a")
	path := "/v1/convai/agents/" + id
	e.s.SetConcurrencyLimit(2, "1")

	statuses, retryAfter := e.burst(6, path)
	ok, rejected := 0, 0
	for i, st := range statuses {
		switch st {
		case http.StatusOK:
			ok++
		case http.StatusTooManyRequests:
			rejected++
			if retryAfter[i] != "1" {
				t.Errorf("429 Retry-After = %q, want 1", retryAfter[i])
			}
		default:
			t.Errorf("status %d", st)
		}
	}
	if ok != 2 || rejected != 4 {
		t.Fatalf("6 requests at once with limit 2: %d answered 200, %d answered 429; want 2 and 4", ok, rejected)
	}
	st := e.s.Concurrency()
	if st.Limit != 2 || st.Rejected != 4 || st.PeakInFlight != 2 || st.InFlight != 0 {
		t.Fatalf("stats = %+v", st)
	}
	// Rejected requests are recorded as injected 429s and counted per route.
	injected := 0
	for _, r := range e.s.Requests() {
		if r.Injected && r.Status == http.StatusTooManyRequests {
			injected++
		}
	}
	if injected != 4 || e.s.Count("GET", RouteAgent) != 6 {
		t.Fatalf("recorded %d injected 429s, counted %d GETs; want 4 and 6", injected, e.s.Count("GET", RouteAgent))
	}

	// The body is the API's: detail.status too_many_concurrent_requests.
	e.s.SetConcurrencyLimit(1, "")
	done := make(chan struct{})
	go func() { defer close(done); e.burst(1, path) }()
	time.Sleep(100 * time.Millisecond) // the first request holds the only place
	r := e.do("GET", path, "")
	r.wantAppError(t, http.StatusTooManyRequests, CodeTooManyConcurrent)
	if _, sent := r.header["Retry-After"]; sent {
		t.Fatalf("Retry-After sent without being asked: %q", r.header.Get("Retry-After"))
	}
	<-done

	// Sequential requests never exceed the limit; ClearFaults turns it off.
	e.do("GET", path, "").wantStatus(t, http.StatusOK)
	e.s.ClearFaults()
	if statuses, _ := e.burst(3, path); statuses[0]+statuses[1]+statuses[2] != 3*http.StatusOK {
		t.Fatalf("after ClearFaults: %v", statuses)
	}
	e.s.SetConcurrencyLimit(1, "")
	e.s.ResetCounters()
	if st := e.s.Concurrency(); st.Rejected != 0 || st.PeakInFlight != 0 {
		t.Fatalf("after ResetCounters: %+v", st)
	}
}

func TestConcurrencyLimitSparesConversationAndAdmin(t *testing.T) {
	e := newEnv(t)
	e.s.SetConcurrencyLimit(1, "")
	e.s.mu.Lock()
	e.s.concurrency.inFlight = 1 // as if a request were being handled
	e.s.mu.Unlock()
	e.do("GET", "/v1/convai/agents", "").wantAppError(t, http.StatusTooManyRequests, CodeTooManyConcurrent)
	e.do("GET", "/_fake/counters", "").wantStatus(t, http.StatusOK)
	if got := e.do("GET", "/v1/convai/conversation?signed_url=x", "").status; got == http.StatusTooManyRequests {
		t.Fatal("conversation start was rejected by the API's concurrency limit")
	}
}

func TestAdminConcurrency(t *testing.T) {
	e := newEnv(t)
	e.s.SetConcurrencyLimit(3, "2")
	got := e.do("GET", "/_fake/concurrency", "").wantStatus(t, http.StatusOK).json(t)
	for _, k := range []string{"limit", "retry_after", "in_flight", "peak_in_flight", "rejected"} {
		if _, ok := got[k]; !ok {
			t.Errorf("GET /_fake/concurrency has no %q: %v", k, got)
		}
	}
	if got["limit"] != float64(3) || got["retry_after"] != "2" {
		t.Fatalf("GET /_fake/concurrency = %v", got)
	}
}
