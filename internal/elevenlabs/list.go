package elevenlabs

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"unicode"
)

// Paging of GET /v1/convai/agents (CONTRACT.md, "Listing agents").
const (
	// MaxPageSize is the largest page the API serves, and the one ListAllAgents asks for.
	MaxPageSize = 100
	// MaxListPages bounds how many pages ListAllAgents reads (100,000 agents at
	// MaxPageSize), so that a server that keeps answering has_more with fresh
	// cursors cannot keep a plan running for ever.
	MaxListPages = 1000
)

// AgentSummary is one entry of the agent list; it carries no auth settings.
type AgentSummary struct {
	AgentID              string   `json:"agent_id"`
	Name                 string   `json:"name"`
	Tags                 []string `json:"tags"`
	CreatedAtUnixSecs    int64    `json:"created_at_unix_secs"`
	LastCallTimeUnixSecs *int64   `json:"last_call_time_unix_secs"`
	Archived             bool     `json:"archived"`
}

// AgentsPage is one page of GET /v1/convai/agents.
type AgentsPage struct {
	Agents     []AgentSummary `json:"agents"`
	NextCursor *string        `json:"next_cursor"`
	HasMore    bool           `json:"has_more"`
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

// ListAgents reads one page; pageSize 0 lets the API choose (30), otherwise 1..100.
func (c *Client) ListAgents(ctx context.Context, f ListFilter, pageSize int, cursor string) (*AgentsPage, error) {
	q := f.query()
	if pageSize != 0 {
		if pageSize < 1 || pageSize > MaxPageSize {
			return nil, fmt.Errorf("page size %d out of range: the API accepts 1 to %d", pageSize, MaxPageSize)
		}
		q.Set("page_size", strconv.Itoa(pageSize))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var p AgentsPage
	if err := c.do(ctx, http.MethodGet, "/v1/convai/agents", q, nil, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListAllAgents reads every page of the list at MaxPageSize, following
// next_cursor while has_more is true, and returns the summaries in list order.
// An agent listed twice (the list moved under the cursor) is kept once. A page
// that says has_more without a next_cursor, a cursor the server already gave,
// more than MaxListPages pages, or a summary without an agent_id is an error:
// the list is never cut short silently and never loops.
func (c *Client) ListAllAgents(ctx context.Context, f ListFilter) ([]AgentSummary, error) {
	var all []AgentSummary
	err := c.listPages(ctx, f, func(page []AgentSummary) { all = append(all, page...) })
	if err != nil {
		return nil, err
	}
	return all, nil
}

// listPages is ListAllAgents handing each page's new summaries to onPage as
// soon as the page arrives.
func (c *Client) listPages(ctx context.Context, f ListFilter, onPage func([]AgentSummary)) error {
	seenID := map[string]bool{}
	seenCursor := map[string]bool{}
	cursor := ""
	total := 0
	for page := 1; ; page++ {
		p, err := c.ListAgents(ctx, f, MaxPageSize, cursor)
		if err != nil {
			return err
		}
		fresh := make([]AgentSummary, 0, len(p.Agents))
		for _, a := range p.Agents {
			if a.AgentID == "" {
				return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists an agent without an agent_id", page)
			}
			if !listedIDOK(a.AgentID) {
				return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists an agent whose agent_id %q is not a "+
					"bare id (it has whitespace, '/', '?', '#', a control character, or more than %d bytes)",
					page, truncate(a.AgentID, maxListedID), maxListedID)
			}
			if seenID[a.AgentID] {
				continue
			}
			seenID[a.AgentID] = true
			fresh = append(fresh, a)
		}
		total += len(fresh)
		onPage(fresh)
		if !p.HasMore {
			return nil
		}
		switch {
		case p.NextCursor == nil || *p.NextCursor == "":
			return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d says has_more but gives no next_cursor; "+
				"the rest of the list cannot be read", page)
		case seenCursor[*p.NextCursor] || *p.NextCursor == cursor:
			return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d repeats an earlier next_cursor; "+
				"stopped instead of reading the same pages again", page)
		case page >= MaxListPages:
			return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents still has more after %d pages (%d agents); "+
				"stopped: narrow the list with search", page, total)
		}
		seenCursor[*p.NextCursor] = true
		cursor = *p.NextCursor
	}
}

// maxListedID bounds the length of an agent id taken from the list.
const maxListedID = 128

// listedIDOK reports whether a listed id can be used as one path segment:
// ids are opaque (CONTRACT.md, "Endpoints used"), but one with '/', '?', '#',
// whitespace or control characters would address another URL than the agent.
func listedIDOK(id string) bool {
	if len(id) > maxListedID {
		return false
	}
	for _, r := range id {
		if r == '/' || r == '?' || r == '#' || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
