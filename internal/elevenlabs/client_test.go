package elevenlabs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

const testKey = "sk_test_0123456789abcdef"

// newTestClient points a client at h with fast retries.
func newTestClient(t *testing.T, h http.Handler, mod ...func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{BaseURL: srv.URL, APIKey: testKey, UserAgent: UserAgent("1.2.3", "1.12.6"), MaxRetries: 3,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, RequestTimeout: 2 * time.Second}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// otherSecret is a secret the client knows besides the key, as a proxy
// password is: an answer that echoes it is used (only the key is refused
// whole: echoed_key.go), and every message masks it.
const otherSecret = "px_pass_5e4d3c2b1a09"

// withOtherSecret makes the client know otherSecret.
func withOtherSecret(cfg *Config) { cfg.Secrets = redact.NewSecrets(otherSecret) }

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

const agentJSON = `{"agent_id":"agent_1","name":"Support","conversation_config":{},"metadata":{"created_at_unix_secs":1,"updated_at_unix_secs":2},
 "platform_settings":{"auth":{"enable_auth":false,"allowlist":[{"hostname":"app.example.com"}],"require_origin_header":true,"shareable_token":"tok_secret"},
 "call_limits":{"agent_concurrency_limit":-1,"daily_limit":100000,"bursting_enabled":true},"widget":{"x":1}},"tags":[]}`

func TestGetAgentSendsHeadersAndDecodes(t *testing.T) {
	var got *http.Request
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		writeJSON(w, 200, agentJSON)
	}))
	a, err := c.GetAgent(context.Background(), "agent_1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != "GET" || got.URL.Path != "/v1/convai/agents/agent_1" {
		t.Errorf("request = %s %s", got.Method, got.URL.Path)
	}
	if got.Header.Get("xi-api-key") != testKey {
		t.Errorf("xi-api-key header = %q", got.Header.Get("xi-api-key"))
	}
	if ua := got.Header.Get("User-Agent"); ua != "terraform-provider-elevenlabs/1.2.3 (terraform 1.12.6)" {
		t.Errorf("User-Agent = %q", ua)
	}
	auth, err := a.Auth()
	if err != nil {
		t.Fatal(err)
	}
	if auth.EnableAuth || !auth.RequireOriginHeader || len(auth.Allowlist) != 1 || auth.Allowlist[0].Hostname != "app.example.com" {
		t.Errorf("auth = %+v", auth)
	}
}

func TestAgentIDIsPathEscaped(t *testing.T) {
	var raw string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw = r.URL.EscapedPath()
		writeJSON(w, 200, `{"agent_id":"a b%c"}`)
	}))
	if _, err := c.GetAgent(context.Background(), "a b%c"); err != nil {
		t.Fatal(err)
	}
	if raw != "/v1/convai/agents/a%20b%25c" {
		t.Errorf("escaped path = %q", raw)
	}
}

