package fakeapi

import (
	"net/http"
	"strconv"
)

// serverSetTopLevel are agent keys a client cannot set.
var serverSetTopLevel = []string{"agent_id", "metadata"}

func (s *Server) writeAgentNotFound(c *call, id string) {
	writeAppError(c.w, http.StatusNotFound, CodeAgentNotFound,
		"Agent with id "+strconv.Quote(id)+" was not found.", c.requestID)
}

// decodeBodyObject decodes the request body as a JSON object, or returns the
// 422 issues for it.
func decodeBodyObject(body []byte) (map[string]any, []ValidationIssue) {
	v, err := decodeJSON(body)
	if err != nil {
		return nil, []ValidationIssue{{Loc: loc("body"), Msg: "JSON decode error: " + err.Error(), Type: "json_invalid"}}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, []ValidationIssue{notObject(loc("body"))}
	}
	return m, nil
}

// stripServerSet removes keys the server sets (agent_id, metadata and
// platform_settings.auth.shareable_token) from a request body, in place.
func stripServerSet(body map[string]any) {
	for _, k := range serverSetTopLevel {
		delete(body, k)
	}
	if ps, ok := body["platform_settings"].(map[string]any); ok {
		if a, ok := ps["auth"].(map[string]any); ok {
			delete(a, "shareable_token")
		}
	}
}

// mergePatch deep-merges patch into dst: objects merge key by key, arrays and
// scalars replace, and null deletes the key (the contract's warning that a
// null nested object wipes it).
func mergePatch(dst, patch map[string]any) {
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(dst, k)
		case map[string]any:
			dm, ok := dst[k].(map[string]any)
			if !ok {
				dm = map[string]any{}
				dst[k] = dm
			}
			mergePatch(dm, pv)
		default:
			dst[k] = deepCopy(v)
		}
	}
}

func (s *Server) handleGetAgent(c *call) {
	s.answerAgent(c, nil)
}

// answerAgent applies change (nil for a read) to the stored agent under the
// lock and answers with the whole agent, or 404 agent_not_found.
func (s *Server) answerAgent(c *call, change func(data map[string]any)) {
	s.mu.Lock()
	e, ok := s.agents[c.agentID]
	var b []byte
	var err error
	if ok {
		if change != nil {
			change(e.data)
		}
		b, err = marshalJSON(e.data)
	}
	s.mu.Unlock()
	if !ok {
		s.writeAgentNotFound(c, c.agentID)
		return
	}
	if err != nil {
		writeStringDetail(c.w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	writeRawJSON(c.w, http.StatusOK, b)
}

func (s *Server) handlePatchAgent(c *call) {
	patch, issues := decodeBodyObject(c.body)
	if issues == nil {
		if ps, ok := patch["platform_settings"]; ok {
			issues = validatePlatformSettings(ps, loc("body", "platform_settings"))
		}
	}
	if len(issues) > 0 {
		writeValidation(c.w, issues)
		return
	}
	stripServerSet(patch)
	now := s.now().Unix()

	s.answerAgent(c, func(data map[string]any) {
		mergePatch(data, patch)
		switch md := data["metadata"].(type) {
		case map[string]any:
			md["updated_at_unix_secs"] = now
		case nil:
			data["metadata"] = map[string]any{"updated_at_unix_secs": now}
		}
	})
}

func (s *Server) handleDeleteAgent(c *call) {
	s.mu.Lock()
	_, ok := s.agents[c.agentID]
	delete(s.agents, c.agentID)
	s.mu.Unlock()
	if !ok {
		s.writeAgentNotFound(c, c.agentID)
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleCreateAgent(c *call) {
	body, issues := decodeBodyObject(c.body)
	if issues == nil {
		switch cc, ok := body["conversation_config"]; {
		case !ok:
			issues = append(issues, ValidationIssue{Loc: loc("body", "conversation_config"), Msg: "Field required", Type: "missing"})
		default:
			if _, isObj := cc.(map[string]any); !isObj {
				issues = append(issues, notObject(loc("body", "conversation_config")))
			}
		}
		if n, ok := body["name"]; ok && n != nil {
			if _, isStr := n.(string); !isStr {
				issues = append(issues, ValidationIssue{Loc: loc("body", "name"), Msg: "Input should be a valid string", Type: "string_type"})
			}
		}
		if t, ok := body["tags"]; ok && t != nil {
			if arr, isArr := t.([]any); !isArr {
				issues = append(issues, ValidationIssue{Loc: loc("body", "tags"), Msg: "Input should be a valid list", Type: "list_type"})
			} else {
				for i, tag := range arr {
					if _, isStr := tag.(string); !isStr {
						issues = append(issues, ValidationIssue{Loc: loc("body", "tags", i), Msg: "Input should be a valid string", Type: "string_type"})
					}
				}
			}
		}
		if ps, ok := body["platform_settings"]; ok {
			issues = append(issues, validatePlatformSettings(ps, loc("body", "platform_settings"))...)
		}
	}
	if len(issues) > 0 {
		writeValidation(c.w, issues)
		return
	}
	stripServerSet(body)
	id := newAgentID()
	name := defaultAgentName
	if n, ok := body["name"].(string); ok {
		name = n
	}
	delete(body, "name")
	agent := normalize(defaultAgent(id, name, s.now()))
	// conversation_config is taken as given; platform_settings merges over
	// the defaults; anything else (tags, unknown fields) is stored.
	agent["conversation_config"] = body["conversation_config"]
	delete(body, "conversation_config")
	if t, ok := body["tags"]; !ok || t == nil {
		delete(body, "tags")
	}
	if ps, ok := body["platform_settings"]; ok && ps == nil {
		delete(body, "platform_settings")
	}
	mergePatch(agent, body)

	s.mu.Lock()
	s.insertLocked(id, agent)
	s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, map[string]any{"agent_id": id})
}
