package fakeapi

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// listAll follows the cursor from query and returns the ids in list order and
// the number of pages read.
func (e *testEnv) listAll(t *testing.T, query string) ([]string, int) {
	t.Helper()
	var ids []string
	cursor := ""
	for pages := 1; ; pages++ {
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		p := e.list(t, "?"+strings.TrimPrefix(q, "&"))
		for _, s := range p.Agents {
			ids = append(ids, s["agent_id"].(string))
		}
		if !p.HasMore {
			return ids, pages
		}
		if p.NextCursor == nil || *p.NextCursor == cursor {
			t.Fatalf("page %d: has_more with next_cursor %v", pages, p.NextCursor)
		}
		cursor = *p.NextCursor
		if pages > 1000 {
			t.Fatal("endless list")
		}
	}
}

func TestListSummaryHasEveryRequiredKey(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgentWith(AgentSpec{Name: "Tagged", Tags: []string{"prod", "eu"}})
	p := e.list(t, "")
	if len(p.Agents) != 1 {
		t.Fatalf("%d summaries", len(p.Agents))
	}
	s := p.Agents[0]
	// The official SDK refuses a page whose summaries lack one of these.
	for k, want := range map[string]string{
		"agent_id": "string", "name": "string", "voice_id": "string", "tags": "array",
		"created_at_unix_secs": "number", "access_info": "object", "archived": "bool",
	} {
		got := "missing"
		switch s[k].(type) {
		case string:
			got = "string"
		case []any:
			got = "array"
		case float64:
			got = "number"
		case map[string]any:
			got = "object"
		case bool:
			got = "bool"
		}
		if got != want {
			t.Errorf("summary %s is %s, want %s: %v", k, got, want, s)
		}
	}
	if s["agent_id"] != id || s["voice_id"] != DefaultVoiceID || mustJSON(t, s["tags"]) != `["prod","eu"]` || s["archived"] != false {
		t.Errorf("summary = %v", s)
	}
	ai := s["access_info"].(map[string]any)
	if _, ok := ai["is_creator"].(bool); !ok {
		t.Errorf("access_info.is_creator = %v", ai["is_creator"])
	}
	for _, k := range []string{"creator_name", "creator_email"} {
		if v, _ := ai[k].(string); v == "" {
			t.Errorf("access_info.%s = %v", k, ai[k])
		}
	}
	switch ai["role"] {
	case "admin", "editor", "commenter", "viewer":
	default:
		t.Errorf("access_info.role = %v", ai["role"])
	}
	if _, ok := s["platform_settings"]; ok {
		t.Error("a summary carries platform_settings; the real list has no auth")
	}

	// A voice in conversation_config.tts shows through.
	e.s.PutAgent("planted", map[string]any{"name": "v", "conversation_config": map[string]any{"tts": map[string]any{"voice_id": "voice_x"}}})
	if p := e.list(t, "?search=v"); len(p.Agents) != 1 || p.Agents[0]["voice_id"] != "voice_x" {
		t.Errorf("planted voice: %v", p.Agents)
	}
}

// TestListPagesAcrossManyAgents: 250 agents at page size 100 are 3 pages,
// every agent once, newest first; a cursor survives agents deleted between
// pages.
func TestListPagesAcrossManyAgents(t *testing.T) {
	e := newEnv(t)
	seeded := e.s.SeedAgents(250, func(i int) AgentSpec { return AgentSpec{Name: fmt.Sprintf("bulk %03d", i)} })
	ids, pages := e.listAll(t, "page_size=100")
	if pages != 3 || len(ids) != 250 {
		t.Fatalf("%d agents in %d pages, want 250 in 3", len(ids), pages)
	}
	for i, id := range ids {
		if id != seeded[249-i] {
			t.Fatalf("position %d: %s, want %s (newest first)", i, id, seeded[249-i])
		}
	}

	first := e.list(t, "?page_size=100")
	// Delete the last agent of page 1 and the first of page 2: the cursor still works.
	e.s.DeleteAgentOOB(first.Agents[99]["agent_id"].(string))
	e.s.DeleteAgentOOB(seeded[149])
	next := e.list(t, "?page_size=100&cursor="+url.QueryEscape(*first.NextCursor))
	if len(next.Agents) != 100 || next.Agents[0]["agent_id"] != seeded[148] {
		t.Fatalf("page after deletions: %d agents, first %v", len(next.Agents), next.Agents[0]["agent_id"])
	}
}

