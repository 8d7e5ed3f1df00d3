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
	// MaxPageSize is the largest page the API serves, and the one listPages asks for.
	MaxPageSize = 100
	// MaxListPages bounds how many pages listPages reads, and with pages of
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

// listPages reads every page of the list, following next_cursor while
// has_more is true, and hands each page's new summaries to onPage, in list
// order, as soon as the page arrives. An agent listed twice (the list moved
// under the cursor) is handed over once. A page that says has_more without a
// next_cursor, a cursor the server already gave, more than MaxListPages pages,
// a page of more than MaxPageSize summaries, or a summary without a usable
// agent_id (CheckAgentID) is an error: the list is never cut short silently
// and never loops.
func (c *Client) listPages(ctx context.Context, f ListFilter, onPage func([]AgentSummary)) error {
	seenID := map[string]bool{}
	seenCursor := map[string]bool{}
	cursor := ""
	total := 0
	for page := 1; ; page++ {
		p, err := c.listPage(ctx, f, cursor)
		if err != nil {
			return err
		}
		if len(p.Agents) > MaxPageSize {
			return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists %d agents, more than the page_size of %d "+
				"asked for; stopped instead of reading an unbounded list", page, len(p.Agents), MaxPageSize)
		}
		fresh := make([]AgentSummary, 0, len(p.Agents))
		for _, a := range p.Agents {
			if a.AgentID == "" {
				return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists an agent without an agent_id", page)
			}
			if err := CheckAgentID(a.AgentID); err != nil {
				return fmt.Errorf("ElevenLabs API: GET /v1/convai/agents page %d lists an agent id that cannot be used as a URL path segment: %w", page, err)
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
