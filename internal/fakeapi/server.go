package fakeapi

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Scopes an API key can carry. Reads need ScopeRead; PATCH, POST and DELETE
// need ScopeWrite.
const (
	ScopeRead  = "convai_read"
	ScopeWrite = "convai_write"
)

// DefaultAPIKey is the full-scope key a Server accepts when no WithAPIKey
// option is given.
const DefaultAPIKey = "test-key"

// maxBodyBytes bounds the request bodies the fake reads.
const maxBodyBytes = 1 << 20

// Route patterns, as used by the recorder's counters and by Fault.Path.
const (
	RouteAgent             = "/v1/convai/agents/{agent_id}"
	RouteAgentCreate       = "/v1/convai/agents/create"
	RouteAgents            = "/v1/convai/agents"
	RouteSignedURL         = "/v1/convai/conversation/get-signed-url"
	RouteSignedURLOld      = "/v1/convai/conversation/get_signed_url"
	RouteConversation      = "/v1/convai/conversation"
	RouteConversationToken = "/v1/convai/conversation/token"
	headerAPIKey           = "xi-api-key"
	headerRequestID        = "request-id"
	headerXRequestID       = "x-request-id"
	defaultAgentName       = "New agent"
	defaultEnvironment     = "production"
)

// Server is the fake API. It implements http.Handler for the /v1 API; see
// AdminHandler and Mux for the /_fake/ admin API. All methods are safe for
// concurrent use.
type Server struct {
	clock *Clock
	keys  map[string]map[string]bool // immutable after New

	latency atomic.Int64 // time.Duration

	tokenSecret   []byte        // HS256 key of the conversation tokens; immutable
	tokenLifetime time.Duration // immutable

	mu          sync.Mutex // guards agents, seq, signatures, tokens, faults, failEvery, concurrency
	agents      map[string]*agentEntry
	seq         uint64
	signatures  map[string]*signature
	tokens      []string
	faults      []*faultState
	failEvery   failEveryState
	concurrency concurrencyState

	rec recorder
}

// Option configures a Server.
type Option func(*config)

type config struct {
	fullKeys []string
	keys     map[string][]string // scoped keys (tests: withKey)
	latency  time.Duration

	tokenLifetime time.Duration
}

// WithAPIKey adds a key with every scope. Without any WithAPIKey option the
// server accepts DefaultAPIKey ("test-key") as its full-scope key.
func WithAPIKey(key string) Option {
	return func(c *config) { c.fullKeys = append(c.fullKeys, key) }
}

// WithLatency delays every /v1 request by d before it is handled.
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = d }
}

// New returns an empty fake API server.
func New(opts ...Option) *Server {
	cfg := config{keys: map[string][]string{}, tokenLifetime: DefaultTokenLifetime}
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.fullKeys) == 0 {
		cfg.fullKeys = []string{DefaultAPIKey}
	}
	s := &Server{
		clock:      &Clock{},
		keys:       map[string]map[string]bool{},
		agents:     map[string]*agentEntry{},
		signatures: map[string]*signature{},

		tokenSecret:   newTokenSecret(),
		tokenLifetime: cfg.tokenLifetime,
	}
	for k, scopes := range cfg.keys {
		set := map[string]bool{}
		for _, sc := range scopes {
			set[sc] = true
		}
		s.keys[k] = set
	}
	for _, k := range cfg.fullKeys {
		s.keys[k] = map[string]bool{ScopeRead: true, ScopeWrite: true}
	}
	s.latency.Store(int64(cfg.latency))
	s.rec.counts = map[string]int{}
	return s
}

// Clock returns the clock the server reads time from (signature and token
// expiry, agent timestamps); it follows real time until a test moves it. It is
// how tests in other packages (internal/provider) pin and advance the fake's
// time.
func (s *Server) Clock() *Clock { return s.clock }

// now returns the server's current time.
func (s *Server) now() time.Time { return s.clock.Now() }

// call is one request being handled.
type call struct {
	w         *statusWriter
	r         *http.Request
	body      []byte
	requestID string
	agentID   string // the {agent_id} path parameter, if any
	// record logs the request now (once); a reset connection calls it
	// before closing, so a client that saw the reset finds it logged.
	record func()
}

