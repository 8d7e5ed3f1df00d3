package fakeapi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var agentIDRe = regexp.MustCompile(`^agent_[a-z0-9]{28}$`)

func TestGetAgentShape(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("Support agent")
	if !agentIDRe.MatchString(id) {
		t.Fatalf("id %q does not look like agent_<28>", id)
	}
	r := e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200)
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	a := r.json(t)
	if a["agent_id"] != id || a["name"] != "Support agent" {
		t.Fatalf("agent_id/name = %v/%v", a["agent_id"], a["name"])
	}
	if _, ok := a["conversation_config"].(map[string]any); !ok {
		t.Errorf("conversation_config missing: %s", r.body)
	}
	if got := mustJSON(t, a["metadata"]); got != fmt.Sprintf(`{"created_at_unix_secs":%d,"updated_at_unix_secs":%d}`, t0.Unix(), t0.Unix()) {
		t.Errorf("metadata = %s", got)
	}
	auth, _ := getPath(a, "platform_settings", "auth")
	if got := mustJSON(t, auth); got != `{"allowlist":[],"enable_auth":false,"require_origin_header":false,"shareable_token":null}` {
		t.Errorf("auth = %s", got)
	}
	limits, _ := getPath(a, "platform_settings", "call_limits")
	if got := mustJSON(t, limits); got != `{"agent_concurrency_limit":-1,"bursting_enabled":true,"daily_limit":100000}` {
		t.Errorf("call_limits = %s", got)
	}
	if _, ok := getPath(a, "platform_settings", "widget"); !ok {
		t.Error("widget missing")
	}
	if mustJSON(t, a["tags"]) != `[]` {
		t.Errorf("tags = %v", a["tags"])
	}
}

// plantedAgent has every sibling a PATCH of auth must leave alone.
func plantedAgent(id string) map[string]any {
	return map[string]any{
		"agent_id":            id,
		"name":                "planted",
		"conversation_config": map[string]any{"agent": map[string]any{"first_message": "Hi"}},
		"metadata":            map[string]any{"created_at_unix_secs": 1716153600, "updated_at_unix_secs": 1716240000},
		"platform_settings": map[string]any{
			"auth": map[string]any{
				"enable_auth":           false,
				"allowlist":             []any{map[string]any{"hostname": "a.example.com"}, map[string]any{"hostname": "b.example.com"}},
				"require_origin_header": true,
				"shareable_token":       nil,
				"future_auth_key":       "keep me",
			},
			"call_limits": map[string]any{"agent_concurrency_limit": 5, "daily_limit": 7, "bursting_enabled": false},
			"widget":      map[string]any{"variant": "compact"},
		},
		"tags":         []any{"t1"},
		"future_field": map[string]any{"nested": true},
	}
}

