package fakeapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// t0 is the fixed start time of the test clocks.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type testEnv struct {
	t     *testing.T
	s     *Server
	ts    *httptest.Server
	clock *Clock
}

// newEnv starts the fake (its Mux, so /_fake/ works too) with its clock
// standing at t0.
func newEnv(t *testing.T, opts ...Option) *testEnv {
	t.Helper()
	s := New(opts...)
	s.Clock().Set(t0)
	ts := httptest.NewServer(s.Mux())
	t.Cleanup(ts.Close)
	return &testEnv{t: t, s: s, ts: ts, clock: s.Clock()}
}

// withKey adds a key with only the given scopes (ScopeRead, ScopeWrite), e.g.
// a read-only key to provoke missing_permissions. It does not replace the
// default full-scope key.
func withKey(key string, scopes ...string) Option {
	return func(c *config) { c.keys[key] = append(c.keys[key], scopes...) }
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with xi-api-key "test-key" unless hdr sets
// "xi-api-key" ("" removes it). hdr is key, value pairs.
func (e *testEnv) do(method, path, body string, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("xi-api-key", DefaultAPIKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// json decodes the body as a JSON object.
func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// wantStatus fails unless the status is want.
func (r resp) wantStatus(t *testing.T, want int) resp {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body: %s", r.status, want, r.body)
	}
	return r
}

// wantAppError checks status and the object form of detail.
func (r resp) wantAppError(t *testing.T, status int, code string) map[string]any {
	t.Helper()
	r.wantStatus(t, status)
	d, ok := r.json(t)["detail"].(map[string]any)
	if !ok {
		t.Fatalf("detail is not an object: %s", r.body)
	}
	if d["status"] != code || d["code"] != code {
		t.Fatalf("detail status/code = %v/%v, want %q: %s", d["status"], d["code"], code, r.body)
	}
	if msg, _ := d["message"].(string); msg == "" {
		t.Fatalf("detail.message is empty: %s", r.body)
	}
	if rid := r.header.Get("request-id"); rid == "" || d["request_id"] != rid {
		t.Fatalf("detail.request_id = %v, request-id header = %q", d["request_id"], rid)
	}
	return d
}

// wantValidation checks a 422 with the array form and returns the issues as
// "loc-json type" strings.
func (r resp) wantValidation(t *testing.T) []string {
	t.Helper()
	r.wantStatus(t, http.StatusUnprocessableEntity)
	var body struct {
		Detail []struct {
			Loc  json.RawMessage `json:"loc"`
			Msg  string          `json:"msg"`
			Type string          `json:"type"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || len(body.Detail) == 0 {
		t.Fatalf("422 body is not the array form: %v: %s", err, r.body)
	}
	var out []string
	for _, d := range body.Detail {
		if d.Msg == "" || d.Type == "" {
			t.Fatalf("issue without msg or type: %s", r.body)
		}
		out = append(out, string(d.Loc)+" "+d.Type)
	}
	return out
}

// getPath walks nested maps: getPath(m, "platform_settings", "auth").
func getPath(m map[string]any, keys ...string) (any, bool) {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = mm[k]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
