package elevenlabs

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// fakeClient serves the fake API with latency and returns a client for it
// with the test's short backoff.
func fakeClient(t *testing.T, latency time.Duration, mod ...func(*Config)) (*fakeapi.Server, *Client) {
	t.Helper()
	srv := fakeapi.New(fakeapi.WithAPIKey(testKey), fakeapi.WithLatency(latency))
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	cfg := Config{BaseURL: ts.URL, APIKey: testKey, MaxRetries: 3,
		RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond, RequestTimeout: 5 * time.Second}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// updateAll updates every agent from `workers` goroutines at once, as the CLI
// does with its parallelism, and returns the errors.
func updateAll(c *Client, ids []string, workers int) []error {
	jobs := make(chan string)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for id := range jobs {
				on := true
				if _, err := c.UpdateAgentAuth(context.Background(), id, AuthUpdate{EnableAuth: &on}); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, id := range ids {
		jobs <- id
	}
	close(jobs)
	wg.Wait()
	return errs
}

// 200 updates, 10 at a time, against an API that serves 3 at a time: every
// update succeeds, and once the client has found the limit the 429s stay a
// small share of the requests.
func TestConcurrencyLimitedAPIAllCallsSucceed(t *testing.T) {
	for _, retryAfter := range []string{"", "0"} {
		t.Run("Retry-After="+retryAfter, func(t *testing.T) {
			srv, c := fakeClient(t, 10*time.Millisecond)
			ids := make([]string, 200)
			for i := range ids {
				ids[i] = srv.CreateAgent("a")
			}
			srv.SetConcurrencyLimit(3, retryAfter)

			if errs := updateAll(c, ids, 10); len(errs) > 0 {
				t.Fatalf("%d of %d updates failed; first: %v", len(errs), len(ids), errs[0])
			}
			patches := srv.Count(http.MethodPatch, fakeapi.RouteAgent)
			st := srv.Concurrency()
			share := float64(st.Rejected) / float64(patches)
			t.Logf("%d PATCHes, %d answered 429 (%.1f %%), client limit now %d", patches, st.Rejected, 100*share, c.limit.Limit())
			if patches != len(ids)+st.Rejected {
				t.Errorf("%d PATCHes, want one per agent plus one per 429 (%d)", patches, len(ids)+st.Rejected)
			}
			if share > 0.15 {
				t.Errorf("429s were %.1f %% of the requests, want at most 15 %%", 100*share)
			}
			if got := c.limit.Limit(); got > 4 {
				t.Errorf("client limit = %d after the run, want it near the API's 3", got)
			}
			for _, id := range ids {
				a, _ := srv.Agent(id)
				if auth, _ := a["platform_settings"].(map[string]any)["auth"].(map[string]any); auth["enable_auth"] != true {
					t.Fatalf("agent %s not updated", id)
				}
			}
		})
	}
}

// A 429 storm that never ends: the call gives up when its budget runs out,
// with an error that names the budget, the status and the API's code, and
// not before it has gone past max_retries.
func TestRateLimitBudgetExhausted(t *testing.T) {
	srv, c := fakeClient(t, 0, func(cfg *Config) { cfg.RateLimitTimeout = 300 * time.Millisecond })
	id := srv.CreateAgent("a")
	srv.SetFailEvery(1, http.StatusTooManyRequests, fakeapi.CodeTooManyConcurrent, "")

	start := time.Now()
	_, err := c.GetAgent(context.Background(), id)
	el := time.Since(start)
	if err == nil {
		t.Fatal("want an error")
	}
	if !IsRateLimited(err) {
		t.Fatalf("IsRateLimited(%v) = false", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests || apiErr.Code != fakeapi.CodeTooManyConcurrent {
		t.Fatalf("error does not wrap the last 429 answer: %#v", apiErr)
	}
	for _, want := range []string{"GET /v1/convai/agents/" + id, "429 Too Many Requests", "too_many_concurrent_requests", "rate-limit budget of 300ms"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if el < 200*time.Millisecond || el > 2*time.Second {
		t.Errorf("gave up after %s, want about the 300ms budget", el)
	}
	if n := srv.Count(http.MethodGet, fakeapi.RouteAgent); n <= 4 {
		t.Errorf("%d attempts: 429s must be retried past max_retries (3) within the budget", n)
	}
}

// A Retry-After longer than what is left of the budget fails now, instead of
// sleeping past the budget.
func TestRetryAfterBeyondBudgetFailsAtOnce(t *testing.T) {
	srv, c := fakeClient(t, 0, func(cfg *Config) {
		cfg.RateLimitTimeout = time.Second
		cfg.RetryWaitMax = time.Minute
	})
	id := srv.CreateAgent("a")
	srv.SetFailEvery(1, http.StatusTooManyRequests, fakeapi.CodeTooManyConcurrent, "30")
	start := time.Now()
	_, err := c.GetAgent(context.Background(), id)
	if !IsRateLimited(err) || time.Since(start) > 500*time.Millisecond {
		t.Fatalf("err = %v after %s, want a rate-limit error at once", err, time.Since(start))
	}
	if n := srv.Count(http.MethodGet, fakeapi.RouteAgent); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

// Ctrl-C stops a call at once: while it waits for a place under the limit,
// and while it waits out a 429.
func TestCancelStopsRateLimitedCalls(t *testing.T) {
	srv, c := fakeClient(t, 0)
	id := srv.CreateAgent("a")

	// Waiting for a place: the only place is held by a slow call.
	c.limit.limit = 1
	srv.SetLatency(2 * time.Second)
	go func() { _, _ = c.GetAgent(context.Background(), id) }()
	for c.limit.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetAgent(ctx, id)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 500*time.Millisecond {
		t.Fatalf("waiting for a place: err = %v after %s, want the context's error at once", err, time.Since(start))
	}
	if n := srv.Count(http.MethodGet, fakeapi.RouteAgent); n != 1 {
		t.Errorf("%d requests reached the API, want only the slow one", n)
	}

	// Waiting out a 429 with Retry-After: 30.
	_, c = fakeClient(t, 0, func(cfg *Config) { cfg.RetryWaitMax = time.Minute })
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusTooManyRequests, `{"detail":{"status":"too_many_concurrent_requests","message":"later"}}`)
	}))
	defer ts.Close()
	c.base.Scheme, c.base.Host = "http", strings.TrimPrefix(ts.URL, "http://")
	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = c.GetAgent(ctx, "a")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("waiting out a 429: err = %v after %s, want the context's error at once", err, time.Since(start))
	}
	if hits.Load() != 1 || c.limit.InFlight() != 0 {
		t.Errorf("%d attempts, %d places held after cancel; want 1 and 0", hits.Load(), c.limit.InFlight())
	}
}
