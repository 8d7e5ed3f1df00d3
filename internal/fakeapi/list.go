package fakeapi

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
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

// The list's sort_by values (CONTRACT.md, "Listing agents"; the SDK's
// AgentSortBy) and sort_direction values (SortDirection, default desc).
const (
	SortByName        = "name"
	SortByCreatedAt   = "created_at"
	SortByCallCount7d = "call_count_7d"
)

// FakeUserID is the id of the one user the fake knows: the owner of its key
// and the creator of every agent. created_by_user_id=@me or this id keeps
// every agent, any other id none; show_only_owned_agents=true keeps every
// agent (all are the caller's own).
const FakeUserID = "fake_user_0000000000000000000001"

const cursorPrefix = "fakecursor:"

// sortKey is an agent's place in a list order: the sort field (S for name, N
// for created_at; call_count_7d is 0 for every agent of the fake, which
// records no calls), then its creation sequence, so that no two agents tie.
type sortKey struct {
	S   string `json:"s,omitempty"`
	N   int64  `json:"n,omitempty"`
	Seq uint64 `json:"q"`
}

func compareKeys(a, b sortKey) int {
	return cmp.Or(strings.Compare(a.S, b.S), cmp.Compare(a.N, b.N), cmp.Compare(a.Seq, b.Seq))
}

// cursorPos is what a cursor holds: the order it was made for and the key
// of the last agent of its page. The next page starts after that key, so a
// cursor stays valid when agents are created or deleted between pages.
type cursorPos struct {
	SortBy string  `json:"by,omitempty"`
	Asc    bool    `json:"asc,omitempty"`
	After  sortKey `json:"after"`
}

func encodeCursor(c cursorPos) string {
	b, _ := json.Marshal(c) // plain strings and numbers
	return base64.RawURLEncoding.EncodeToString(append([]byte(cursorPrefix), b...))
}

func decodeCursor(s string) (cursorPos, bool) {
	var c cursorPos
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return c, false
	}
	return c, json.Unmarshal(b[len(cursorPrefix):], &c) == nil
}

// listQuery is a parsed GET /v1/convai/agents query.
type listQuery struct {
	pageSize int
	after    *sortKey // nil: from the start
	search   string   // lower case; "" matches every name
	archived bool     // list archived agents (true) or the others (false)
	// sortBy is "" (no sort_by: creation order) or a SortBy value.
	sortBy string
	asc    bool
	// noneCreated is a created_by_user_id of another user than the fake's.
	noneCreated bool
}

// key is e's place in the order lq asks for.
func (lq listQuery) key(e *agentEntry) sortKey {
	k := sortKey{Seq: e.seq}
	switch lq.sortBy {
	case SortByName:
		k.S, _ = e.data["name"].(string)
	case SortByCreatedAt:
		if md, ok := e.data["metadata"].(map[string]any); ok {
			if n, ok := md["created_at_unix_secs"].(json.Number); ok {
				k.N, _ = n.Int64()
			}
		}
	}
	return k
}

// before reports whether a comes before b in the order lq asks for.
func (lq listQuery) before(a, b sortKey) bool {
	if lq.asc {
		return compareKeys(a, b) < 0
	}
	return compareKeys(a, b) > 0
}

// enumIssue is pydantic's 422 issue for a query value outside an enumeration.
func enumIssue(name, expected string) ValidationIssue {
	return ValidationIssue{Loc: loc("query", name), Msg: "Input should be " + expected, Type: "enum"}
}

// parseListQuery reads page_size (1..100, default 30), cursor, search,
// archived (default false), sort_by, sort_direction (default desc),
// created_by_user_id and show_only_owned_agents, or returns the 422 issues
// for them. A cursor made for another order is refused as invalid.
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
	if v, ok := get("sort_by"); ok {
		switch v {
		case SortByName, SortByCreatedAt, SortByCallCount7d:
			lq.sortBy = v
		default:
			issues = append(issues, enumIssue("sort_by", "'name', 'created_at' or 'call_count_7d'"))
		}
	}
	if v, ok := get("sort_direction"); ok {
		switch v {
		case "asc":
			lq.asc = true
		case "desc":
		default:
			issues = append(issues, enumIssue("sort_direction", "'asc' or 'desc'"))
		}
	}
	if v, _ := get("cursor"); v != "" {
		c, ok := decodeCursor(v)
		if !ok || c.SortBy != lq.sortBy || c.Asc != lq.asc {
			issues = append(issues, ValidationIssue{Loc: loc("query", "cursor"), Msg: "Value error, invalid cursor", Type: "value_error"})
		}
		lq.after = &c.After
	}
	if v, ok := get("archived"); ok {
		lq.archived = queryBool("archived", v, &issues)
	}
	if v, ok := get("show_only_owned_agents"); ok {
		queryBool("show_only_owned_agents", v, &issues) // every agent is the caller's own
	}
	if v, ok := get("created_by_user_id"); ok && v != "@me" && v != FakeUserID {
		lq.noneCreated = true
	}
	v, _ := get("search")
	lq.search = strings.ToLower(v)
	return lq, issues
}

// handleListAgents serves one page of summaries in the order sort_by and
// sort_direction ask for (without sort_by: by creation; either way newest
// or greatest first unless sort_direction=asc; ties by creation). search
// keeps the agents whose name contains it, ignoring case; archived=true lists
// only the agents whose platform_settings.archived is true, and
// archived=false or no archived parameter only the others (the OpenAPI
// default of the parameter is false).
func (s *Server) handleListAgents(c *call) {
	lq, issues := parseListQuery(c.r.URL.Query())
	if len(issues) > 0 {
		writeValidation(c.w, issues)
		return
	}
	type listed struct {
		id  string
		e   *agentEntry
		key sortKey
	}
	s.mu.Lock()
	var match []listed
	for id, e := range s.agents {
		if lq.noneCreated || isArchived(e.data) != lq.archived {
			continue
		}
		if lq.search != "" {
			n, _ := e.data["name"].(string)
			if !strings.Contains(strings.ToLower(n), lq.search) {
				continue
			}
		}
		k := lq.key(e)
		if lq.after != nil && !lq.before(*lq.after, k) {
			continue
		}
		match = append(match, listed{id, e, k})
	}
	sort.Slice(match, func(i, j int) bool { return lq.before(match[i].key, match[j].key) })
	hasMore := len(match) > lq.pageSize
	match = match[:min(len(match), lq.pageSize)]
	summaries := make([]map[string]any, 0, len(match))
	for _, m := range match {
		summaries = append(summaries, summarize(m.id, m.e))
	}
	s.mu.Unlock()
	var nextCursor any
	if hasMore {
		nextCursor = encodeCursor(cursorPos{SortBy: lq.sortBy, Asc: lq.asc, After: match[len(match)-1].key})
	}
	writeJSON(c.w, http.StatusOK, map[string]any{
		"agents":      summaries,
		"next_cursor": nextCursor,
		"has_more":    hasMore,
	})
}

// summarize builds an AgentSummaryResponseModel with every key the official
// SDK requires (agent_id, name, voice_id, tags, created_at_unix_secs,
// access_info) plus last_call_time_unix_secs and archived (the agent's
// platform_settings.archived): no platform settings, no auth. It copies what
// it takes, so it may be marshalled outside the lock.
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
		"archived":                 isArchived(data),
	}
}