// TestUnreadableAuthIsNeverTheDefaults: an answer whose auth settings cannot
// be read (none, null, another shape, a field null or of the wrong type) still
// decodes, and Auth says what is wrong instead of reading it as the API
// defaults, a public agent. A field missing from an auth object reads as its
// documented default.
func TestUnreadableAuthIsNeverTheDefaults(t *testing.T) {
	for body, want := range map[string]string{
		`null`:                                                            "the answer is null, not an agent",
		`{"agent_id":"a","name":"n"}`:                                     "the answer has no platform_settings",
		`{"platform_settings":null}`:                                      "platform_settings is null, not an object",
		`{"platform_settings":[]}`:                                        "platform_settings is an array, not an object",
		`{"platform_settings":{"widget":{}}}`:                             "platform_settings has no auth",
		`{"platform_settings":{"auth":null}}`:                             "platform_settings.auth is null, not an object",
		`{"platform_settings":{"auth":"on"}}`:                             "platform_settings.auth is a string, not an object",
		`{"platform_settings":{"auth":[true]}}`:                           "platform_settings.auth is an array, not an object",
		`{"platform_settings":{"auth":{"enable_auth":"true"}}}`:           "platform_settings.auth.enable_auth is a string, not a boolean",
		`{"platform_settings":{"auth":{"enable_auth":null}}}`:             "platform_settings.auth.enable_auth is null",
		`{"platform_settings":{"auth":{"enable_auth":1}}}`:                "platform_settings.auth.enable_auth is a number, not a boolean",
		`{"platform_settings":{"auth":{"allowlist":null}}}`:               "platform_settings.auth.allowlist is null",
		`{"platform_settings":{"auth":{"allowlist":"app.example.com"}}}`:  "platform_settings.auth.allowlist is a string, not an array",
		`{"platform_settings":{"auth":{"allowlist":{"hostname":"a.b"}}}}`: "platform_settings.auth.allowlist is an object, not an array",
		`{"platform_settings":{"auth":{"require_origin_header":"no"}}}`:   "platform_settings.auth.require_origin_header is a string, not a boolean",
	} {
		t.Run(body, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) }))
			a, err := c.GetAgent(context.Background(), "a")
			if err != nil {
				t.Fatal(err)
			}
			auth, err := a.Auth()
			var ue *UnreadableAuthError
			if !errors.As(err, &ue) || ue.Problem != want || ue.AgentID != "a" {
				t.Fatalf("Auth() = %+v, %v; want an UnreadableAuthError %q", auth, err, want)
			}
			if got := err.Error(); got != "the auth settings of agent a cannot be read from the API's answer: "+want {
				t.Errorf("message %q", got)
			}
		})
	}
	for body, want := range map[string]AuthSettings{
		`{"platform_settings":{"auth":{}}}`:                                      {},
		`{"platform_settings":{"auth":{"enable_auth":true,"new_field":[1]}}}`:    {EnableAuth: true},
		`{"platform_settings":{"auth":{"allowlist":[],"shareable_token":null}}}`: {Allowlist: []AllowlistItem{}},
		// Only the exact names count, as in the official SDKs: a twin in
		// another letter case neither overrides a checked member nor slips
		// in a value (null here) that the checks refuse.
		`{"platform_settings":{"auth":{"enable_auth":false,"ENABLE_AUTH":true}}}`:                        {},
		`{"platform_settings":{"auth":{"Enable_Auth":true,"Allowlist":[{"hostname":"a.example.com"}]}}}`: {},
		`{"platform_settings":{"auth":{"enable_auth":true,"Enable_Auth":null}}}`:                         {EnableAuth: true},
		`{"platform_settings":{"auth":{}},"PLATFORM_SETTINGS":{"auth":{"enable_auth":true}}}`:            {},
	} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) }))
		a, err := c.GetAgent(context.Background(), "a")
		if err != nil {
			t.Fatal(err)
		}
		if auth, err := a.Auth(); err != nil || fmt.Sprint(auth) != fmt.Sprint(want) {
			t.Errorf("answer %s: auth %+v, %v; want %+v", body, auth, err, want)
		}
	}
	// A wrong type outside the auth settings still fails the whole answer.
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"agent_id":5}`) }))
	if _, err := c.GetAgent(context.Background(), "a"); err == nil || !strings.Contains(err.Error(), "not the expected JSON") {
		t.Errorf("agent_id of the wrong type: %v", err)
	}
}

func TestUpdateAgentAuthSendsOnlyAuth(t *testing.T) {
	var body map[string]any
	var ct string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct = r.Header.Get("Content-Type")
		if r.Method != http.MethodPatch {
			t.Errorf("method = %s", r.Method)
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		writeJSON(w, 200, agentJSON)
	}))
	f, empty := false, []AllowlistItem(nil)
	if _, err := c.UpdateAgentAuth(context.Background(), "agent_1", AuthUpdate{EnableAuth: &f, Allowlist: &empty, RequireOriginHeader: &f}); err != nil {
		t.Fatal(err)
	}
	if ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	b, _ := json.Marshal(body)
	want := `{"platform_settings":{"auth":{"allowlist":[],"enable_auth":false,"require_origin_header":false}}}`
	if string(b) != want {
		t.Errorf("PATCH body = %s, want %s", b, want)
	}

	// Only the fields that are set are sent.
	tr := true
	if _, err := c.UpdateAgentAuth(context.Background(), "agent_1", AuthUpdate{EnableAuth: &tr}); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(body)
	if want := `{"platform_settings":{"auth":{"enable_auth":true}}}`; string(b) != want {
		t.Errorf("PATCH body = %s, want %s", b, want)
	}
}

func TestSignedURLQuery(t *testing.T) {
	var q string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q = r.URL.Path + "?" + r.URL.RawQuery
		writeJSON(w, 200, `{"signed_url":"wss://api.elevenlabs.io/v1/convai/conversation?agent_id=a&conversation_signature=sig"}`)
	}))
	u, err := c.GetSignedURL(context.Background(), SignedURLRequest{AgentID: "a", IncludeConversationID: true, BranchID: "b1", Environment: "staging"})
	if err != nil {
		t.Fatal(err)
	}
	if u != "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=a&conversation_signature=sig" {
		t.Errorf("url = %q", u)
	}
	if want := "/v1/convai/conversation/get-signed-url?agent_id=a&branch_id=b1&environment=staging&include_conversation_id=true"; q != want {
		t.Errorf("query = %q, want %q", q, want)
	}
}

// TestCall: a request no typed method sends goes the client's one path: the
// body as given, the key header, the path escaped, a 2xx answer decoded, an
// error answer an *APIError with the key masked, and no redirect followed.
func TestCall(t *testing.T) {
	var got struct {
		method, path, ctype, key string
		body                     []byte
	}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.method, got.path, got.ctype, got.key = r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"), r.Header.Get(HeaderAPIKey)
		got.body, _ = io.ReadAll(r.Body)
		switch r.Method {
		case http.MethodPost:
			writeJSON(w, 200, `{"agent_id":"agent_new"}`)
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		case http.MethodPut:
			http.Redirect(w, r, "https://elsewhere.example/", http.StatusFound)
		default:
			writeJSON(w, 422, `{"detail":[{"loc":["body","`+testKey+`"],"msg":"bad","type":"value_error"}]}`)
		}
	}))
	var out struct {
		AgentID string `json:"agent_id"`
	}
	if err := c.Call(context.Background(), http.MethodPost, "/v1/convai/agents/create", nil, []byte(`{"name":"x","conversation_config":{}}`), &out); err != nil || out.AgentID != "agent_new" {
		t.Fatalf("POST: %v, %+v", err, out)
	}
	if got.body == nil || string(got.body) != `{"name":"x","conversation_config":{}}` || got.ctype != "application/json" || got.key != testKey {
		t.Errorf("POST sent body %s, content type %q, key %q", got.body, got.ctype, got.key)
	}
	if err := c.Call(context.Background(), http.MethodDelete, "/v1/convai/agents/a b/c", nil, nil, nil); err != nil {
		t.Fatalf("DELETE: %v", err)
	}
	if got.path != "/v1/convai/agents/a%20b/c" || len(got.body) != 0 {
		t.Errorf("DELETE sent path %s, body %q", got.path, got.body)
	}
	err := c.Call(context.Background(), http.MethodPatch, "/v1/convai/agents/a", nil, []byte(`{"platform_settings":{"auth":null}}`), nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 422 || strings.Contains(err.Error(), testKey) || !strings.Contains(ae.Detail(), "validation failed") {
		t.Errorf("PATCH answered 422: %v", err)
	}
	if err := c.Call(context.Background(), http.MethodPut, "/v1/x", nil, nil, nil); !IsRedirect(err) {
		t.Errorf("PUT answered 302: %v, want a redirect error", err)
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	_, err := New(Config{BaseURL: "api.elevenlabs.io"})
	if err == nil || err.Error() != `invalid base URL "api.elevenlabs.io": want an absolute URL such as https://api.elevenlabs.io` {
		t.Errorf("err = %v", err)
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	var n atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, `{"detail":{"status":"system_busy","message":"busy"}}`)
	}), func(c *Config) { c.RetryWaitMax = time.Minute; c.MaxRetries = 10 })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetAgent(ctx, "a")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s after the context ended", el)
	}
	if n.Load() != 1 {
		t.Errorf("attempts = %d, want 1", n.Load())
	}
}

