package fakeapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// AdminHandler returns the admin API, for scripts that drive the fake from
// outside (the conformance suite in tools/conformance, scripts/demo.sh). It
// serves full paths under /_fake/ (mount it there), speaks JSON, needs no key,
// and is neither delayed, faulted nor recorded:
//
//	POST   /_fake/agents             {"name":..,"tags":[..],"archived":bool,"auth":{..}} -> {"agent_id":..}
//	GET    /_fake/agents/{id}        the stored agent
//	PUT    /_fake/agents/{id}/auth   replace platform_settings.auth (null removes it) -> the agent
//	POST   /_fake/faults             a Fault as JSON (InjectFault) -> the Fault
//	GET    /_fake/counters           {"METHOD pattern": n, ...}
//	GET    /_fake/concurrency        ConcurrencyStats
//
// Tests in Go use the Server's methods instead (CreateAgentWith, Agent,
// SetAuth, InjectFault, Counts, Concurrency and the rest). Each route answers
// its method (a GET route HEAD too, as net/http does); any other method gets
// 405 with an Allow header, an unknown path 404. Errors are {"error":"..."}
// with 400, 404 or 405.
func (s *Server) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	a := adminMux{mux}
	a.route("/_fake/agents", adminMethod{http.MethodPost, s.adminCreateAgent})
	a.route("/_fake/agents/{id}", adminMethod{http.MethodGet, s.adminGetAgent})
	a.route("/_fake/agents/{id}/auth", adminMethod{http.MethodPut, s.adminSetAuth})
	a.route("/_fake/faults", adminMethod{http.MethodPost, s.adminInjectFault})
	a.route("/_fake/counters", adminMethod{http.MethodGet, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Counts())
	}})
	a.route("/_fake/concurrency", adminMethod{http.MethodGet, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Concurrency())
	}})
	// Everything else, /_fake itself included. Registering "/" rather than
	// "/_fake/" keeps the mux from redirecting /_fake to /_fake/.
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		adminError(w, http.StatusNotFound, "no such admin endpoint")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setRequestID(w.Header(), newRequestID())
		mux.ServeHTTP(w, r)
	})
}

// adminMethod is one method a route answers.
type adminMethod struct {
	method  string
	handler http.HandlerFunc
}

type adminMux struct{ *http.ServeMux }

// route registers "METHOD path" for each method, and path alone (which the
// mux picks only when no method matched) for the JSON 405.
func (m adminMux) route(path string, methods ...adminMethod) {
	allow := make([]string, 0, len(methods)+1)
	for _, am := range methods {
		m.HandleFunc(am.method+" "+path, am.handler)
		allow = append(allow, am.method)
		if am.method == http.MethodGet {
			allow = append(allow, http.MethodHead)
		}
	}
	allowed := strings.Join(allow, ", ")
	m.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", allowed)
		adminError(w, http.StatusMethodNotAllowed, "use "+allowed)
	})
}

func adminError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": msg})
}

func (s *Server) adminCreateAgent(w http.ResponseWriter, r *http.Request) {
	var spec struct {
		Name     string         `json:"name"`
		Tags     []string       `json:"tags"`
		Archived bool           `json:"archived"`
		Auth     map[string]any `json:"auth"`
	}
	if err := decodeAdminBody(r, &spec); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	id := s.CreateAgentWith(AgentSpec{Name: spec.Name, Tags: spec.Tags, Archived: spec.Archived, Auth: spec.Auth})
	writeJSON(w, http.StatusOK, map[string]any{"agent_id": id})
}

func (s *Server) adminGetAgent(w http.ResponseWriter, r *http.Request) {
	a, ok := s.Agent(r.PathValue("id"))
	if !ok {
		adminError(w, http.StatusNotFound, "agent not found")
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) adminSetAuth(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var auth map[string]any
	if err := decodeAdminBody(r, &auth); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !s.SetAuth(id, auth) {
		adminError(w, http.StatusNotFound, "agent not found")
		return
	}
	a, _ := s.Agent(id)
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) adminInjectFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := decodeAdminBody(r, &f); err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.InjectFault(f)
	writeJSON(w, http.StatusOK, f)
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
