package fakeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// agentEntry is one stored agent: generic JSON, so that unknown fields survive
// and tests can plant odd-but-possible data.
type agentEntry struct {
	data map[string]any
	seq  uint64 // creation order; newest has the highest
}

// isArchived is the agent's platform_settings.archived (false when it is
// missing or not a boolean): the list's archived filter and the summaries'
// archived read it, and a PATCH of it moves the agent between the lists.
func isArchived(data map[string]any) bool {
	ps, _ := data["platform_settings"].(map[string]any)
	b, _ := ps["archived"].(bool)
	return b
}

// decodeJSON decodes one JSON value, keeping numbers as json.Number, and
// refuses trailing data.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

// normalize turns any JSON-marshalable map into plain JSON types
// (map[string]any, []any, string, json.Number, bool, nil).
func normalize(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("fakeapi: agent data is not JSON: %v", err))
	}
	v, err := decodeJSON(b)
	if err != nil {
		panic(fmt.Sprintf("fakeapi: agent data is not JSON: %v", err))
	}
	out, _ := v.(map[string]any)
	return out
}

// deepCopy copies maps and slices of plain JSON values.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return deepCopyMap(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}

func deepCopyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopy(v)
	}
	return out
}

// defaultAuth is the auth block of a new agent: public.
func defaultAuth() map[string]any {
	return map[string]any{
		"enable_auth":           false,
		"allowlist":             []any{},
		"require_origin_header": false,
		"shareable_token":       nil,
	}
}

// defaultAgent returns a new agent as the API would store it.
func defaultAgent(id, name string, now time.Time) map[string]any {
	ts := now.Unix()
	return map[string]any{
		"agent_id": id,
		"name":     name,
		"conversation_config": map[string]any{
			"agent": map[string]any{"first_message": "Hi", "language": "en"},
		},
		"metadata": map[string]any{
			"created_at_unix_secs": ts,
			"updated_at_unix_secs": ts,
		},
		"platform_settings": map[string]any{
			"auth": defaultAuth(),
			"call_limits": map[string]any{
				"agent_concurrency_limit": -1,
				"daily_limit":             100000,
				"bursting_enabled":        true,
			},
			"widget": map[string]any{
				"variant":   "full",
				"placement": "bottom-right",
				"avatar":    map[string]any{"type": "orb"},
			},
			"archived": false,
		},
		"tags": []any{},
	}
}

// insertLocked stores data under id as a new agent (or replaces an existing
// one, keeping its position in the list order). s.mu must be held.
func (s *Server) insertLocked(id string, data map[string]any) {
	if e, ok := s.agents[id]; ok {
		e.data = data
		return
	}
	s.seq++
	s.agents[id] = &agentEntry{data: data, seq: s.seq}
}

// CreateAgent stores a new agent with the given name and default settings
// (public auth) without HTTP, and returns its id.
func (s *Server) CreateAgent(name string) string {
	id := newAgentID()
	data := defaultAgent(id, name, s.now())
	s.mu.Lock()
	s.insertLocked(id, normalize(data))
	s.mu.Unlock()
	return id
}

// AgentSpec describes an agent planted out of band by CreateAgentWith and
// SeedAgents.
type AgentSpec struct {
	// Name is the agent's name ("" is stored as is).
	Name string
	// Tags are stored in the agent's top-level tags.
	Tags []string
	// Archived sets platform_settings.archived: the agent is listed only
	// with archived=true.
	Archived bool
	// Auth, when non-nil, replaces platform_settings.auth as given, with no
	// validation (as SetAuth); nil keeps the public default.
	Auth map[string]any
}

// CreateAgentWith stores a new agent built from spec without HTTP and
// returns its id.
func (s *Server) CreateAgentWith(spec AgentSpec) string {
	return s.SeedAgents(1, func(int) AgentSpec { return spec })[0]
}

// SeedAgents stores n new agents, the i-th built from spec(i), under one lock
// (fast enough for thousands), and returns their ids in creation order: the
// last one is listed first.
func (s *Server) SeedAgents(n int, spec func(i int) AgentSpec) []string {
	now := s.now()
	ids := make([]string, n)
	entries := make([]map[string]any, n)
	for i := range n {
		sp := spec(i)
		ids[i] = newAgentID()
		data := defaultAgent(ids[i], sp.Name, now)
		if sp.Tags != nil {
			tags := make([]any, len(sp.Tags))
			for j, t := range sp.Tags {
				tags[j] = t
			}
			data["tags"] = tags
		}
		ps := data["platform_settings"].(map[string]any)
		if sp.Auth != nil {
			ps["auth"] = sp.Auth
		}
		ps["archived"] = sp.Archived
		entries[i] = normalize(data)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, id := range ids {
		s.insertLocked(id, entries[i])
	}
	return ids
}

// SetArchived sets platform_settings.archived of agent id (created if it
// is missing or not an object), as a PATCH of it would; it reports whether
// the agent exists.
func (s *Server) SetArchived(id string, archived bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.agents[id]
	if ok {
		ps, isObj := e.data["platform_settings"].(map[string]any)
		if !isObj {
			ps = map[string]any{}
			e.data["platform_settings"] = ps
		}
		ps["archived"] = archived
	}
	return ok
}

// PutAgent stores agent under id exactly as given (after a JSON round trip),
// with no validation: drift tests may plant anything. It does not add
// agent_id or metadata. A new id is listed as the newest agent.
func (s *Server) PutAgent(id string, agent map[string]any) {
	data := normalize(agent)
	if data == nil {
		data = map[string]any{}
	}
	s.mu.Lock()
	s.insertLocked(id, data)
	s.mu.Unlock()
}

// Agent returns a deep copy of the stored agent.
func (s *Server) Agent(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.agents[id]
	if !ok {
		return nil, false
	}
	return deepCopyMap(e.data), true
}

// SetAuth replaces platform_settings.auth of agent id wholesale, with no
// validation (both methods on, odd hostnames, anything). A nil auth removes
// the auth key. platform_settings is created if it is missing or not an
// object. It reports whether the agent exists.
func (s *Server) SetAuth(id string, auth map[string]any) bool {
	var a map[string]any
	if auth != nil {
		a = normalize(auth)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.agents[id]
	if !ok {
		return false
	}
	ps, ok := e.data["platform_settings"].(map[string]any)
	if !ok {
		ps = map[string]any{}
		e.data["platform_settings"] = ps
	}
	if auth == nil {
		delete(ps, "auth")
	} else {
		ps["auth"] = a
	}
	return true
}

// DeleteAgentOOB removes agent id without HTTP; it reports whether it existed.
func (s *Server) DeleteAgentOOB(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.agents[id]
	delete(s.agents, id)
	return ok
}

// AgentCount returns the number of stored agents.
func (s *Server) AgentCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.agents)
}
