package elevenlabs

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func summaryJSON(id string) string {
	return fmt.Sprintf(`{"agent_id":%q,"name":"n","voice_id":"v","tags":[],"created_at_unix_secs":1,"access_info":{"is_creator":true,"creator_name":"a","creator_email":"a@b","role":"admin"}}`, id)
}

// listAll collects every summary the pager returns.
func listAll(c *Client, f ListFilter) ([]AgentSummary, error) {
	var all []AgentSummary
	for pg := c.newPager(f); !pg.done; {
		page, err := pg.next(context.Background())
		if err != nil {
			return all, err
		}
		all = append(all, page...)
	}
	return all, nil
}

func TestListPagesFollowsCursorAndPassesFilter(t *testing.T) {
	var calls []string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls = append(calls, r.URL.RawQuery)
		switch r.URL.Query().Get("cursor") {
		case "":
			writeJSON(w, 200, `{"agents":[`+summaryJSON("a1")+`],"next_cursor":"c2","has_more":true}`)
		default:
			// a1 again (the list moved under the cursor): kept once. A
			// next_cursor with has_more false is ignored (the OpenAPI example
			// has one).
			writeJSON(w, 200, `{"agents":[`+summaryJSON("a1")+`,`+summaryJSON("a2")+`],"next_cursor":"c3","has_more":false}`)
		}
	}))
	archived := true
	all, err := listAll(c, ListFilter{Search: "Support desk", Archived: &archived})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].AgentID != "a1" || all[1].AgentID != "a2" {
		t.Errorf("agents = %+v", all)
	}
	want := []string{"archived=true&page_size=100&search=Support+desk", "archived=true&cursor=c2&page_size=100&search=Support+desk"}
	if strings.Join(calls, " ") != strings.Join(want, " ") {
		t.Errorf("calls = %q, want %q", calls, want)
	}
	calls = nil
	if _, err := listAll(c, ListFilter{}); err != nil || calls[0] != "page_size=100" {
		t.Errorf("no filter: %v, calls %q", err, calls)
	}
}

// TestListPagesRefusesHostilePaging: each answer below would make a naive
// loop run for ever or stop early without saying so.
func TestListPagesRefusesHostilePaging(t *testing.T) {
	for name, tc := range map[string]struct {
		page    func(n int64, cursor string) string
		wantErr string
		maxReqs int64
	}{
		"same cursor again": {
			page:    func(int64, string) string { return `{"agents":[],"next_cursor":"same","has_more":true}` },
			wantErr: "page 2 repeats an earlier next_cursor",
			maxReqs: 2,
		},
		"cycle of two cursors": {
			page: func(n int64, _ string) string {
				return fmt.Sprintf(`{"agents":[],"next_cursor":"c%d","has_more":true}`, n%2)
			},
			wantErr: "page 3 repeats an earlier next_cursor",
			maxReqs: 3,
		},
		"has_more without cursor": {
			page: func(int64, string) string {
				return `{"agents":[` + summaryJSON("a") + `],"next_cursor":null,"has_more":true}`
			},
			wantErr: "page 1 says has_more but gives no next_cursor",
			maxReqs: 1,
		},
		"has_more with empty cursor": {
			page:    func(int64, string) string { return `{"agents":[],"next_cursor":"","has_more":true}` },
			wantErr: "page 1 says has_more but gives no next_cursor",
			maxReqs: 1,
		},
		"endless fresh cursors": {
			page: func(n int64, _ string) string {
				return fmt.Sprintf(`{"agents":[],"next_cursor":"c%d","has_more":true}`, n)
			},
			wantErr: fmt.Sprintf("still has more after %d pages", MaxListPages),
			maxReqs: MaxListPages,
		},
		"page larger than asked": {
			page: func(int64, string) string {
				ids := make([]string, MaxPageSize+1)
				for i := range ids {
					ids[i] = summaryJSON(fmt.Sprint("agent_", i))
				}
				return `{"agents":[` + strings.Join(ids, ",") + `],"next_cursor":null,"has_more":false}`
			},
			wantErr: "page 1 lists 101 agents, more than the page_size of 100 asked for",
			maxReqs: 1,
		},
		"summary without id": {
			page:    func(int64, string) string { return `{"agents":[{"name":"x"}],"has_more":false}` },
			wantErr: "page 1 lists an agent without an agent_id",
			maxReqs: 1,
		},
		"id that is a path": {
			page: func(int64, string) string {
				return `{"agents":[` + summaryJSON("../../v1/user") + `],"has_more":false}`
			},
			wantErr: `page 1 lists an agent id that cannot be used as a URL path segment: agent id "../../v1/user" contains '/'`,
			maxReqs: 1,
		},
		"id with a query": {
			page:    func(int64, string) string { return `{"agents":[` + summaryJSON("a?x=1") + `],"has_more":false}` },
			wantErr: `agent id "a?x=1" contains '?'`,
			maxReqs: 1,
		},
		"huge id": {
			page: func(int64, string) string {
				return `{"agents":[` + summaryJSON(strings.Repeat("a", 5000)) + `],"has_more":false}`
			},
			wantErr: "…\" is longer than 128 bytes",
			maxReqs: 1,
		},
		"id that is a dot segment": {
			page:    func(int64, string) string { return `{"agents":[` + summaryJSON("..") + `],"has_more":false}` },
			wantErr: `agent id ".." is a path dot segment`,
			maxReqs: 1,
		},
		"wrong types": {
			page:    func(int64, string) string { return `{"agents":"nope","has_more":"yes"}` },
			wantErr: "not the expected JSON",
			maxReqs: 1,
		},
	} {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int64
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, tc.page(n.Add(1), r.URL.Query().Get("cursor")))
			}))
			all, err := listAll(c, ListFilter{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q (agents %v)", err, tc.wantErr, all)
			}
			if got := n.Load(); got != tc.maxReqs {
				t.Errorf("%d requests, want %d", got, tc.maxReqs)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Error("error leaks the key")
			}
		})
	}
}
