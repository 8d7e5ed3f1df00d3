package fakeapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestPatchValidation422(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("v")
	before, _ := e.s.Agent(id)
	const authLoc = `"body","platform_settings","auth"`
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = fmt.Sprintf(`{"hostname":"h%d.example.com"}`, i)
	}
	patchAuth := func(auth string) string { return `{"platform_settings":{"auth":` + auth + `}}` }
	allow := func(items ...string) string { return patchAuth(`{"allowlist":[` + strings.Join(items, ",") + `]}`) }
	host := func(h string) string { return allow(`{"hostname":"` + h + `"}`) }
	hostLoc := `[` + authLoc + `,"allowlist",0,"hostname"] value_error`

	cases := []struct{ name, body, want string }{
		{"not json", `{"platform_settings":`, `["body"] json_invalid`},
		{"empty body", ``, `["body"] json_invalid`},
		{"trailing data", `{} {}`, `["body"] json_invalid`},
		{"array body", `[{"platform_settings":{}}]`, `["body"] model_attributes_type`},
		{"string body", `"x"`, `["body"] model_attributes_type`},
		{"platform_settings string", `{"platform_settings":"x"}`, `["body","platform_settings"] model_attributes_type`},
		{"platform_settings array", `{"platform_settings":[]}`, `["body","platform_settings"] model_attributes_type`},
		{"auth array", patchAuth(`[]`), `[` + authLoc + `] model_attributes_type`},
		{"auth bool", patchAuth(`true`), `[` + authLoc + `] model_attributes_type`},
		{"enable_auth string", patchAuth(`{"enable_auth":"true"}`), `[` + authLoc + `,"enable_auth"] bool_type`},
		{"enable_auth null", patchAuth(`{"enable_auth":null}`), `[` + authLoc + `,"enable_auth"] bool_type`},
		{"require_origin_header number", patchAuth(`{"require_origin_header":1}`), `[` + authLoc + `,"require_origin_header"] bool_type`},
		{"allowlist string", patchAuth(`{"allowlist":"a.com"}`), `[` + authLoc + `,"allowlist"] list_type`},
		{"allowlist object", patchAuth(`{"allowlist":{"hostname":"a.com"}}`), `[` + authLoc + `,"allowlist"] list_type`},
		{"allowlist null", patchAuth(`{"allowlist":null}`), `[` + authLoc + `,"allowlist"] list_type`},
		{"11 entries", allow(eleven...), `[` + authLoc + `,"allowlist"] too_long`},
		{"item string", allow(`"a.com"`), `[` + authLoc + `,"allowlist",0] model_type`},
		{"item extra key", allow(`{"hostname":"a.com","note":"x"}`), `[` + authLoc + `,"allowlist",0,"note"] extra_forbidden`},
		{"item without hostname", allow(`{}`), `[` + authLoc + `,"allowlist",0,"hostname"] missing`},
		{"hostname number", allow(`{"hostname":5}`), `[` + authLoc + `,"allowlist",0,"hostname"] string_type`},
		{"hostname null", allow(`{"hostname":null}`), `[` + authLoc + `,"allowlist",0,"hostname"] string_type`},
		{"duplicate", allow(`{"hostname":"a.com"}`, `{"hostname":"b.com"}`, `{"hostname":"a.com"}`), `[` + authLoc + `,"allowlist",2,"hostname"] value_error`},
		{"empty hostname", host(""), hostLoc},
		{"upper case", host("App.example.com"), hostLoc},
		{"scheme", host("https://app.example.com"), hostLoc},
		{"path", host("app.example.com/login"), hostLoc},
		{"query", host("app.example.com?x=1"), hostLoc},
		{"fragment", host("app.example.com#x"), hostLoc},
		{"wildcard", host("*.example.com"), hostLoc},
		{"inner space", host("app example.com"), hostLoc},
		{"leading space", host(" app.example.com"), hostLoc},
		{"tab", host("app.example.com\\t"), hostLoc},
		{"trailing dot", host("app.example.com."), hostLoc},
		{"trailing dot with port", host("app.example.com.:443"), hostLoc},
		{"port out of range", host("app.example.com:99999"), hostLoc},
		{"empty port", host("app.example.com:"), hostLoc},
		{"port only", host(":3000"), hostLoc},
		{"bare ipv6", host("::1"), hostLoc},
		{"empty label", host("app..example.com"), hostLoc},
		{"user info", host("user@app.example.com"), hostLoc},
		{"bracketed ipv6", host("[::1]:3000"), hostLoc},
		{"non-ascii", host("bücher.example"), hostLoc},
		{"bad punycode", host("xn--zz.example"), hostLoc},
		{"opaque origin", host("null"), hostLoc},
		{"percent-encoded", host("%2A.example.com"), hostLoc},
		{"zero-width space", host("example.com\u200b"), hostLoc},
		{"full-width", host("ａｐｐ.example.com"), hostLoc},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := e.do("PATCH", "/v1/convai/agents/"+id, c.body).wantValidation(t)
			if got[0] != c.want {
				t.Fatalf("issues = %v, want first %s", got, c.want)
			}
		})
	}
	after, _ := e.s.Agent(id)
	if mustJSON(t, after) != mustJSON(t, before) {
		t.Fatalf("a refused PATCH changed the agent:\n%s\n%s", mustJSON(t, before), mustJSON(t, after))
	}
}