func TestListArchivedFilter(t *testing.T) {
	e := newEnv(t)
	live := e.s.SeedAgents(3, func(i int) AgentSpec { return AgentSpec{Name: fmt.Sprint("live ", i)} })
	gone := e.s.SeedAgents(2, func(i int) AgentSpec { return AgentSpec{Name: fmt.Sprint("old ", i), Archived: true} })
	sorted := func(ids []string) string {
		ids = append([]string(nil), ids...)
		sort.Strings(ids)
		return strings.Join(ids, ",")
	}
	for q, want := range map[string][]string{
		"":               live, // the OpenAPI default of archived is false
		"archived=false": live,
		"archived=0":     live,
		"archived=true":  gone,
		"archived=True":  gone,
	} {
		ids, _ := e.listAll(t, q)
		if sorted(ids) != sorted(want) {
			t.Errorf("?%s listed %v, want %v", q, ids, want)
		}
	}
	if p := e.list(t, "?archived=true"); p.Agents[0]["archived"] != true {
		t.Errorf("archived summary = %v", p.Agents[0])
	}
	if got := e.do("GET", "/v1/convai/agents?archived=maybe", "").wantValidation(t); got[0] != `["query","archived"] bool_parsing` {
		t.Errorf("archived=maybe: %v", got)
	}
	if !e.s.SetArchived(live[0], true) || e.s.SetArchived("agent_nope", true) {
		t.Fatal("SetArchived")
	}
	if ids, _ := e.listAll(t, "archived=true"); len(ids) != 3 {
		t.Errorf("after SetArchived: %v", ids)
	}
}

func TestListSearchIsCaseInsensitiveSubstringOfName(t *testing.T) {
	e := newEnv(t)
	ids := e.s.SeedAgents(4, func(i int) AgentSpec {
		return AgentSpec{Name: []string{"Support EU", "support us", "Sales", "Supporter"}[i], Tags: []string{"support"}}
	})
	for q, want := range map[string][]string{
		"search=SUPPORT": {ids[3], ids[1], ids[0]},
		"search=port+u":  {ids[1]},
		"search=":        {ids[3], ids[2], ids[1], ids[0]},
		"search=nomatch": nil,
	} {
		got, _ := e.listAll(t, q)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("?%s = %v, want %v", q, got, want)
		}
	}
}

func TestPageSizeOutOfRangeIsArray422(t *testing.T) {
	e := newEnv(t)
	for _, q := range []string{"page_size=0", "page_size=-1", "page_size=101", "page_size=1000"} {
		got := e.do("GET", "/v1/convai/agents?"+q, "").wantValidation(t)
		if len(got) != 1 || !strings.HasPrefix(got[0], `["query","page_size"] `) {
			t.Errorf("%s: %v", q, got)
		}
	}
	e.s.SeedAgents(2, func(int) AgentSpec { return AgentSpec{} })
	for _, q := range []string{"page_size=1", "page_size=100"} {
		e.do("GET", "/v1/convai/agents?"+q, "").wantStatus(t, 200)
	}
}

// TestEveryAnswerCarriesXRequestID: the official SDK reads x-request-id; it
// equals request-id and the request_id of an error body.
func TestEveryAnswerCarriesXRequestID(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	e.s.InjectFault(Fault{Path: "/v1/convai/agents/agent_faulty", Status: 503, Count: 1})
	for _, c := range []struct {
		method, path string
		hdr          []string
		status       int
	}{
		{"GET", "/v1/convai/agents", nil, 200},
		{"GET", "/v1/convai/agents/" + id, nil, 200},
		{"GET", "/v1/convai/agents/agent_missing", nil, 404},
		{"GET", "/v1/convai/agents?page_size=0", nil, 422},
		{"GET", "/v1/convai/agents", []string{"xi-api-key", "wrong"}, 401},
		{"GET", "/v1/nope", nil, 404},
		{"PUT", "/v1/convai/agents", nil, 405},
		{"GET", "/v1/convai/agents/agent_faulty", nil, 503},
		{"GET", "/_fake/counters", nil, 200},
	} {
		r := e.do(c.method, c.path, "", c.hdr...).wantStatus(t, c.status)
		x := r.header.Get("x-request-id")
		if x == "" || x != r.header.Get("request-id") {
			t.Errorf("%s %s: x-request-id %q, request-id %q", c.method, c.path, x, r.header.Get("request-id"))
		}
		if d, ok := r.json(t)["detail"].(map[string]any); ok && d["request_id"] != x {
			t.Errorf("%s %s: detail.request_id %v, header %q", c.method, c.path, d["request_id"], x)
		}
	}
}

