package fakeapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// AdminHandler returns the admin API, for scripts that drive the fake from
// outside. It serves full paths under /_fake/ (mount it there), speaks JSON,
// needs no key, and is neither delayed, faulted nor recorded:
//
//	GET    /_fake/agents/{id}            the stored agent
//	PUT    /_fake/agents/{id}            plant a whole agent (PutAgent)
//	PUT    /_fake/agents/{id}/auth       replace platform_settings.auth (null removes it)
//	POST   /_fake/agents                 {"name":..,"tags":[..],"archived":bool,"auth":{..}} -> {"agent_id":..}
//	POST   /_fake/seed-agents            {"count":n,"name_prefix":..,"tags":[..],"archived":bool,"auth":{..}}
//	                                     -> {"agent_ids":[..]}: n agents named "<prefix> <i>" (SeedAgents)
//	DELETE /_fake/agents/{id}            204
//	GET    /_fake/counters               {"METHOD pattern": n, ...}
//	POST   /_fake/counters/reset         204
//	GET    /_fake/requests               the request log
//	DELETE /_fake/requests               empty the log, 204
//	GET    /_fake/clock                  {"now":RFC3339,"unix":n}
//	POST   /_fake/clock/advance?d=20m    {"now":..,"unix":..}
//	POST   /_fake/latency?d=50ms         {"latency":"50ms"}
//	POST   /_fake/fail-every?n=3&status=429&code=..&retry_after=..
//	POST   /_fake/faults                 a Fault as JSON
//	GET    /_fake/concurrency            ConcurrencyStats
//	POST   /_fake/concurrency?limit=3&retry_after=1   SetConcurrencyLimit (limit=0: off)
//	DELETE /_fake/faults                 ClearFaults, 204
//	POST   /_fake/webrtc/join            {"token":..,"agent_id":..} -> JoinWebRTC
//
// Errors are {"error":"..."} with 400, 404 or 405, except for
// /_fake/webrtc/join, which stands in for a server of the real platform and
// answers like the API: 200 {"agent_id":..,"conversation_id":..}, 403
// {"detail":{"status":"token_required|token_invalid|token_expired",..}} or
// 404 agent_not_found.
func (s *Server) AdminHandler() http.Handler {
	return http.HandlerFunc(s.serveAdmin)
}

