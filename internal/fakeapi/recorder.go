package fakeapi

import (
	"bytes"
	"net/http"
	"sync"
	"time"
)

// RecordedRequest is one request the API handler received (admin requests
// are not recorded). Header is a copy and includes xi-api-key; Body is the
// raw body as sent, so tests can assert what a client did or did not send.
type RecordedRequest struct {
	Method    string
	Path      string
	RawQuery  string
	Header    http.Header
	Body      []byte
	Status    int    // status answered; 0 when the connection was reset
	Route     string // route pattern, e.g. RouteAgent; "" for an unknown route
	RequestID string // the request-id header answered
	Injected  bool   // answered by an injected fault
	Time      time.Time
}

type recorder struct {
	mu     sync.Mutex
	reqs   []RecordedRequest
	counts map[string]int
}

func (r *recorder) add(e RecordedRequest) {
	r.mu.Lock()
	r.reqs = append(r.reqs, e)
	r.mu.Unlock()
}

func (r *recorder) count(method, pattern string) {
	r.mu.Lock()
	r.counts[method+" "+pattern]++
	r.mu.Unlock()
}

// Requests returns a copy of the request log, in the order the responses
// completed.
func (s *Server) Requests() []RecordedRequest {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	out := make([]RecordedRequest, len(s.rec.reqs))
	for i, e := range s.rec.reqs {
		e.Header = e.Header.Clone()
		e.Body = bytes.Clone(e.Body)
		out[i] = e
	}
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.rec.mu.Lock()
	s.rec.reqs = nil
	s.rec.mu.Unlock()
}

// Count returns how many requests reached the endpoint method+pattern (e.g.
// "GET", RouteAgent), counting those answered by auth errors and injected
// faults. Unknown routes and wrong methods are not counted.
func (s *Server) Count(method, pattern string) int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return s.rec.counts[method+" "+pattern]
}

// Counts returns all counters keyed "METHOD pattern".
func (s *Server) Counts() map[string]int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	out := make(map[string]int, len(s.rec.counts))
	for k, v := range s.rec.counts {
		out[k] = v
	}
	return out
}

// ResetCounters sets every counter back to zero, the concurrency-limit
// mode's too. The request log is kept; see ResetRequests.
func (s *Server) ResetCounters() {
	s.rec.mu.Lock()
	s.rec.counts = map[string]int{}
	s.rec.mu.Unlock()
	s.resetConcurrencyCounters()
}