// TestArchivedLivesInPlatformSettings: archived is the agent's
// platform_settings.archived, as the official SDKs' request and answer
// models have it: a GET shows it, a PATCH of it moves the agent between the
// archived=true and archived=false lists, and the summary says the same.
func TestArchivedLivesInPlatformSettings(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("to archive")
	other := e.s.CreateAgent("stays")
	if v, ok := getPath(e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200).json(t), "platform_settings", "archived"); !ok || v != false {
		t.Fatalf("a new agent's platform_settings.archived = %v (present %v), want false", v, ok)
	}
	patched := e.do("PATCH", "/v1/convai/agents/"+id, `{"platform_settings":{"archived":true}}`).wantStatus(t, 200).json(t)
	if v, _ := getPath(patched, "platform_settings", "archived"); v != true {
		t.Errorf("PATCH answer platform_settings.archived = %v", v)
	}
	if v, _ := getPath(patched, "platform_settings", "auth", "enable_auth"); v != false {
		t.Errorf("PATCH of archived touched auth: %v", patched["platform_settings"])
	}
	if v, _ := getPath(e.do("GET", "/v1/convai/agents/"+id, "").json(t), "platform_settings", "archived"); v != true {
		t.Errorf("GET after PATCH: platform_settings.archived = %v", v)
	}
	if ids, _ := e.listAll(t, "archived=true"); strings.Join(ids, ",") != id {
		t.Errorf("archived=true lists %v, want [%s]", ids, id)
	}
	if ids, _ := e.listAll(t, ""); strings.Join(ids, ",") != other {
		t.Errorf("the default list shows %v, want [%s]", ids, other)
	}
	if p := e.list(t, "?archived=true"); p.Agents[0]["archived"] != true {
		t.Errorf("summary of the archived agent: %v", p.Agents[0])
	}
	e.do("PATCH", "/v1/convai/agents/"+id, `{"platform_settings":{"archived":false}}`).wantStatus(t, 200)
	if ids, _ := e.listAll(t, "archived=false"); len(ids) != 2 {
		t.Errorf("after un-archiving, archived=false lists %v", ids)
	}
	for _, body := range []string{`{"platform_settings":{"archived":"yes"}}`, `{"platform_settings":{"archived":null}}`} {
		if got := e.do("PATCH", "/v1/convai/agents/"+id, body).wantValidation(t); strings.Join(got, " ") != `["body","platform_settings","archived"] bool_type` {
			t.Errorf("%s: %v", body, got)
		}
	}
	// Created archived: listed only with archived=true.
	created := e.do("POST", "/v1/convai/agents/create", `{"conversation_config":{},"platform_settings":{"archived":true}}`).wantStatus(t, 200).json(t)
	if ids, _ := e.listAll(t, "archived=true"); len(ids) != 1 || ids[0] != created["agent_id"] {
		t.Errorf("created archived: archived=true lists %v", ids)
	}
}