func TestPatchDeepMerge(t *testing.T) {
	e := newEnv(t)
	const id = "agent_planted"
	e.s.PutAgent(id, plantedAgent(id))
	e.clock.Advance(time.Hour)
	path := "/v1/convai/agents/" + id

	a := e.do("PATCH", path, `{"platform_settings":{"auth":{"enable_auth":true}}}`).wantStatus(t, 200).json(t)
	auth, _ := getPath(a, "platform_settings", "auth")
	if got := mustJSON(t, auth); got != `{"allowlist":[{"hostname":"a.example.com"},{"hostname":"b.example.com"}],"enable_auth":true,"future_auth_key":"keep me","require_origin_header":true,"shareable_token":null}` {
		t.Fatalf("auth after enable_auth patch = %s", got)
	}
	for _, k := range []string{"call_limits", "widget"} {
		want := mustJSON(t, plantedAgent(id)["platform_settings"].(map[string]any)[k])
		got, _ := getPath(a, "platform_settings", k)
		if mustJSON(t, got) != want {
			t.Errorf("%s = %s, want %s", k, mustJSON(t, got), want)
		}
	}
	if mustJSON(t, a["future_field"]) != `{"nested":true}` || a["name"] != "planted" || mustJSON(t, a["tags"]) != `["t1"]` {
		t.Errorf("top-level siblings changed: %v", a)
	}
	if got := mustJSON(t, a["metadata"]); got != fmt.Sprintf(`{"created_at_unix_secs":1716153600,"updated_at_unix_secs":%d}`, t0.Add(time.Hour).Unix()) {
		t.Errorf("metadata = %s (updated_at must be bumped)", got)
	}

	// Arrays are replaced whole.
	a = e.do("PATCH", path, `{"platform_settings":{"auth":{"allowlist":[{"hostname":"c.example.com"}]}}}`).wantStatus(t, 200).json(t)
	list, _ := getPath(a, "platform_settings", "auth", "allowlist")
	if got := mustJSON(t, list); got != `[{"hostname":"c.example.com"}]` {
		t.Fatalf("allowlist = %s, want only c", got)
	}
	// [] clears.
	a = e.do("PATCH", path, `{"platform_settings":{"auth":{"allowlist":[]}}}`).wantStatus(t, 200).json(t)
	list, _ = getPath(a, "platform_settings", "auth", "allowlist")
	if got := mustJSON(t, list); got != `[]` {
		t.Fatalf("allowlist = %s, want []", got)
	}
	if v, _ := getPath(a, "platform_settings", "auth", "enable_auth"); v != true {
		t.Fatal("clearing the allowlist changed enable_auth")
	}
	// GET agrees with the PATCH answer.
	g := e.do("GET", path, "").wantStatus(t, 200).json(t)
	if mustJSON(t, g) != mustJSON(t, a) {
		t.Fatalf("GET after PATCH differs:\n%s\n%s", mustJSON(t, g), mustJSON(t, a))
	}

	// A null nested object wipes it; its siblings stay.
	a = e.do("PATCH", path, `{"platform_settings":{"auth":null}}`).wantStatus(t, 200).json(t)
	if _, ok := getPath(a, "platform_settings", "auth"); ok {
		t.Fatalf("auth survived a null: %v", a["platform_settings"])
	}
	if _, ok := getPath(a, "platform_settings", "call_limits"); !ok {
		t.Fatal("call_limits lost with auth")
	}
	// Setting auth afterwards builds it from the patch only.
	a = e.do("PATCH", path, `{"platform_settings":{"auth":{"enable_auth":false}}}`).wantStatus(t, 200).json(t)
	if auth, _ := getPath(a, "platform_settings", "auth"); mustJSON(t, auth) != `{"enable_auth":false}` {
		t.Fatalf("auth rebuilt = %s", mustJSON(t, auth))
	}
	a = e.do("PATCH", path, `{"platform_settings":null}`).wantStatus(t, 200).json(t)
	if _, ok := a["platform_settings"]; ok {
		t.Fatal("platform_settings survived a null")
	}
}

func TestPatchIgnoresServerSetFields(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	body := `{"agent_id":"agent_other","metadata":{"created_at_unix_secs":1},"platform_settings":{"auth":{"shareable_token":"leaked-token","enable_auth":true}}}`
	a := e.do("PATCH", "/v1/convai/agents/"+id, body).wantStatus(t, 200).json(t)
	if a["agent_id"] != id {
		t.Errorf("agent_id = %v", a["agent_id"])
	}
	if v, _ := getPath(a, "metadata", "created_at_unix_secs"); v != float64(t0.Unix()) {
		t.Errorf("created_at = %v", v)
	}
	tok, ok := getPath(a, "platform_settings", "auth", "shareable_token")
	if !ok || tok != nil {
		t.Errorf("shareable_token = %v (present %v), want null", tok, ok)
	}
	// The request log still shows what the client sent.
	reqs := e.s.Requests()
	if last := reqs[len(reqs)-1]; !strings.Contains(string(last.Body), `"shareable_token":"leaked-token"`) {
		t.Errorf("request log lost the body: %s", last.Body)
	}
}

