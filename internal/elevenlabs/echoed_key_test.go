package elevenlabs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// echoKey is an API key with the characters that URL and JSON escape, so
// that each form differs from the raw key.
const echoKey = "sk_live/0123+4567&89<ab>cdef=="

// keyForms are the ways a hostile server or proxy may write echoKey inside
// a JSON string, by name.
func keyForms(key string) map[string]string {
	b := []byte(key)
	jsonHTML, _ := json.Marshal(key) // \u003c, \u003e, \u0026
	everyChar := ""
	for _, r := range key {
		everyChar += fmt.Sprintf(`\u%04x`, r)
	}
	blob := base64.StdEncoding.EncodeToString([]byte("echo:" + key + ":blob"))
	nested, _ := json.Marshal(`{"name":` + string(jsonHTML) + `}`)
	return map[string]string{
		"raw":                         key,
		"URL query-encoded":           url.QueryEscape(key),
		"URL path-encoded":            url.PathEscape(key),
		"URL-encoded, lower hex":      strings.ToLower(url.QueryEscape(key)),
		"JSON-escaped":                strings.Trim(string(jsonHTML), `"`),
		"JSON-escaped, \\/":           strings.ReplaceAll(key, "/", `\/`),
		"JSON-escaped, \\u each":      everyChar,
		"JSON-escaped twice":          strings.Trim(string(nested), `"`),
		"base64":                      base64.StdEncoding.EncodeToString(b),
		"base64, no padding":          base64.RawStdEncoding.EncodeToString(b),
		"base64url":                   base64.URLEncoding.EncodeToString(b),
		"base64url, no padding":       base64.RawURLEncoding.EncodeToString(b),
		"inside a longer base64 blob": blob,
	}
}

// TestAnswerEchoingTheKeyIsRefused: a 2xx answer that holds the API key in
// any form, here in an agent's name, is refused as a whole, by every call:
// the error says so with the key masked and what to check, and nothing of
// the answer is used. No legitimate answer carries the key.
func TestAnswerEchoingTheKeyIsRefused(t *testing.T) {
	const auth = `"platform_settings":{"auth":{"enable_auth":true,"allowlist":[],"require_origin_header":false}}`
	for name, form := range keyForms(echoKey) {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"agent_id":"agent_1","name":"`+form+`",`+auth+`}`)
			}), func(cfg *Config) { cfg.APIKey = echoKey })
			a, err := c.GetAgent(context.Background(), "agent_1")
			var ee *EchoedKeyError
			if !errors.As(err, &ee) || a != nil {
				t.Fatalf("agent %+v, err %v; want an *EchoedKeyError", a, err)
			}
			want := "ElevenLabs API: GET /v1/convai/agents/agent_1 returned 200 with an answer that holds the API key " +
				"(***), which no ElevenLabs answer carries: the whole answer is refused and nothing in it is used. " +
				"Check that base_url (or ELEVENLABS_BASE_URL) points at the ElevenLabs API itself, and that no proxy " +
				"between them (HTTPS_PROXY) rewrites answers"
			if err.Error() != want {
				t.Errorf("error\n%s\nwant\n%s", err, want)
			}
		})
	}
	// Every call that reads an answer.
	body := `{"agents":[],"has_more":false,"signed_url":"wss://h/v1/convai/conversation?conversation_signature=s",` +
		`"token":"t_0123456789","conversation_id":"` + echoKey + `",` + auth + `}`
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, body)
	}), func(cfg *Config) { cfg.APIKey = echoKey })
	ctx := context.Background()
	enable := true
	for call, err := range map[string]error{
		"GET":    second(c.GetAgent(ctx, "agent_1")),
		"PATCH":  second(c.UpdateAgentAuth(ctx, "agent_1", AuthUpdate{EnableAuth: &enable})),
		"list":   c.WalkAgents(ctx, WalkOptions{}, func(ListedAgent) (bool, bool) { return true, true }),
		"signed": second(c.GetSignedURL(ctx, SignedURLRequest{AgentID: "agent_1"})),
		"token":  second(c.GetConversationToken(ctx, ConversationTokenRequest{AgentID: "agent_1"})),
		"Call":   c.Call(ctx, http.MethodGet, "/v1/anything", nil, nil, &struct{}{}),
	} {
		var ee *EchoedKeyError
		if !errors.As(err, &ee) || strings.Contains(err.Error(), echoKey) {
			t.Errorf("%s: %v; want an *EchoedKeyError with the key masked", call, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestAnswersWithOtherSecretsAreUsed: only the API key is refused. A minted
// token, a signature or a shareable_token is in its own answer by design, a
// proxy password may be a common word, and a key shorter than any real key
// (MinCheckedKey) would match ordinary text: answers holding them are
// used as before.
func TestAnswersWithOtherSecretsAreUsed(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://runner:support@proxy.invalid:3128") // loopback servers bypass it
	const auth = `"platform_settings":{"auth":{"enable_auth":true,"allowlist":[],"require_origin_header":false,"shareable_token":"shr_0123456789abcdef"}}`
	for key, name := range map[string]string{
		testKey: "support",           // the proxy password
		"Supp":  "Support " + "Supp", // a short key
	} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"agent_id":"agent_1","name":"`+name+`",`+auth+`}`)
		}), func(cfg *Config) { cfg.APIKey = key })
		if _, err := c.GetAgent(context.Background(), "agent_1"); err != nil {
			t.Errorf("key %q: %v", key, err)
		}
	}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"token":"tok_0123456789abcdef","conversation_id":"conv_1"}`)
	}))
	for range 2 { // the second answer repeats a token the client has learned
		if _, err := c.GetConversationToken(context.Background(), ConversationTokenRequest{AgentID: "agent_1"}); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkEchoedKeyCheck measures the check on a 100 KiB agent answer (a
// long prompt, with the \n and \" escapes the API writes) against what the
// client does with that answer anyway: decoding it.
func BenchmarkEchoedKeyCheck(b *testing.B) {
	prompt := strings.Repeat(`You are the support agent of Example Ltd.\nAnswer in two sentences; say \"sorry\" once. `, 100<<10/86)
	body := []byte(`{"agent_id":"agent_1","name":"Support","conversation_config":{"agent":{"prompt":{"prompt":"` + prompt +
		`"}}},"platform_settings":{"auth":{"enable_auth":true,"allowlist":[],"require_origin_header":false}}}`)
	f := newKeyFinder("sk_" + strings.Repeat("0123456789abcdef", 3))
	b.Run("key check", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if f.In(body) {
				b.Fatal("found")
			}
		}
	})
	b.Run("decoding the answer", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var a Agent
			if err := json.Unmarshal(body, &a); err != nil {
				b.Fatal(err)
			}
		}
	})
}
