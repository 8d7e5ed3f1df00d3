package fakeapi

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
)

// Page sizes of the list endpoint.
const (
	DefaultPageSize = 30
	MaxPageSize     = 100
)

// DefaultVoiceID is the voice_id a summary reports for an agent whose
// conversation_config.tts.voice_id is not a string.
const DefaultVoiceID = "cjVigY5qzO86Huf0OWal"

const cursorPrefix = "fakecursor:"

// encodeCursor makes an opaque cursor that points after the agent with
// creation sequence seq. A cursor stays valid when agents are created or
// deleted between pages: the list is ordered by creation, newest first.
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

// parseQueryBool reads a boolean query parameter as pydantic does (true,
// false, 1, 0, yes, no, on, off, t, f, y, n; any case).
func parseQueryBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on", "t", "y":
		return true, true
	case "false", "0", "no", "off", "f", "n":
		return false, true
	}
	return false, false
}

// listQuery is a parsed GET /v1/convai/agents query.
type listQuery struct {
	pageSize int
	after    uint64 // 0: from the newest
	search   string // lower case; "" matches every name
	archived bool   // list archived agents (true) or the others (false)
}

// parseListQuery reads page_size (1..100, default 30), cursor, search and
// archived (default false), or returns the 422 issues for them.
func parseListQuery(q map[string][]string) (listQuery, []ValidationIssue) {
	get := func(k string) (string, bool) {
		v, ok := q[k]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	}
	lq := listQuery{pageSize: DefaultPageSize}
	var issues []ValidationIssue
	if v, ok := get("page_size"); ok {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			issues = append(issues, ValidationIssue{Loc: loc("query", "page_size"), Msg: "Input should be a valid integer, unable to parse string as an integer", Type: "int_parsing"})
		case n < 1:
			issues = append(issues, ValidationIssue{Loc: loc("query", "page_size"), Msg: "Input should be greater than or equal to 1", Type: "greater_than_equal"})
		case n > MaxPageSize:
			issues = append(issues, ValidationIssue{Loc: loc("query", "page_size"), Msg: "Input should be less than or equal to 100", Type: "less_than_equal"})
		default:
			lq.pageSize = n
		}
	}
	if v, _ := get("cursor"); v != "" {
		n, ok := decodeCursor(v)
		if !ok {
			issues = append(issues, ValidationIssue{Loc: loc("query", "cursor"), Msg: "Value error, invalid cursor", Type: "value_error"})
		}
		lq.after = n
	}
	if v, ok := get("archived"); ok {
		b, ok := parseQueryBool(v)
		if !ok {
			issues = append(issues, ValidationIssue{Loc: loc("query", "archived"), Msg: "Input should be a valid boolean, unable to interpret input", Type: "bool_parsing"})
		}
		lq.archived = b
	}
	v, _ := get("search")
	lq.search = strings.ToLower(v)
	return lq, issues
}

// handleListAgents serves one page of summaries, newest first. search keeps
// the agents whose name contains it, ignoring case; archived=true lists only
// archived agents, and archived=false or no archived parameter only the
// others (the OpenAPI default of the parameter is false).
func (s *Server) handleListAgents(c *call) {
	lq, issues := parseListQuery(c.r.URL.Query())
	if len(issues) > 0 {
		writeValidation(c.w, issues)
		return
	}
	summaries := make([]map[string]any, 0, lq.pageSize)
	var nextCursor any
	hasMore := false
	after := lq.after
	s.mu.Lock()
	for _, id := range s.sortedIDsLocked() {
		e := s.agents[id]
		if after != 0 && e.seq >= after {
			continue
		}
		if e.archived != lq.archived {
			continue
		}
		if lq.search != "" {
			n, _ := e.data["name"].(string)
			if !strings.Contains(strings.ToLower(n), lq.search) {
				continue
			}
		}
		if len(summaries) == lq.pageSize {
			hasMore = true
			break
		}
		summaries = append(summaries, summarize(id, e))
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

// summarize builds an AgentSummaryResponseModel with every key the official
// SDK requires (agent_id, name, voice_id, tags, created_at_unix_secs,
// access_info) plus last_call_time_unix_secs and archived: no platform
// settings, no auth. It copies what it takes, so it may be marshalled outside
// the lock.
func summarize(id string, e *agentEntry) map[string]any {
	data := e.data
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
	voice := DefaultVoiceID
	if cc, ok := data["conversation_config"].(map[string]any); ok {
		if tts, ok := cc["tts"].(map[string]any); ok {
			if v, ok := tts["voice_id"].(string); ok {
				voice = v
			}
		}
	}
	return map[string]any{
		"agent_id":             id,
		"name":                 deepCopy(name),
		"voice_id":             voice,
		"tags":                 tags,
		"created_at_unix_secs": created,
		"access_info": map[string]any{
			"is_creator":    true,
			"creator_name":  "Fake User",
			"creator_email": "fake@example.com",
			"role":          "admin",
		},
		"last_call_time_unix_secs": nil,
		"archived":                 e.archived,
	}
}