// route is one path of the /v1 API and the methods it answers. The API is
// dispatched from this table rather than by http.ServeMux method patterns (as
// the admin API is) because the mux would change answers the fake keeps as
// the API gives them (the string error form of CONTRACT.md, "Errors"): a GET
// pattern also serves HEAD, where the API answers 405; the mux's 404 and 405
// are text/plain, not {"detail":"Not Found"}; it redirects paths with // or
// .. instead of answering 404; and beside "POST /v1/convai/agents/create" and
// "GET /v1/convai/agents/{agent_id}" no method-less pattern can be registered
// for the 405 of PUT /v1/convai/agents/create (the mux panics on the
// conflict), which matchRoute answers as Starlette does.
type route struct {
	pattern string
	// match reports whether the escaped path fits the pattern and returns
	// the {agent_id} parameter if it has one.
	match     func(segs []string) (param string, ok bool)
	methods   map[string]func(*Server, *call)
	scope     map[string]string // method -> required scope; "" means no key needed
	faultable bool
}

var routes = []route{
	{
		pattern:   RouteAgents,
		match:     literal("v1", "convai", "agents"),
		methods:   map[string]func(*Server, *call){http.MethodGet: (*Server).handleListAgents},
		scope:     map[string]string{http.MethodGet: ScopeRead},
		faultable: true,
	},
	{
		pattern:   RouteAgentCreate,
		match:     literal("v1", "convai", "agents", "create"),
		methods:   map[string]func(*Server, *call){http.MethodPost: (*Server).handleCreateAgent},
		scope:     map[string]string{http.MethodPost: ScopeWrite},
		faultable: true,
	},
	{
		pattern: RouteAgent,
		match:   withParam("v1", "convai", "agents"),
		methods: map[string]func(*Server, *call){
			http.MethodGet:    (*Server).handleGetAgent,
			http.MethodPatch:  (*Server).handlePatchAgent,
			http.MethodDelete: (*Server).handleDeleteAgent,
		},
		scope: map[string]string{
			http.MethodGet:    ScopeRead,
			http.MethodPatch:  ScopeWrite,
			http.MethodDelete: ScopeWrite,
		},
		faultable: true,
	},
	{
		pattern:   RouteSignedURL,
		match:     literal("v1", "convai", "conversation", "get-signed-url"),
		methods:   map[string]func(*Server, *call){http.MethodGet: (*Server).handleSignedURL},
		scope:     map[string]string{http.MethodGet: ScopeRead},
		faultable: true,
	},
	{
		pattern:   RouteSignedURLOld,
		match:     literal("v1", "convai", "conversation", "get_signed_url"),
		methods:   map[string]func(*Server, *call){http.MethodGet: (*Server).handleSignedURL},
		scope:     map[string]string{http.MethodGet: ScopeRead},
		faultable: true,
	},
	{
		pattern:   RouteConversationToken,
		match:     literal("v1", "convai", "conversation", "token"),
		methods:   map[string]func(*Server, *call){http.MethodGet: (*Server).handleConversationToken},
		scope:     map[string]string{http.MethodGet: ScopeRead},
		faultable: true,
	},
	{
		pattern: RouteConversation,
		match:   literal("v1", "convai", "conversation"),
		methods: map[string]func(*Server, *call){http.MethodGet: (*Server).handleConversationStart},
		scope:   map[string]string{http.MethodGet: ""},
	},
}

func literal(parts ...string) func([]string) (string, bool) {
	return func(segs []string) (string, bool) {
		if len(segs) != len(parts) {
			return "", false
		}
		for i, p := range parts {
			if segs[i] != p {
				return "", false
			}
		}
		return "", true
	}
}

func withParam(prefix ...string) func([]string) (string, bool) {
	return func(segs []string) (string, bool) {
		if len(segs) != len(prefix)+1 {
			return "", false
		}
		for i, p := range prefix {
			if segs[i] != p {
				return "", false
			}
		}
		last := segs[len(prefix)]
		if last == "" {
			return "", false
		}
		v, err := url.PathUnescape(last)
		if err != nil {
			return "", false
		}
		return v, true
	}
}

// matchRoute finds the route for a request. It returns the route and its
// parameter on a full match; on a path match with the wrong method it returns
// the first route whose path matched and methodOK false (405); with no match
// at all it returns nil (404). As in Starlette, a later full match wins over
// an earlier path-only match.
func matchRoute(method, escapedPath string) (rt *route, param string, methodOK bool) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	var partial *route
	for i := range routes {
		r := &routes[i]
		p, ok := r.match(segs)
		if !ok {
			continue
		}
		if _, ok := r.methods[method]; ok {
			return r, p, true
		}
		if partial == nil {
			partial = r
		}
	}
	return partial, "", false
}