func TestCreateAgent(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/v1/convai/agents/create", `{
		"name": "Created",
		"conversation_config": {"agent": {"first_message": "Yo"}},
		"platform_settings": {"auth": {"enable_auth": true, "shareable_token": "x"}, "widget": {"variant": "tiny"}},
		"tags": ["demo"],
		"extra_field": 1
	}`).wantStatus(t, 200)
	m := r.json(t)
	id, _ := m["agent_id"].(string)
	if len(m) != 1 || !agentIDRe.MatchString(id) {
		t.Fatalf("create answered %s, want only {\"agent_id\":\"agent_<28>\"}", r.body)
	}
	a := e.do("GET", "/v1/convai/agents/"+id, "").wantStatus(t, 200).json(t)
	if a["name"] != "Created" || mustJSON(t, a["conversation_config"]) != `{"agent":{"first_message":"Yo"}}` || mustJSON(t, a["tags"]) != `["demo"]` {
		t.Errorf("created agent = %v", a)
	}
	auth, _ := getPath(a, "platform_settings", "auth")
	if got := mustJSON(t, auth); got != `{"allowlist":[],"enable_auth":true,"require_origin_header":false,"shareable_token":null}` {
		t.Errorf("auth = %s (platform_settings must merge over the defaults)", got)
	}
	if w, _ := getPath(a, "platform_settings", "widget", "variant"); w != "tiny" {
		t.Errorf("widget.variant = %v", w)
	}
	if _, ok := getPath(a, "platform_settings", "call_limits", "daily_limit"); !ok {
		t.Error("default call_limits lost")
	}
	if e.s.AgentCount() != 1 {
		t.Errorf("AgentCount = %d", e.s.AgentCount())
	}

	for body, want := range map[string]string{
		`{}`:                                  `["body","conversation_config"] missing`,
		`{"name":"x"}`:                        `["body","conversation_config"] missing`,
		`{"conversation_config":"x"}`:         `["body","conversation_config"] model_attributes_type`,
		`{"conversation_config":null}`:        `["body","conversation_config"] model_attributes_type`,
		`{"conversation_config":{},"name":3}`: `["body","name"] string_type`,
		`{"conversation_config":{},"platform_settings":{"auth":{"allowlist":[{"hostname":"https://x.com"}]}}}`: `["body","platform_settings","auth","allowlist",0,"hostname"] value_error`,
		`not json`: `["body"] json_invalid`,
		`[]`:       `["body"] model_attributes_type`,
	} {
		got := e.do("POST", "/v1/convai/agents/create", body).wantValidation(t)
		if got[0] != want {
			t.Errorf("create %s: issues %v, want %s", body, got, want)
		}
	}
	if e.s.AgentCount() != 1 {
		t.Errorf("a refused create stored an agent: AgentCount = %d", e.s.AgentCount())
	}
}

func TestDeleteAgent(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	r := e.do("DELETE", "/v1/convai/agents/"+id, "").wantStatus(t, 204)
	if len(r.body) != 0 {
		t.Errorf("204 with a body: %s", r.body)
	}
	e.do("GET", "/v1/convai/agents/"+id, "").wantAppError(t, 404, CodeAgentNotFound)
	e.do("DELETE", "/v1/convai/agents/"+id, "").wantAppError(t, 404, CodeAgentNotFound)
	if e.s.AgentCount() != 0 {
		t.Errorf("AgentCount = %d", e.s.AgentCount())
	}
}

type listPage struct {
	Agents     []map[string]any `json:"agents"`
	NextCursor *string          `json:"next_cursor"`
	HasMore    bool             `json:"has_more"`
}

func (e *testEnv) list(t *testing.T, query string) listPage {
	t.Helper()
	r := e.do("GET", "/v1/convai/agents"+query, "").wantStatus(t, 200)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"agents", "next_cursor", "has_more"} {
		if _, ok := raw[k]; !ok {
			t.Fatalf("list body lacks %q: %s", k, r.body)
		}
	}
	var p listPage
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestListAgentsPagination(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := range 7 {
		ids = append(ids, e.s.CreateAgent(fmt.Sprintf("agent %d", i)))
		e.clock.Advance(time.Second)
	}
	var got []string
	cursor := ""
	for page := 0; ; page++ {
		q := "?page_size=3"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		p := e.list(t, q)
		wantLen, wantMore := 3, true
		if page == 2 {
			wantLen, wantMore = 1, false
		}
		if len(p.Agents) != wantLen || p.HasMore != wantMore || (p.NextCursor == nil) == wantMore {
			t.Fatalf("page %d: %d agents, has_more %v, next_cursor %v", page, len(p.Agents), p.HasMore, p.NextCursor)
		}
		for _, s := range p.Agents {
			got = append(got, s["agent_id"].(string))
		}
		if !p.HasMore {
			break
		}
		cursor = *p.NextCursor
	}
	for i := range ids {
		if got[i] != ids[len(ids)-1-i] {
			t.Fatalf("order = %v, want newest first %v", got, ids)
		}
	}

	p := e.list(t, "")
	if len(p.Agents) != 7 || p.HasMore || p.NextCursor != nil {
		t.Fatalf("default page: %d agents, has_more %v", len(p.Agents), p.HasMore)
	}
	s := p.Agents[0]
	var keys []string
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if strings.Join(keys, ",") != "access_info,agent_id,archived,created_at_unix_secs,last_call_time_unix_secs,name,tags,voice_id" {
		t.Fatalf("summary keys = %v", keys)
	}
	if s["name"] != "agent 6" || s["archived"] != false || s["last_call_time_unix_secs"] != nil ||
		s["created_at_unix_secs"] != float64(t0.Add(6*time.Second).Unix()) {
		t.Fatalf("summary = %v", s)
	}

	if p := e.list(t, "?search=AGENT%203"); len(p.Agents) != 1 || p.Agents[0]["agent_id"] != ids[3] {
		t.Errorf("search = %v", p.Agents)
	}

	for q, want := range map[string]string{
		"?page_size=0":   `["query","page_size"] greater_than_equal`,
		"?page_size=101": `["query","page_size"] less_than_equal`,
		"?page_size=abc": `["query","page_size"] int_parsing`,
		"?cursor=bogus":  `["query","cursor"] value_error`,
	} {
		if got := e.do("GET", "/v1/convai/agents"+q, "").wantValidation(t); got[0] != want {
			t.Errorf("%s: %v, want %s", q, got, want)
		}
	}
	if p := e.list(t, "?page_size=100"); len(p.Agents) != 7 {
		t.Errorf("page_size=100 gave %d", len(p.Agents))
	}
}

func TestListDefaultPageSize(t *testing.T) {
	e := newEnv(t)
	for i := range 35 {
		e.s.CreateAgent(fmt.Sprint(i))
	}
	p := e.list(t, "")
	if len(p.Agents) != DefaultPageSize || !p.HasMore || p.NextCursor == nil {
		t.Fatalf("default page: %d agents, has_more %v", len(p.Agents), p.HasMore)
	}
	p = e.list(t, "?cursor="+url.QueryEscape(*p.NextCursor))
	if len(p.Agents) != 5 || p.HasMore {
		t.Fatalf("second page: %d agents, has_more %v", len(p.Agents), p.HasMore)
	}
}

func TestOutOfBandHelpers(t *testing.T) {
	s := New()
	id := s.CreateAgent("oob")
	a, ok := s.Agent(id)
	if !ok || a["name"] != "oob" {
		t.Fatalf("Agent = %v, %v", a, ok)
	}
	// Agent returns a deep copy.
	a["platform_settings"].(map[string]any)["auth"].(map[string]any)["enable_auth"] = true
	b, _ := s.Agent(id)
	if v, _ := getPath(b, "platform_settings", "auth", "enable_auth"); v != false {
		t.Fatal("Agent did not return a copy")
	}
	// SetAuth plants anything, both methods on included.
	both := map[string]any{"enable_auth": true, "allowlist": []string{"NOT VALIDATED"}}
	if !s.SetAuth(id, both) {
		t.Fatal("SetAuth on an existing agent returned false")
	}
	b, _ = s.Agent(id)
	if v, _ := getPath(b, "platform_settings", "auth"); mustJSON(t, v) != `{"allowlist":["NOT VALIDATED"],"enable_auth":true}` {
		t.Fatalf("auth = %s", mustJSON(t, v))
	}
	s.SetAuth(id, nil)
	b, _ = s.Agent(id)
	if _, ok := getPath(b, "platform_settings", "auth"); ok {
		t.Fatal("SetAuth(nil) kept auth")
	}
	if _, ok := getPath(b, "platform_settings", "call_limits"); !ok {
		t.Fatal("SetAuth(nil) removed more than auth")
	}
	if s.SetAuth("agent_missing", both) {
		t.Fatal("SetAuth on a missing agent returned true")
	}
	s.PutAgent("weird", map[string]any{"name": 42})
	if w, ok := s.Agent("weird"); !ok || mustJSON(t, w) != `{"name":42}` {
		t.Fatalf("PutAgent stored %v", w)
	}
	if s.AgentCount() != 2 {
		t.Fatalf("AgentCount = %d", s.AgentCount())
	}
	if !s.DeleteAgentOOB(id) || s.DeleteAgentOOB(id) || s.AgentCount() != 1 {
		t.Fatal("DeleteAgentOOB")
	}
}
