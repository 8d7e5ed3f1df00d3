package elevenlabs

import (
	"context"
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

// listPage reads one page of MaxPageSize summaries from cursor ("" for the first).
func (c *Client) listPage(ctx context.Context, f ListFilter, cursor string) (*AgentsPage, error) {
	q := f.query()
	q.Set("page_size", strconv.Itoa(MaxPageSize))
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var p AgentsPage
	if err := c.do(ctx, http.MethodGet, "/v1/convai/agents", q, nil, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// pager reads the list page by page, following next_cursor while has_more
// is true; next returns each page's new summaries in list order. An agent
// listed twice (the list moved under the cursor) is returned once. A page that
// says has_more without a next_cursor, a cursor the server already gave, more
// than MaxListPages pages, a page of more than MaxPageSize summaries, or a
// summary without a usable agent_id (CheckAgentID) is an error: the list is
// never cut short silently and never loops. A pager is not safe for
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
	p, err := pg.c.listPage(ctx, pg.f, pg.cursor)
	if err != nil {
		return nil, err
	}
	if len(p.Agents) > MaxPageSize {
		return nil, fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists %d agents, more than the page_size of %d "+
			"asked for; stopped instead of reading an unbounded list", page, len(p.Agents), MaxPageSize)
	}
	fresh := make([]AgentSummary, 0, len(p.Agents))
	for _, a := range p.Agents {
		if a.AgentID == "" {
			return nil, fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists an agent without an agent_id", page)
		}
		if err := CheckAgentID(a.AgentID); err != nil {
			return nil, fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists an agent id that cannot be used as a URL path segment: %w", page, err)
		}
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