// ServeHTTP serves the /v1 API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	setRequestID(w.Header(), requestID)
	sw := &statusWriter{ResponseWriter: w}

	body, tooLarge := readBody(r)
	rt, param, methodOK := matchRoute(r.Method, r.URL.EscapedPath())
	entry := RecordedRequest{
		Method:    r.Method,
		Path:      r.URL.Path,
		RawQuery:  r.URL.RawQuery,
		Header:    r.Header.Clone(),
		Body:      body,
		RequestID: requestID,
		Time:      s.now(),
	}
	var once sync.Once
	record := func() {
		once.Do(func() {
			entry.Status = sw.status
			if sw.hijacked {
				entry.Status = 0
			}
			s.rec.add(entry)
		})
	}
	defer record()

	switch {
	case rt == nil:
		writeStringDetail(sw, http.StatusNotFound, "Not Found")
		return
	case !methodOK:
		entry.Route = rt.pattern
		sw.Header().Set("Allow", allowHeader(rt))
		writeStringDetail(sw, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	entry.Route = rt.pattern
	s.rec.count(r.Method, rt.pattern)

	// The concurrency limit decides on arrival; the answer, like any other,
	// comes after the latency.
	var overLimit *concurrencyState
	if rt.faultable {
		release, st, ok := s.admit()
		if ok {
			defer release()
		} else {
			overLimit = &st
		}
	}

	if d := time.Duration(s.latency.Load()); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}

	c := &call{w: sw, r: r, body: body, requestID: requestID, agentID: param, record: record}
	if overLimit != nil {
		entry.Injected = true
		s.writeTooManyConcurrent(c, *overLimit)
		return
	}
	if rt.faultable {
		if f, ok := s.nextFault(r.Method, rt.pattern, r.URL.Path); ok && f.DeleteAgent {
			s.DeleteAgentOOB(param)
		} else if ok {
			entry.Injected = true
			s.writeFault(c, f)
			return
		}
	}
	if scope := rt.scope[r.Method]; scope != "" && !s.authorize(c, scope) {
		return
	}
	if tooLarge {
		writeStringDetail(sw, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return
	}
	rt.methods[r.Method](s, c)
}

// setRequestID sets both request id headers: x-request-id, which the official
// SDK reads, and request-id, which some answers also carry (CONTRACT.md,
// "Request ids").
func setRequestID(h http.Header, id string) {
	h.Set(headerRequestID, id)
	h.Set(headerXRequestID, id)
}

func allowHeader(rt *route) string {
	var ms []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
		if _, ok := rt.methods[m]; ok {
			ms = append(ms, m)
		}
	}
	return strings.Join(ms, ", ")
}

// readBody reads at most maxBodyBytes of the body; tooLarge reports a longer one.
func readBody(r *http.Request) (body []byte, tooLarge bool) {
	if r.Body == nil {
		return nil, false
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if len(b) > maxBodyBytes {
		return b[:maxBodyBytes], true
	}
	return bytes.Clone(b), false
}

// authorize checks the xi-api-key header for scope and answers 401 if it
// fails.
func (s *Server) authorize(c *call, scope string) bool {
	key := c.r.Header.Get(headerAPIKey)
	if key == "" {
		writeAppError(c.w, http.StatusUnauthorized, CodeNeedsAuthorization,
			"Missing API key. Send your key in the xi-api-key header.", c.requestID)
		return false
	}
	scopes, ok := s.keys[key]
	if !ok {
		writeAppError(c.w, http.StatusUnauthorized, CodeInvalidAPIKey, "Invalid API key", c.requestID)
		return false
	}
	if !scopes[scope] {
		writeAppError(c.w, http.StatusUnauthorized, CodeMissingPermissions,
			"The API key you used is missing the permission "+scope+" to execute this operation.", c.requestID)
		return false
	}
	return true
}

// SetLatency delays every later /v1 request by d (0 turns it off).
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(d)) }

// Latency returns the current per-request latency.
func (s *Server) Latency() time.Duration { return time.Duration(s.latency.Load()) }

// Mux returns a handler that serves the admin API under /_fake/ and the fake
// API everywhere else.
func (s *Server) Mux() http.Handler {
	admin := s.AdminHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_fake" || strings.HasPrefix(r.URL.Path, "/_fake/") {
			admin.ServeHTTP(w, r)
			return
		}
		s.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status   int
	hijacked bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (Hijack).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