func TestPatchValidationCollectsAllIssues(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("v")
	got := e.do("PATCH", "/v1/convai/agents/"+id,
		`{"platform_settings":{"auth":{"enable_auth":"yes","allowlist":[{"hostname":"A.com"},{"hostname":"b.com"},{"hostname":"b.com"}]}}}`).wantValidation(t)
	want := []string{
		`["body","platform_settings","auth","enable_auth"] bool_type`,
		`["body","platform_settings","auth","allowlist",0,"hostname"] value_error`,
		`["body","platform_settings","auth","allowlist",2,"hostname"] value_error`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("issues:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPatchValidationAccepts(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("v")
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = fmt.Sprintf(`{"hostname":"h%d.example.com"}`, i)
	}
	for _, body := range []string{
		`{}`,
		`{"name":"renamed"}`,
		`{"platform_settings":{}}`,
		`{"platform_settings":{"auth":{}}}`,
		`{"platform_settings":{"auth":{"allowlist":[` + strings.Join(ten, ",") + `]}}}`,
		`{"platform_settings":{"auth":{"allowlist":[{"hostname":"localhost:3000"},{"hostname":"127.0.0.1:8080"},{"hostname":"my-app_1.example.co.uk"},{"hostname":"localhost"},{"hostname":"xn--bcher-kva.example"},{"hostname":"example.com:443"}]}}}`,
		`{"platform_settings":{"auth":{"enable_auth":true,"require_origin_header":false,"shareable_token":"ignored","unknown":1}}}`,
		`{"platform_settings":{"auth":{"shareable_token":12}}}`,
	} {
		e.do("PATCH", "/v1/convai/agents/"+id, body).wantStatus(t, 200)
	}
}

// The fake refuses an entry with the provider's reason, as a pydantic value error.
func TestHostnameProblem(t *testing.T) {
	for _, ok := range []string{"a", "app.example.com", "localhost:3000", "127.0.0.1", "x-y_z.io:65535", "_preview.example.com", "xn--bcher-kva.example", "example.com:443", "null:8080"} {
		if p := hostnameProblem(ok); p != "" {
			t.Errorf("hostnameProblem(%q) = %q, want none", ok, p)
		}
	}
	for _, bad := range []string{"", "A.com", "http://a.com", "a.com/", "a.com?q", "a.com#f", "*.a.com", "a .com", "a.com.", "a.com:0", "a.com:x", "[::1", "[::1]", "[1.2.3.4]", "[::1]x", "a:b:c", "ä.com", ".a.com", "null", "xn--zz.com", "%2A.a.com", "a\u00ad.com"} {
		if p := hostnameProblem(bad); p == "" {
			t.Errorf("hostnameProblem(%q) accepted it", bad)
		}
	}
	e := newEnv(t)
	id := e.s.CreateAgent("v")
	r := e.do("PATCH", "/v1/convai/agents/"+id, `{"platform_settings":{"auth":{"allowlist":[{"hostname":"bücher.example"},{"hostname":"null"}]}}}`)
	r.wantValidation(t)
	var body struct {
		Detail []struct {
			Msg string `json:"msg"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range body.Detail {
		got = append(got, d.Msg)
	}
	want := []string{
		`Value error, it is an internationalised name, which browsers send in its punycode (xn--) form`,
		`Value error, "null" is the Origin browsers send from sandboxed iframes and file:// pages: it names no site (any such page anywhere sends it), so it cannot stand for yours; list the hostname of the page that embeds the agent`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
