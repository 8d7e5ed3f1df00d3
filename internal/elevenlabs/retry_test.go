package elevenlabs

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// statusSequence answers with the given statuses in turn, then 200 with an agent.
func statusSequence(n *atomic.Int32, seq []int, retryAfter string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(seq) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			writeJSON(w, seq[i], `{"detail":{"status":"system_busy","message":"try later"}}`)
			return
		}
		writeJSON(w, 200, agentJSON)
	})
}

func TestRetriesTransientStatuses(t *testing.T) {
	for _, tc := range []struct {
		name     string
		seq      []int
		wantErr  bool
		attempts int32
	}{
		{"429 then ok", []int{429, 429}, false, 3},
		{"408 then ok", []int{408}, false, 2},
		{"5xx then ok", []int{500, 502, 503}, false, 4},
		{"504 exhausts retries", []int{504, 504, 504, 504, 504}, true, 4},
		{"501 not retried", []int{501}, true, 1},
		{"409 not retried", []int{409}, true, 1},
		{"400 not retried", []int{400}, true, 1},
		{"404 not retried", []int{404}, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			c := newTestClient(t, statusSequence(&n, tc.seq, ""))
			_, err := c.GetAgent(context.Background(), "agent_1")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if n.Load() != tc.attempts {
				t.Errorf("attempts = %d, want %d", n.Load(), tc.attempts)
			}
		})
	}
}

// stableElapsed replaces the measured time of a "gave up after N attempts
// over <duration>" message by D, so that a test can compare the rest exactly.
func stableElapsed(s string) string {
	return regexp.MustCompile(`over [0-9.]+(µs|ms|s|m[0-9.]+s)`).ReplaceAllString(s, "over D")
}

// TestExhaustedRetriesReportLastAnswer: after the last retry of a 5xx or a
// network error, the error is the last answer plus how many attempts were
// made, over how long, and how many retries were allowed. A failure that is
// not retried (a 4xx, a 501, a POST's 5xx, a cancelled call) says nothing of
// the kind.
func TestExhaustedRetriesReportLastAnswer(t *testing.T) {
	var n atomic.Int32
	c := newTestClient(t, statusSequence(&n, []int{503, 503, 503, 503, 503}, ""))
	_, err := c.GetAgent(context.Background(), "a")
	want := "ElevenLabs API: GET /v1/convai/agents/a returned 503 Service Unavailable: system_busy: try later; " +
		"gave up after 4 attempts over D (3 retries allowed)"
	if err == nil || stableElapsed(err.Error()) != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	var re *RetriesExhaustedError
	if !errors.As(err, &re) || re.Attempts != 4 || re.MaxRetries != 3 || re.Elapsed <= 0 || !IsRetriesExhausted(err) {
		t.Errorf("RetriesExhaustedError = %+v", re)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Errorf("the last answer does not unwrap: %v", err)
	}

	// A network error on every attempt, with one retry allowed.
	var conns atomic.Int32
	c = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conns.Add(1)
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		_ = conn.Close()
	}), func(c *Config) { c.MaxRetries = 1 })
	_, err = c.GetAgent(context.Background(), "a")
	var te *TransportError
	if !errors.As(err, &te) || !regexp.MustCompile(`^ElevenLabs API: GET /v1/convai/agents/a: request failed: .*; gave up after 2 attempts over D \(1 retry allowed\)$`).MatchString(stableElapsed(err.Error())) {
		t.Errorf("network error: %v", err)
	}
	if conns.Load() != 2 {
		t.Errorf("%d connections, want 2", conns.Load())
	}

	for name, seq := range map[string][]int{"404": {404}, "501": {501}, "409": {409}} {
		n.Store(0)
		c = newTestClient(t, statusSequence(&n, seq, ""))
		if _, err := c.GetAgent(context.Background(), "a"); err == nil || strings.Contains(err.Error(), "gave up") || IsRetriesExhausted(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Cancelled while waiting to retry a 503: a cancelled call, not one
	// that ran out of retries.
	ctx, cancel := context.WithCancel(context.Background())
	c = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, `{"detail":"busy"}`)
		time.AfterFunc(50*time.Millisecond, cancel)
	}), func(c *Config) { c.RetryWaitMin, c.RetryWaitMax = time.Second, time.Second })
	if _, err := c.GetAgent(ctx, "a"); !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "gave up") {
		t.Errorf("cancelled: %v", err)
	}
}