func TestRequestTimeoutIsRetriedThenReported(t *testing.T) {
	var n atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}), func(c *Config) { c.RequestTimeout = 50 * time.Millisecond; c.MaxRetries = 2 })
	_, err := c.GetAgent(context.Background(), "a")
	var te *TransportError
	if !errors.As(err, &te) || !te.Timeout {
		t.Fatalf("err = %v, want a timeout TransportError", err)
	}
	if !strings.HasPrefix(err.Error(), "ElevenLabs API: GET /v1/convai/agents/a: request timed out: ") {
		t.Errorf("message = %q", err)
	}
	if n.Load() != 3 {
		t.Errorf("attempts = %d, want 3 (1 + 2 retries)", n.Load())
	}
}

// TestMalformedAllowlistEntriesAreKept: entries that are not {"hostname":
// string} do not fail the read; each is kept as its JSON text, masked and short.
func TestMalformedAllowlistEntriesAreKept(t *testing.T) {
	long := strings.Repeat("x", 200)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"agent_id":"a","platform_settings":{"auth":{"allowlist":[
			{"hostname":"ok.example.com","note":1}, 42, "app.example.com", null, {}, {"hostname":null}, {"hostname":5},
			{"hostname":""}, {"host":"`+otherSecret+`"}, "`+long+`"]}}}`)
	}), withOtherSecret)
	a, err := c.GetAgent(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	auth, err := a.Auth()
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range auth.Allowlist {
		if it.Malformed != "" {
			got = append(got, "bad "+it.Malformed)
		} else {
			got = append(got, "ok "+it.Hostname)
		}
	}
	want := []string{"ok ok.example.com", "bad 42", `bad "app.example.com"`, "bad null", "bad {}", `bad {"hostname":null}`,
		`bad {"hostname":5}`, "ok ", `bad {"host":"***"}`, `bad "` + strings.Repeat("x", maxMalformed-1) + "…"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("entries\n got %q\nwant %q", got, want)
	}
}

