package fakeapi

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
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

// Page sizes of the list endpoint.
const (
	DefaultPageSize = 30
	MaxPageSize     = 100
)

const cursorPrefix = "fakecursor:"

func encodeCursor(seq uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatUint(seq, 10)))
}

func decodeCursor(s string) (uint64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(string(b), cursorPrefix), 10, 64)
	return n, err == nil
}

func (s *Server) handleListAgents(c *call) {
	q := c.r.URL.Query()
	var issues []ValidationIssue
	pageSize := DefaultPageSize
	if q.Has("page_size") {
		n, err := strconv.Atoi(q.Get("page_size"))
		switch {
		case err != nil:
			issues = append(issues, ValidationIssue{Loc: loc("query", "page_size"), Msg: "Input should be a valid integer, unable to parse string as an integer", Type: "int_parsing"})
		case n < 1:
			issues = append(issues, ValidationIssue{Loc: loc("query", "page_size"), Msg: "Input should be greater than or equal to 1", Type: "greater_than_equal"})
		case n > MaxPageSize:
			issues = append(issues, ValidationIssue{Loc: loc("query", "page_size"), Msg: "Input should be less than or equal to 100", Type: "less_than_equal"})
		default:
			pageSize = n
		}
	}
	var after uint64 // 0: from the newest
	if cur := q.Get("cursor"); cur != "" {
		n, ok := decodeCursor(cur)
		if !ok {
			issues = append(issues, ValidationIssue{Loc: loc("query", "cursor"), Msg: "Value error, invalid cursor", Type: "value_error"})
		}
		after = n
	}
	if len(issues) > 0 {
		writeValidation(c.w, issues)
		return
	}
	search := strings.ToLower(q.Get("search"))

	summaries := make([]map[string]any, 0, pageSize)
	var nextCursor any
	hasMore := false
	s.mu.Lock()
	for _, id := range s.sortedIDsLocked() {
		e := s.agents[id]
		if after != 0 && e.seq >= after {
			continue
		}
		if search != "" {
			n, _ := e.data["name"].(string)
			if !strings.Contains(strings.ToLower(n), search) {
				continue
			}
		}
		if len(summaries) == pageSize {
			hasMore = true
			break
		}
		summaries = append(summaries, summarize(id, e.data))
		after = e.seq
	}
	s.mu.Unlock()
	if hasMore {
		nextCursor = encodeCursor(after)
	}
	writeJSON(c.w, http.StatusOK, map[string]any{
		"agents":      summaries,
		"next_cursor": nextCursor,
		"has_more":    hasMore,
	})
}

// summarize builds an AgentSummaryResponseModel: no platform settings, no auth.
// It copies what it takes, so it may be marshalled outside the lock.
func summarize(id string, data map[string]any) map[string]any {
	name := data["name"]
	if name == nil {
		name = ""
	}
	tags := deepCopy(data["tags"])
	if tags == nil {
		tags = []any{}
	}
	var created any = 0
	if md, ok := data["metadata"].(map[string]any); ok && md["created_at_unix_secs"] != nil {
		created = md["created_at_unix_secs"]
	}
	return map[string]any{
		"agent_id":             id,
		"name":                 deepCopy(name),
		"tags":                 tags,
		"created_at_unix_secs": created,
		"access_info": map[string]any{
			"is_creator":    true,
			"creator_name":  "Fake User",
			"creator_email": "fake@example.com",
			"role":          "admin",
		},
		"last_call_time_unix_secs": nil,
		"archived":                 false,
	}
}
