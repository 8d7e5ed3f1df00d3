package elevenlabs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Paging of GET /v1/convai/agents (CONTRACT.md, "Listing agents").
const (
	// MaxPageSize is the largest page the API serves, and the one the pager asks for.
	MaxPageSize = 100
	// MaxListPages bounds how many pages the pager reads, and with pages of
	// at most MaxPageSize summaries how many agents (100,000), so that a server
	// that keeps answering has_more with fresh cursors, or ignores page_size,
	// cannot keep a plan running for ever.
	MaxListPages = 1000
)

// AgentSummary is one entry of the agent list; it carries no auth settings.
type AgentSummary struct {
	AgentID              string   `json:"agent_id"`
	Name                 string   `json:"name"`
	Tags                 []string `json:"tags"`
	CreatedAtUnixSecs    int64    `json:"created_at_unix_secs"`
	LastCallTimeUnixSecs *int64   `json:"last_call_time_unix_secs"`
	// Archived is false when the summary omits it (its documented default).
	Archived bool `json:"archived"`
}

// AgentsPage is one page of GET /v1/convai/agents.
type AgentsPage struct {
	Agents     []AgentSummary
	NextCursor *string
	HasMore    bool
}

// pageFields are the members of a list page (CONTRACT.md, "Listing agents";
// the SDK's GetAgentsPageResponseModel): agents and has_more are required.
var pageFields = []field{
	{name: "agents", kind: kindArray},
	{name: "has_more", kind: kindBool},
	{name: "next_cursor", kind: kindString, optional: true, nullable: true},
}

// summaryFields are the members of an agent summary (the SDK's
// AgentSummaryResponseModel): every key the official SDK requires is
// required here too, so the provider never trusts a summary the SDK refuses.
var summaryFields = []field{
	{name: "agent_id", kind: kindString},
	{name: "name", kind: kindString},
	{name: "voice_id", kind: kindString},
	{name: "tags", kind: kindStringArray},
	{name: "created_at_unix_secs", kind: kindInteger},
	{name: "access_info", kind: kindObject, fields: []field{
		{name: "is_creator", kind: kindBool},
		{name: "creator_name", kind: kindString},
		{name: "creator_email", kind: kindString},
		{name: "role", kind: kindString},
	}},
	{name: "last_call_time_unix_secs", kind: kindInteger, optional: true, nullable: true},
	{name: "archived", kind: kindBool, optional: true, nullable: true},
}

// ListFilter holds the list parameters passed to the API as they are.
type ListFilter struct {
	// Search keeps agents whose name matches (the API's own matching); "" sends none.
	Search string
	// Archived, when set, is sent as archived=true|false; nil sends none (the
	// API's default, which the OpenAPI document gives as false).
	Archived *bool
}

func (f ListFilter) query() url.Values {
	q := url.Values{}
	if f.Search != "" {
		q.Set("search", f.Search)
	}
	if f.Archived != nil {
		q.Set("archived", strconv.FormatBool(*f.Archived))
	}
	return q
}

// listPage reads page number page (1 for the first) of MaxPageSize summaries
// from cursor ("" for the first), checked by decodePage.
func (c *Client) listPage(ctx context.Context, f ListFilter, page int, cursor string) (*AgentsPage, error) {
	q := f.query()
	q.Set("page_size", strconv.Itoa(MaxPageSize))
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, "/v1/convai/agents", q, nil, &raw); err != nil {
		return nil, err
	}
	return c.decodePage(raw, page)
}

// decodePage reads a list page strictly (pageFields, summaryFields): an
// answer without an agents array or without has_more, or a summary without
// one of its required keys, is an error naming the page, the agent and the
// field, never an empty or shorter list. A page of more than MaxPageSize
// summaries, or a summary whose agent_id cannot be a path segment
// (CheckAgentID), is an error too.
func (c *Client) decodePage(raw json.RawMessage, page int) (*AgentsPage, error) {
	members, problem := objectMembers(raw, "the answer")
	if problem == "" {
		problem = checkFields(members, "", pageFields)
	}
	if problem != "" {
		return nil, c.pageError(page, problem)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(members["agents"], &items); err != nil {
		return nil, c.pageError(page, "agents is not a JSON array")
	}
	if len(items) > MaxPageSize {
		return nil, fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists %d agents, more than the page_size of %d "+
			"asked for; stopped instead of reading an unbounded list", page, len(items), MaxPageSize)
	}
	p := &AgentsPage{Agents: make([]AgentSummary, 0, len(items))}
	_ = json.Unmarshal(members["has_more"], &p.HasMore)       // checked: a boolean
	_ = json.Unmarshal(members["next_cursor"], &p.NextCursor) // checked: a string, null or missing
	for i, item := range items {
		s, err := c.decodeSummary(item, page, i+1)
		if err != nil {
			return nil, err
		}
		p.Agents = append(p.Agents, s)
	}
	return p, nil
}

