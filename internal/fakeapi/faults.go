package fakeapi

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// Fault is an injected failure for /v1 API endpoints (not conversation start,
// not the admin API). Faults are checked before auth and normal handling, in
// the order they were injected; the first matching one with hits left fires.
type Fault struct {
	// Method matches the request method ("" for any; case-insensitive).
	Method string `json:"method"`
	// Path is a route pattern such as RouteAgent
	// ("/v1/convai/agents/{agent_id}") or an exact request path; "" for any.
	Path string `json:"path"`
	// Status is the HTTP status to answer (429, 500, 502, 503, ...);
	// 0 means 500.
	Status int `json:"status"`
	// Code goes into detail.status and detail.code; "" picks one from the
	// status (429 -> too_many_concurrent_requests).
	Code string `json:"code"`
	// RetryAfter is the Retry-After header value: "" sends none, else it is
	// sent as given ("1", or an HTTP date).
	RetryAfter string `json:"retry_after"`
	// Count is how many matching requests the fault hits; 0 or less means
	// every matching request until ClearFaults.
	Count int `json:"count"`
	// EchoRequest makes the error body echo the request (method, URL, every
	// header including xi-api-key, and body) in detail.echo and in
	// detail.message, to test that clients never leak what they print.
	EchoRequest bool `json:"echo_request"`
	// Reset hijacks the connection, writes a partial response and closes
	// it, so the client sees a broken response (unexpected EOF).
	Reset bool `json:"reset"`
	// Location makes the fault a redirect: the answer is Status (0 means 302)
	// with this Location header and an empty body, to test that clients follow
	// no redirect (the key must never go to another host).
	Location string `json:"location"`
	// Body, when set, is the answer's body, sent as given with Status (0 means
	// 500) and Content-Type application/json: an answer of any shape, such as
	// a 200 "null" to a PATCH or a 401 with a specific message.
	Body string `json:"body"`
	// DeleteAgent deletes the agent the request names (its {agent_id}) and
	// lets the fake answer as usual: a GET then gets the fake's own 404
	// agent_not_found, as for an agent deleted between the list and its GET.
	DeleteAgent bool `json:"delete_agent"`
}

type faultState struct {
	f         Fault
	remaining int // < 0: unlimited
}

type failEveryState struct {
	n          int
	status     int
	code       string
	retryAfter string
	seen       int
}

// InjectFault adds a fault; see Fault.
func (s *Server) InjectFault(f Fault) {
	remaining := f.Count
	if remaining <= 0 {
		remaining = -1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &faultState{f: f, remaining: remaining})
	s.mu.Unlock()
}

// SetFailEvery makes every n-th /v1 API request (counted from this call,
// conversation start excluded) fail with status, code and Retry-After
// retryAfter ("" for none). n = 0 turns it off. Injected faults are checked
// first; requests they hit still count toward n.
func (s *Server) SetFailEvery(n int, status int, code string, retryAfter string) {
	s.mu.Lock()
	s.failEvery = failEveryState{n: n, status: status, code: code, retryAfter: retryAfter}
	s.mu.Unlock()
}

// ClearFaults removes every injected fault and turns fail-every and the
// concurrency limit off. It does not change the latency.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.failEvery = failEveryState{}
	s.concurrency = concurrencyState{inFlight: s.concurrency.inFlight}
	s.mu.Unlock()
}

// nextFault returns the fault, if any, that the request hits.
func (s *Server) nextFault(method, pattern, path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var (
		hit   Fault
		found bool
	)
	for i, fs := range s.faults {
		if fs.f.Method != "" && !strings.EqualFold(fs.f.Method, method) {
			continue
		}
		if fs.f.Path != "" && fs.f.Path != pattern && fs.f.Path != path {
			continue
		}
		hit, found = fs.f, true
		if fs.remaining > 0 {
			fs.remaining--
			if fs.remaining == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		break
	}
	if fe := &s.failEvery; fe.n > 0 {
		fe.seen++
		if !found && fe.seen%fe.n == 0 {
			hit = Fault{Status: fe.status, Code: fe.code, RetryAfter: fe.retryAfter}
			found = true
		}
	}
	return hit, found
}

// defaultFaultCode names a fault by its status.
func defaultFaultCode(status int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "too_many_concurrent_requests"
	case http.StatusRequestTimeout:
		return "request_timeout"
	case http.StatusConflict:
		return "conflict"
	case http.StatusInternalServerError:
		return "internal_server_error"
	case http.StatusBadGateway:
		return "bad_gateway"
	case http.StatusServiceUnavailable:
		return "service_unavailable"
	case http.StatusGatewayTimeout:
		return "gateway_timeout"
	}
	return "injected_fault"
}

// writeFault answers the request with f.
func (s *Server) writeFault(c *call, f Fault) {
	if f.Reset {
		resetConnection(c)
		return
	}
	if f.Location != "" {
		status := f.Status
		if status == 0 {
			status = http.StatusFound
		}
		c.w.Header().Set("Location", f.Location)
		c.w.WriteHeader(status)
		return
	}
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if f.Body != "" {
		if f.RetryAfter != "" {
			c.w.Header().Set("Retry-After", f.RetryAfter)
		}
		c.w.Header().Set("Content-Type", "application/json")
		c.w.WriteHeader(status)
		_, _ = io.WriteString(c.w, f.Body)
		return
	}
	code := f.Code
	if code == "" {
		code = defaultFaultCode(status)
	}
	if f.RetryAfter != "" {
		c.w.Header().Set("Retry-After", f.RetryAfter)
	}
	detail := appErrorDetail(code, fmt.Sprintf("Injected fault: %d %s", status, code), c.requestID)
	if f.EchoRequest {
		headers := map[string][]string{}
		var lines []string
		for k, v := range c.r.Header {
			headers[k] = v
			lines = append(lines, strings.ToLower(k)+": "+strings.Join(v, ", "))
		}
		sort.Strings(lines)
		detail["echo"] = map[string]any{
			"method":  c.r.Method,
			"url":     c.r.URL.String(),
			"headers": headers,
			"body":    string(c.body),
		}
		detail["message"] = fmt.Sprintf("Injected fault: %d %s; request was %s %s; headers: %s; body: %s",
			status, code, c.r.Method, c.r.URL.String(), strings.Join(lines, "; "), string(c.body))
	}
	writeJSON(c.w, status, map[string]any{"detail": detail})
}

// resetConnection hijacks the connection, writes the start of a response
// that promises more body than it sends, and closes the connection.
func resetConnection(c *call) {
	conn, buf, err := http.NewResponseController(c.w).Hijack()
	if err != nil {
		// Not hijackable (e.g. HTTP/2): abort the response instead.
		panic(http.ErrAbortHandler)
	}
	c.w.hijacked = true
	writePartial(buf, c.requestID)
	c.record()
	_ = conn.Close()
}

func writePartial(buf *bufio.ReadWriter, requestID string) {
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\n" +
		"Content-Type: application/json\r\n" +
		"Request-Id: " + requestID + "\r\n" +
		"Content-Length: 4096\r\n\r\n" +
		`{"agent_id":"agent_`)
	_ = buf.Flush()
}