// TestListSortsBySortByAndDirection: sort_by name or created_at, in
// sort_direction asc or desc (default desc), ties by creation, across pages.
func TestListSortsBySortByAndDirection(t *testing.T) {
	e := newEnv(t)
	names := []string{"delta", "Alpha", "charlie", "bravo", "alpha"}
	ids := map[string]string{}
	for i, n := range names {
		e.clock.Advance(time.Duration(10-i) * time.Second) // created at strictly rising times
		ids[n] = e.s.CreateAgent(n)
	}
	// Two agents planted with the same created_at as "delta": ties go by creation.
	a, _ := e.s.Agent(ids["delta"])
	md := a["metadata"]
	ids["tie1"] = e.s.CreateAgent("tie1")
	ids["tie2"] = e.s.CreateAgent("tie2")
	for _, n := range []string{"tie1", "tie2"} {
		b, _ := e.s.Agent(ids[n])
		b["metadata"] = md
		e.s.PutAgent(ids[n], b)
	}
	order := func(ns ...string) string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = ids[n]
		}
		return strings.Join(out, ",")
	}
	byCreation := order("tie2", "tie1", "alpha", "bravo", "charlie", "Alpha", "delta")
	for q, want := range map[string]string{
		"":                                         byCreation,
		"sort_direction=desc":                      byCreation,
		"sort_by=name&sort_direction=asc":          order("Alpha", "alpha", "bravo", "charlie", "delta", "tie1", "tie2"),
		"sort_by=name":                             order("tie2", "tie1", "delta", "charlie", "bravo", "alpha", "Alpha"),
		"sort_by=created_at&sort_direction=asc":    order("delta", "tie1", "tie2", "Alpha", "charlie", "bravo", "alpha"),
		"sort_by=created_at&sort_direction=desc":   order("alpha", "bravo", "charlie", "Alpha", "tie2", "tie1", "delta"),
		"sort_by=call_count_7d&sort_direction=asc": order("delta", "Alpha", "charlie", "bravo", "alpha", "tie1", "tie2"),
	} {
		for _, size := range []string{"100", "2"} {
			got, _ := e.listAll(t, q+"&page_size="+size)
			if strings.Join(got, ",") != want {
				t.Errorf("?%s&page_size=%s:\n got %v\nwant %v", q, size, got, want)
			}
		}
	}
	// A cursor belongs to the order it was made for.
	p := e.list(t, "?sort_by=name&sort_direction=asc&page_size=2") // Alpha, alpha
	if got := e.do("GET", "/v1/convai/agents?page_size=2&cursor="+url.QueryEscape(*p.NextCursor), "").wantValidation(t); strings.Join(got, " ") != `["query","cursor"] value_error` {
		t.Errorf("a name cursor in the default order: %v", got)
	}
	// The cursor holds its place when the next agent is deleted.
	e.s.DeleteAgentOOB(ids["bravo"])
	next := e.list(t, "?sort_by=name&sort_direction=asc&page_size=2&cursor="+url.QueryEscape(*p.NextCursor))
	if len(next.Agents) != 2 || next.Agents[0]["agent_id"] != ids["charlie"] {
		t.Errorf("after deleting the next agent: %v", next.Agents)
	}
}

// TestListFiltersByCreatorAndValidatesQuery: created_by_user_id (@me or the
// fake's user keep every agent, another user none), show_only_owned_agents,
// and a 422 in the array form for each value the API's enumerations and
// booleans refuse.
func TestListFiltersByCreatorAndValidatesQuery(t *testing.T) {
	e := newEnv(t)
	e.s.SeedAgents(3, func(i int) AgentSpec { return AgentSpec{Name: fmt.Sprint("agent ", i)} })
	for q, want := range map[string]int{
		"created_by_user_id=%40me":         3,
		"created_by_user_id=" + FakeUserID: 3,
		"created_by_user_id=someone_else":  0,
		"show_only_owned_agents=true":      3,
		"show_only_owned_agents=false":     3,
	} {
		if ids, _ := e.listAll(t, q); len(ids) != want {
			t.Errorf("?%s lists %d agents, want %d", q, len(ids), want)
		}
	}
	for q, want := range map[string]string{
		"sort_by=updated_at":                                     `["query","sort_by"] enum`,
		"sort_by=Name":                                           `["query","sort_by"] enum`,
		"sort_direction=up":                                      `["query","sort_direction"] enum`,
		"show_only_owned_agents=perhaps":                         `["query","show_only_owned_agents"] bool_parsing`,
		"sort_by=x&sort_direction=y&page_size=0":                 `["query","page_size"] greater_than_equal ["query","sort_by"] enum ["query","sort_direction"] enum`,
		"sort_direction=asc&cursor=" + encodeCursor(cursorPos{}): `["query","cursor"] value_error`,
	} {
		if got := e.do("GET", "/v1/convai/agents?"+q, "").wantValidation(t); strings.Join(got, " ") != want {
			t.Errorf("?%s: %v, want %s", q, got, want)
		}
	}
}