func adminError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": msg})
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	setRequestID(w.Header(), newRequestID())
	path := strings.TrimSuffix(strings.TrimPrefix(r.URL.EscapedPath(), "/_fake"), "/")
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for i, seg := range segs {
		if v, err := url.PathUnescape(seg); err == nil {
			segs[i] = v
		}
	}
	q := r.URL.Query()
	method := r.Method

	switch {
	case len(segs) == 1 && segs[0] == "agents":
		if method != http.MethodPost {
			adminError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		var spec adminAgentSpec
		if err := decodeAdminBody(r, &spec); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"agent_id": s.CreateAgentWith(spec.spec(spec.Name))})

	case len(segs) == 1 && segs[0] == "seed-agents":
		if method != http.MethodPost {
			adminError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		var body struct {
			adminAgentSpec
			Count      int    `json:"count"`
			NamePrefix string `json:"name_prefix"`
		}
		if err := decodeAdminBody(r, &body); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		if body.Count < 1 || body.Count > maxSeed {
			adminError(w, http.StatusBadRequest, fmt.Sprintf("count must be 1 to %d", maxSeed))
			return
		}
		prefix := body.NamePrefix
		if prefix == "" {
			prefix = "agent"
		}
		ids := s.SeedAgents(body.Count, func(i int) AgentSpec { return body.spec(fmt.Sprintf("%s %d", prefix, i)) })
		writeJSON(w, http.StatusOK, map[string]any{"agent_ids": ids})

	case len(segs) == 2 && segs[0] == "agents":
		id := segs[1]
		switch method {
		case http.MethodGet:
			a, ok := s.Agent(id)
			if !ok {
				adminError(w, http.StatusNotFound, "agent not found")
				return
			}
			writeJSON(w, http.StatusOK, a)
		case http.MethodPut:
			var a map[string]any
			if err := decodeAdminBody(r, &a); err != nil {
				adminError(w, http.StatusBadRequest, err.Error())
				return
			}
			s.PutAgent(id, a)
			w.WriteHeader(http.StatusNoContent)
		case http.MethodDelete:
			if !s.DeleteAgentOOB(id) {
				adminError(w, http.StatusNotFound, "agent not found")
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			adminError(w, http.StatusMethodNotAllowed, "use GET, PUT or DELETE")
		}

	case len(segs) == 3 && segs[0] == "agents" && segs[2] == "auth":
		if method != http.MethodPut {
			adminError(w, http.StatusMethodNotAllowed, "use PUT")
			return
		}
		var auth map[string]any
		if err := decodeAdminBody(r, &auth); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		if !s.SetAuth(segs[1], auth) {
			adminError(w, http.StatusNotFound, "agent not found")
			return
		}
		a, _ := s.Agent(segs[1])
		writeJSON(w, http.StatusOK, a)

	case len(segs) == 1 && segs[0] == "counters":
		if method != http.MethodGet {
			adminError(w, http.StatusMethodNotAllowed, "use GET")
			return
		}
		writeJSON(w, http.StatusOK, s.Counts())

	case len(segs) == 2 && segs[0] == "counters" && segs[1] == "reset":
		if method != http.MethodPost {
			adminError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		s.ResetCounters()
		w.WriteHeader(http.StatusNoContent)

	case len(segs) == 1 && segs[0] == "requests":
		switch method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, requestsView(s.Requests()))
		case http.MethodDelete:
			s.ResetRequests()
			w.WriteHeader(http.StatusNoContent)
		default:
			adminError(w, http.StatusMethodNotAllowed, "use GET or DELETE")
		}

	case len(segs) == 1 && segs[0] == "clock":
		if method != http.MethodGet {
			adminError(w, http.StatusMethodNotAllowed, "use GET")
			return
		}
		writeJSON(w, http.StatusOK, clockView(s.now()))

	case len(segs) == 2 && segs[0] == "clock" && segs[1] == "advance":
		if method != http.MethodPost {
			adminError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		d, err := time.ParseDuration(q.Get("d"))
		if err != nil {
			adminError(w, http.StatusBadRequest, "d must be a duration such as 20m")
			return
		}
		s.clock.Advance(d)
		writeJSON(w, http.StatusOK, clockView(s.now()))

	case len(segs) == 1 && segs[0] == "latency":
		if method != http.MethodPost {
			adminError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		d, err := time.ParseDuration(q.Get("d"))
		if err != nil || d < 0 {
			adminError(w, http.StatusBadRequest, "d must be a duration such as 50ms")
			return
		}
		s.SetLatency(d)
		writeJSON(w, http.StatusOK, map[string]any{"latency": d.String()})

	case len(segs) == 1 && segs[0] == "fail-every":
		if method != http.MethodPost {
			adminError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		n, err := strconv.Atoi(q.Get("n"))
		if err != nil || n < 0 {
			adminError(w, http.StatusBadRequest, "n must be an integer >= 0")
			return
		}
		status := 0
		if v := q.Get("status"); v != "" {
			status, err = strconv.Atoi(v)
			if err != nil || status < 100 || status > 599 {
				adminError(w, http.StatusBadRequest, "status must be an HTTP status")
				return
			}
		}
		s.SetFailEvery(n, status, q.Get("code"), q.Get("retry_after"))
		writeJSON(w, http.StatusOK, map[string]any{"n": n, "status": status, "code": q.Get("code"), "retry_after": q.Get("retry_after")})

	case len(segs) == 1 && segs[0] == "concurrency":
		switch method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, s.Concurrency())
		case http.MethodPost:
			limit, err := strconv.Atoi(q.Get("limit"))
			if err != nil || limit < 0 {
				adminError(w, http.StatusBadRequest, "limit must be an integer >= 0 (0 turns the limit off)")
				return
			}
			s.SetConcurrencyLimit(limit, q.Get("retry_after"))
			writeJSON(w, http.StatusOK, s.Concurrency())
		default:
			adminError(w, http.StatusMethodNotAllowed, "use GET or POST")
		}

	case len(segs) == 1 && segs[0] == "faults":
		switch method {
		case http.MethodPost:
			var f Fault
			if err := decodeAdminBody(r, &f); err != nil {
				adminError(w, http.StatusBadRequest, err.Error())
				return
			}
			s.InjectFault(f)
			writeJSON(w, http.StatusOK, f)
		case http.MethodDelete:
			s.ClearFaults()
			w.WriteHeader(http.StatusNoContent)
		default:
			adminError(w, http.StatusMethodNotAllowed, "use POST or DELETE")
		}

	case len(segs) == 2 && segs[0] == "webrtc" && segs[1] == "join":
		if method != http.MethodPost {
			adminError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		var body struct {
			Token   string `json:"token"`
			AgentID string `json:"agent_id"`
		}
		if err := decodeAdminBody(r, &body); err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		requestID := w.Header().Get(headerRequestID)
		claims, reason := s.JoinWebRTC(body.Token, body.AgentID)
		switch reason {
		case "":
			writeJSON(w, http.StatusOK, map[string]any{"agent_id": claims.AgentID, "conversation_id": claims.ConversationID})
		case CodeAgentNotFound:
			writeAppError(w, http.StatusNotFound, reason, "The token's agent no longer exists.", requestID)
		default:
			writeAppError(w, http.StatusForbidden, reason, "The conversation token was refused: "+reason+".", requestID)
		}

	default:
		adminError(w, http.StatusNotFound, "no such admin endpoint")
	}
}

// maxSeed bounds one POST /_fake/seed-agents.
const maxSeed = 100000

// adminAgentSpec is the JSON form of an AgentSpec (the name comes apart).
type adminAgentSpec struct {
	Name     string         `json:"name"`
	Tags     []string       `json:"tags"`
	Archived bool           `json:"archived"`
	Auth     map[string]any `json:"auth"`
}

func (a adminAgentSpec) spec(name string) AgentSpec {
	return AgentSpec{Name: name, Tags: a.Tags, Archived: a.Archived, Auth: a.Auth}
}

// decodeAdminBody decodes a JSON body into v; an empty body leaves v as is.
func decodeAdminBody(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

func clockView(t time.Time) map[string]any {
	return map[string]any{"now": t.UTC().Format(time.RFC3339), "unix": t.Unix()}
}

func requestsView(reqs []RecordedRequest) []map[string]any {
	out := make([]map[string]any, len(reqs))
	for i, e := range reqs {
		out[i] = map[string]any{
			"method":     e.Method,
			"path":       e.Path,
			"raw_query":  e.RawQuery,
			"header":     e.Header,
			"body":       string(e.Body),
			"status":     e.Status,
			"route":      e.Route,
			"request_id": e.RequestID,
			"injected":   e.Injected,
			"time":       e.Time.UTC().Format(time.RFC3339Nano),
		}
	}
	return out
}
