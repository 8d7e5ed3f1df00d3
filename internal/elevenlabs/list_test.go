package elevenlabs

import (
	"context"
	"encoding/json"
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
			wantErr: "page 1: entry 1 of agents: agent_id is missing.",
			maxReqs: 1,
		},
		"id that is a path": {
			page: func(int64, string) string {
				return `{"agents":[` + summaryJSON("../../v1/user") + `],"has_more":false}`
			},
			wantErr: `page 1 lists an agent id that cannot be used as a URL path segment: agent id "../../v1/user" contains '/'`,
			maxReqs: 1,
		},
		// A listed id is the server's: an echo of a secret in it never
		// reaches a message, nor is it used as an id (an echo of the key
		// fails the whole answer first: echoed_key.go).
		"id that echoes a secret with a slash": {
			page: func(int64, string) string {
				return `{"agents":[` + summaryJSON(otherSecret+"/x") + `],"has_more":false}`
			},
			wantErr: `page 1 lists an agent id that cannot be used as a URL path segment: agent id "***/x" contains '/'`,
			maxReqs: 1,
		},
		"long id that echoes a secret": {
			page: func(int64, string) string {
				return `{"agents":[` + summaryJSON(otherSecret+strings.Repeat("a", 200)) + `],"has_more":false}`
			},
			wantErr: `agent id "***aaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" is longer than 128 bytes`,
			maxReqs: 1,
		},
		"id that is a secret": {
			page:    func(int64, string) string { return `{"agents":[` + summaryJSON(otherSecret) + `],"has_more":false}` },
			wantErr: `page 1: entry 1 of agents: agent_id "***" holds a secret (the API key, a proxy credential, a token or a signature), which no agent id does.`,
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
			wantErr: "page 1: agents is a string, not an array.",
			maxReqs: 1,
		},
		"a broken second page": {
			page: func(n int64, _ string) string {
				if n == 1 {
					return `{"agents":[` + summaryJSON("a1") + `],"next_cursor":"c2","has_more":true}`
				}
				return `{"agents":null,"has_more":false}`
			},
			wantErr: "page 2: agents is null.",
			maxReqs: 2,
		},
	} {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int64
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, tc.page(n.Add(1), r.URL.Query().Get("cursor")))
			}), withOtherSecret)
			all, err := listAll(c, ListFilter{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q (agents %v)", err, tc.wantErr, all)
			}
			if got := n.Load(); got != tc.maxReqs {
				t.Errorf("%d requests, want %d", got, tc.maxReqs)
			}
			if strings.Contains(err.Error(), otherSecret) {
				t.Error("error leaks the secret")
			}
		})
	}
}