// TestPatchAnswerWithoutAuthIsAnError: a 2xx answer to the auth PATCH that has
// no platform_settings.auth (or is null) cannot confirm the change.
func TestPatchAnswerWithoutAuthIsAnError(t *testing.T) {
	for body, problem := range map[string]string{
		`null`:             "the answer is null, not an agent",
		`{}`:               "the answer has no platform_settings",
		`{"agent_id":"a"}`: "the answer has no platform_settings",
		`{"agent_id":"a","platform_settings":{}}`:                             "platform_settings has no auth",
		`{"agent_id":"a","platform_settings":null}`:                           "platform_settings is null, not an object",
		`{"agent_id":"a","platform_settings":{"auth":null}}`:                  "platform_settings.auth is null, not an object",
		`{"agent_id":"a","platform_settings":{"auth":{"enable_auth":"yes"}}}`: "platform_settings.auth.enable_auth is a string, not a boolean",
	} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) }))
		enable := true
		_, err := c.UpdateAgentAuth(context.Background(), "a", AuthUpdate{EnableAuth: &enable})
		var nae *NoAuthAnswerError
		want := "ElevenLabs API: PATCH /v1/convai/agents/a succeeded but answered without auth settings (" + problem + "), " +
			"so the provider cannot confirm that the change was saved and reports it as not done. Run the command again; " +
			"if this repeats, check that the base URL points at the ElevenLabs API"
		if !errors.As(err, &nae) || err.Error() != want {
			t.Errorf("answer %s:\n got %v\nwant %s", body, err, want)
		}
	}
}

// TestBodyCutAtTheLimitSaysSo: an answer larger than the provider reads is
// reported as cut at the limit, not as broken JSON; for an error answer too.
func TestBodyCutAtTheLimitSaysSo(t *testing.T) {
	huge := `{"agent_id":"a","name":"` + strings.Repeat("n", maxResponseBytes) + `"}`
	for _, status := range []int{200, 500} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, status, huge) }),
			func(c *Config) { c.MaxRetries = 0 })
		_, err := c.GetAgent(context.Background(), "a")
		want := "GET /v1/convai/agents/a returned 200 with a body larger than 4 MiB, the most the provider reads"
		if status == 500 {
			want = "GET /v1/convai/agents/a returned 500 Internal Server Error: response body larger than 4 MiB, the most the provider reads"
		}
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "unexpected end of JSON input") {
			t.Errorf("status %d: error %v, want one containing %q", status, err, want)
		}
	}
	// Exactly at the limit is still read whole.
	exact := `{"agent_id":"a","name":"` + strings.Repeat("n", maxResponseBytes-len(`{"agent_id":"a","name":""}`)) + `"}`
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, exact) }))
	if a, err := c.GetAgent(context.Background(), "a"); err != nil || a.AgentID != "a" {
		t.Errorf("a body of exactly the limit: %v", err)
	}
}