// A 429 means "later", not "failed": it is retried beyond max_retries, within
// the rate-limit budget.
func Test429IsRetriedBeyondMaxRetries(t *testing.T) {
	var n atomic.Int32
	seq := make([]int, 12)
	for i := range seq {
		seq[i] = 429
	}
	c := newTestClient(t, statusSequence(&n, seq, ""))
	if _, err := c.GetAgent(context.Background(), "agent_1"); err != nil {
		t.Fatalf("12 answers 429 then 200 with max_retries 3: %v", err)
	}
	if n.Load() != 13 {
		t.Errorf("attempts = %d, want 13", n.Load())
	}
}

func TestMaxRetriesZeroMeansOneAttempt(t *testing.T) {
	var n atomic.Int32
	c := newTestClient(t, statusSequence(&n, []int{503}, ""), func(c *Config) { c.MaxRetries = 0 })
	if _, err := c.GetAgent(context.Background(), "a"); err == nil {
		t.Fatal("want an error")
	}
	if n.Load() != 1 {
		t.Errorf("attempts = %d", n.Load())
	}
	// max_retries does not bound 429s.
	n.Store(0)
	c = newTestClient(t, statusSequence(&n, []int{429, 429}, ""), func(c *Config) { c.MaxRetries = 0 })
	if _, err := c.GetAgent(context.Background(), "agent_1"); err != nil || n.Load() != 3 {
		t.Fatalf("429, 429, 200 with max_retries 0: err %v after %d attempts, want success after 3", err, n.Load())
	}
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	var n atomic.Int32
	c := newTestClient(t, statusSequence(&n, []int{429}, "1"), func(c *Config) { c.RetryWaitMax = 5 * time.Second })
	start := time.Now()
	if _, err := c.GetAgent(context.Background(), "agent_1"); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < time.Second {
		t.Errorf("retried after %s, want >= 1s as Retry-After asked", el)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 3 ", 3 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"Fri, 27 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Fri, 27 Nov 2026 11:00:00 GMT", 0, true},
		{"Friday, 27-Nov-26 12:01:00 GMT", time.Minute, true},
		{"99999999999999999999", 0, false},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	minW, maxW := 100*time.Millisecond, time.Second
	for attempt := 0; attempt < 8; attempt++ {
		ceil := min(minW<<attempt, maxW)
		for i := 0; i < 50; i++ {
			d := backoff(minW, maxW, attempt, nil)
			if d < minW || d < ceil/2 || d > ceil {
				t.Fatalf("attempt %d: backoff %s outside [%s, %s]", attempt, d, max(minW, ceil/2), ceil)
			}
		}
	}
	resp := &http.Response{Header: http.Header{"Retry-After": {"2"}}}
	if d := backoff(minW, maxW, 0, resp); d != maxW {
		t.Errorf("Retry-After beyond max: %s, want capped at %s", d, maxW)
	}
	resp.Header.Set("Retry-After", "0")
	if d := backoff(minW, maxW, 3, resp); d != 0 {
		t.Errorf("Retry-After 0: %s", d)
	}
}

func TestBrokenResponseBodyIsRetried(t *testing.T) {
	var n atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			// Promise more body than is sent, then drop the connection.
			conn, buf, _ := http.NewResponseController(w).Hijack()
			_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"agent_id\":")
			_ = buf.Flush()
			_ = conn.Close()
			return
		}
		writeJSON(w, 200, agentJSON)
	}))
	if _, err := c.GetAgent(context.Background(), "agent_1"); err != nil {
		t.Fatalf("a body cut short was not retried: %v", err)
	}
	if n.Load() != 2 {
		t.Errorf("attempts = %d, want 2", n.Load())
	}
}