// TestListPagesFailClosed: a list answer that is not the documented page
// (CONTRACT.md, "Listing agents") is an error naming the page, the agent and
// the field, never a workspace with fewer agents or none: only a well-formed
// "agents": [] means none. Every key the official SDK requires of a summary
// is required here, present, not null and of its type.
func TestListPagesFailClosed(t *testing.T) {
	const tail = ". The answer is not the documented list of agents, so it is not used: a list that cannot be trusted " +
		"fails the read, it never reads as fewer agents"
	summary := func(edit func(m map[string]any)) string {
		var m map[string]any
		_ = json.Unmarshal([]byte(summaryJSON("agent_x")), &m)
		edit(m)
		b, _ := json.Marshal(m)
		return `{"agents":[` + string(b) + `],"has_more":false}`
	}
	without := func(k string) string { return summary(func(m map[string]any) { delete(m, k) }) }
	set := func(k string, v any) string { return summary(func(m map[string]any) { m[k] = v }) }
	access := func(k string, v any, del bool) string {
		return summary(func(m map[string]any) {
			ai := m["access_info"].(map[string]any)
			if del {
				delete(ai, k)
			} else {
				ai[k] = v
			}
		})
	}
	cases := map[string]string{
		`null`:                             "the answer is null, not an object",
		`[]`:                               "the answer is an array, not an object",
		`"agents"`:                         "the answer is a string, not an object",
		`{}`:                               "agents is missing",
		`{"has_more":false}`:               "agents is missing",
		`{"agents":null,"has_more":false}`: "agents is null",
		`{"agents":{},"has_more":false}`:   "agents is an object, not an array",
		`{"agents":[]}`:                    "has_more is missing",
		`{"agents":[],"has_more":null}`:    "has_more is null",
		`{"agents":[],"has_more":"false"}`: "has_more is a string, not a boolean",
		`{"agents":[],"has_more":0}`:       "has_more is a number, not a boolean",
		`{"agents":[],"has_more":false,"next_cursor":5}`: "next_cursor is a number, not a string",
		`{"agents":[null],"has_more":false}`:             "entry 1 of agents is null, not an object",
		`{"agents":["agent_x"],"has_more":false}`:        "entry 1 of agents is a string, not an object",
		set("agent_id", 7):                               "entry 1 of agents: agent_id is a number, not a string",
		set("agent_id", nil):                             "entry 1 of agents: agent_id is null",
		without("name"):                                  "agent agent_x (entry 1 of agents): name is missing",
		set("name", nil):                                 "agent agent_x (entry 1 of agents): name is null",
		without("voice_id"):                              "agent agent_x (entry 1 of agents): voice_id is missing",
		set("voice_id", false):                           "agent agent_x (entry 1 of agents): voice_id is a boolean, not a string",
		without("tags"):                                  "agent agent_x (entry 1 of agents): tags is missing",
		set("tags", nil):                                 "agent agent_x (entry 1 of agents): tags is null",
		set("tags", "prod"):                              "agent agent_x (entry 1 of agents): tags is a string, not an array of strings",
		set("tags", []any{"prod", nil}):                  "agent agent_x (entry 1 of agents): tags is an array with an entry that is not a string",
		without("created_at_unix_secs"):                  "agent agent_x (entry 1 of agents): created_at_unix_secs is missing",
		set("created_at_unix_secs", "1716153600"):        "agent agent_x (entry 1 of agents): created_at_unix_secs is a string, not an integer",
		set("created_at_unix_secs", 1.5):                 "agent agent_x (entry 1 of agents): created_at_unix_secs is a number that is not an integer",
		without("access_info"):                           "agent agent_x (entry 1 of agents): access_info is missing",
		set("access_info", []any{}):                      "agent agent_x (entry 1 of agents): access_info is an array, not an object",
		access("is_creator", nil, true):                  "agent agent_x (entry 1 of agents): access_info.is_creator is missing",
		access("role", 1, false):                         "agent agent_x (entry 1 of agents): access_info.role is a number, not a string",
		access("creator_email", nil, false):              "agent agent_x (entry 1 of agents): access_info.creator_email is null",
		set("archived", "no"):                            "agent agent_x (entry 1 of agents): archived is a string, not a boolean",
		set("last_call_time_unix_secs", "yesterday"):     "agent agent_x (entry 1 of agents): last_call_time_unix_secs is a string, not an integer",
	}
	// A summary naming a secret as its id, with a field missing: the secret is masked.
	cases[summary(func(m map[string]any) { m["agent_id"] = otherSecret; delete(m, "name") })] = "agent *** (entry 1 of agents): name is missing"
	for body, want := range cases {
		t.Run(body, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) }), withOtherSecret)
			all, err := listAll(c, ListFilter{})
			if want := "ElevenLabs API: GET /v1/convai/agents page 1: " + want + tail; err == nil || err.Error() != want {
				t.Fatalf("answer %s:\n got %v (agents %v)\nwant %s", body, err, all, want)
			}
		})
	}
	// What the contract allows: an empty list, a null or missing next_cursor
	// when has_more is false, null optional keys, and a missing archived.
	for _, body := range []string{
		`{"agents":[],"has_more":false}`,
		`{"agents":[],"has_more":false,"next_cursor":null}`,
		set("last_call_time_unix_secs", nil),
		set("archived", nil),
		without("archived"),
		set("tags", []any{}),
	} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) }))
		if _, err := listAll(c, ListFilter{}); err != nil {
			t.Errorf("answer %s: %v", body, err)
		}
	}
	// A summary is read under the exact names that were checked, as the
	// official SDKs read it: a twin key in another letter case changes nothing.
	body := summary(func(m map[string]any) { m["AGENT_ID"], m["Archived"], m["TAGS"] = "agent_other", true, nil })
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) }))
	all, err := listAll(c, ListFilter{})
	if err != nil || len(all) != 1 || all[0].AgentID != "agent_x" || all[0].Archived || all[0].Tags == nil {
		t.Errorf("answer %s: %+v, %v; want agent_x, not archived, tags []", body, all, err)
	}
}