// decodeSummary reads entry n of page strictly.
func (c *Client) decodeSummary(raw json.RawMessage, page, n int) (AgentSummary, error) {
	var s AgentSummary
	entry := fmt.Sprintf("entry %d of agents", n)
	members, problem := objectMembers(raw, entry)
	if problem == "" {
		if problem = checkFields(members, "", summaryFields); problem != "" {
			// Name the agent by its id when it has a usable one.
			var id string
			if json.Unmarshal(members["agent_id"], &id) == nil && CheckAgentID(id) == nil {
				entry = fmt.Sprintf("agent %s (%s)", c.mask(id), entry)
			}
			problem = entry + ": " + problem
		}
	}
	if problem != "" {
		return s, c.pageError(page, problem)
	}
	if err := decodeChecked(members, summaryFields, &s); err != nil {
		return s, c.pageError(page, entry+" is not the documented summary: "+c.mask(err.Error()))
	}
	if err := CheckAgentID(s.AgentID); err != nil {
		var ie *AgentIDError
		if errors.As(err, &ie) {
			ie.ID = c.mask(ie.ID) // the server chose it: it may echo a secret
		}
		return s, fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists an agent id that cannot be used as a URL path segment: %w", page, err)
	}
	// An id goes into messages, URLs and the state: one that holds a secret
	// the client knows (an echo of the key, a token or a signature) is refused.
	if masked := c.mask(s.AgentID); masked != s.AgentID {
		return s, c.pageError(page, fmt.Sprintf("%s: agent_id %q holds a secret (the API key, a proxy credential, "+
			"a token or a signature), which no agent id does", entry, masked))
	}
	return s, nil
}

// pageError is the error for page of the list whose answer has problem.
func (c *Client) pageError(page int, problem string) error {
	return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d: %s. The answer is not the documented list of agents, "+
		"so it is not used: a list that cannot be trusted fails the read, it never reads as fewer agents", page, problem)
}

// pager reads the list page by page, following next_cursor while has_more
// is true; next returns each page's new summaries in list order. An agent
// listed twice (the list moved under the cursor) is returned once. A page that
// decodePage refuses, a page that says has_more without a next_cursor, a
// cursor the server already gave, or more than MaxListPages pages is an
// error: the list is never cut short silently and never loops. A pager is not safe for
// concurrent use: one page at a time.
type pager struct {
	c          *Client
	f          ListFilter
	seenID     map[string]bool
	seenCursor map[string]bool
	cursor     string
	page       int // pages read
	total      int // summaries returned
	done       bool
}

func (c *Client) newPager(f ListFilter) *pager {
	return &pager{c: c, f: f, seenID: map[string]bool{}, seenCursor: map[string]bool{}}
}

// next reads the next page; call it only while done is false.
func (pg *pager) next(ctx context.Context) ([]AgentSummary, error) {
	pg.page++
	page := pg.page
	p, err := pg.c.listPage(ctx, pg.f, page, pg.cursor)
	if err != nil {
		return nil, err
	}
	fresh := make([]AgentSummary, 0, len(p.Agents))
	for _, a := range p.Agents {
		if pg.seenID[a.AgentID] {
			continue
		}
		pg.seenID[a.AgentID] = true
		fresh = append(fresh, a)
	}
	pg.total += len(fresh)
	if !p.HasMore {
		pg.done = true
		return fresh, nil
	}
	switch {
	case p.NextCursor == nil || *p.NextCursor == "":
		return nil, fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d says has_more but gives no next_cursor; "+
			"the rest of the list cannot be read", page)
	case pg.seenCursor[*p.NextCursor] || *p.NextCursor == pg.cursor:
		return nil, fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d repeats an earlier next_cursor; "+
			"stopped instead of reading the same pages again", page)
	case page >= MaxListPages:
		return nil, fmt.Errorf("ElevenLabs API: GET /v1/convai/agents still has more after %d pages (%d agents); "+
			"stopped: narrow the list with search", page, pg.total)
	}
	pg.seenCursor[*p.NextCursor] = true
	pg.cursor = *p.NextCursor
	return fresh, nil
}
