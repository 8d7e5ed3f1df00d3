package fakeapi

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
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
