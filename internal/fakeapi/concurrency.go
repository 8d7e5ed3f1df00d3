package fakeapi

import (
	"fmt"
	"net/http"
)

// CodeTooManyConcurrent is the detail.status of a 429 that ElevenLabs answers
// when a workspace has too many requests in flight (CONTRACT.md, "Rate limits
// (429)": the API limits requests in flight, not requests per minute).
const CodeTooManyConcurrent = "too_many_concurrent_requests"

// concurrencyState is the concurrency-limit mode; guarded by Server.mu.
type concurrencyState struct {
	limit      int    // 0: off
	retryAfter string // Retry-After on the 429s; "" sends none
	inFlight   int    // admitted requests being handled now
	peak       int    // most admitted requests in flight at once
	rejected   int    // 429s served by this mode
}

// ConcurrencyStats describes the concurrency-limit mode (see
// SetConcurrencyLimit).
type ConcurrencyStats struct {
	// Limit is the number of requests served at once; 0 means the mode is off.
	Limit int `json:"limit"`
	// RetryAfter is the Retry-After value sent with each 429 ("" for none).
	RetryAfter string `json:"retry_after"`
	// InFlight is how many admitted requests are being handled now.
	InFlight int `json:"in_flight"`
	// PeakInFlight is the most admitted requests in flight at once since
	// the limit was set or the counters reset.
	PeakInFlight int `json:"peak_in_flight"`
	// Rejected is how many 429 too_many_concurrent_requests answers the mode
	// served since the limit was set or the counters reset.
	Rejected int `json:"rejected"`
}

// SetConcurrencyLimit makes the fake behave like the real API's concurrency
// limit: a /v1 API request (conversation start excluded) that arrives while
// limit requests are already being handled is answered 429
// too_many_concurrent_requests, after the configured latency, with
// Retry-After retryAfter ("" sends none). Admitted requests hold their place
// through the latency and the handling. limit = 0 turns the mode off. It
// resets the mode's counters (PeakInFlight, Rejected). Injected faults and
// fail-every are checked after admission, so a request they hit still holds
// a place while it is delayed.
func (s *Server) SetConcurrencyLimit(limit int, retryAfter string) {
	s.mu.Lock()
	s.concurrency = concurrencyState{limit: max(limit, 0), retryAfter: retryAfter, inFlight: s.concurrency.inFlight}
	s.mu.Unlock()
}

// Concurrency returns the concurrency-limit mode's settings and counters.
func (s *Server) Concurrency() ConcurrencyStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.concurrency
	return ConcurrencyStats{Limit: c.limit, RetryAfter: c.retryAfter, InFlight: c.inFlight, PeakInFlight: c.peak, Rejected: c.rejected}
}

// admit takes a place for a request under the concurrency limit. It returns
// release (to call when the request is answered) and ok; when the limit is
// reached it counts a rejection and returns ok false, with the limit and the
// Retry-After value to answer.
func (s *Server) admit() (release func(), rejected concurrencyState, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.concurrency
	if c.limit > 0 && c.inFlight >= c.limit {
		c.rejected++
		return nil, *c, false
	}
	c.inFlight++
	c.peak = max(c.peak, c.inFlight)
	return func() {
		s.mu.Lock()
		s.concurrency.inFlight--
		s.mu.Unlock()
	}, concurrencyState{}, true
}

// resetConcurrencyCounters zeroes PeakInFlight and Rejected.
func (s *Server) resetConcurrencyCounters() {
	s.mu.Lock()
	s.concurrency.peak = s.concurrency.inFlight
	s.concurrency.rejected = 0
	s.mu.Unlock()
}

// writeTooManyConcurrent answers the 429 of the concurrency-limit mode.
func (s *Server) writeTooManyConcurrent(c *call, st concurrencyState) {
	if st.retryAfter != "" {
		c.w.Header().Set("Retry-After", st.retryAfter)
	}
	msg := fmt.Sprintf("Too many concurrent requests: this workspace allows %d at a time. Retry later.", st.limit)
	writeJSON(c.w, http.StatusTooManyRequests, map[string]any{"detail": appErrorDetail(CodeTooManyConcurrent, msg, c.requestID)})
}
