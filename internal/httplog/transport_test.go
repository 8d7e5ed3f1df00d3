package httplog

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

const (
	key       = "sk_live_abcdef0123456789"
	signature = "sig_0f3c9a7b1e5d"
)

func TestTransportMasksSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		// A server that echoes the key, and a signed URL as the API returns it.
		_, _ = io.WriteString(w, `{"signed_url":"wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&conversation_signature=`+signature+`","echo":"`+r.Header.Get("xi-api-key")+`"}`)
	}))
	defer srv.Close()

	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	client := &http.Client{Transport: New(http.DefaultTransport, redact.NewSecrets(key))}

	body := `{"note":"key ` + key + ` and wss://h/c?conversation_signature=` + signature + `"}`
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1/convai/conversation/get-signed-url?agent_id=agent_1&conversation_signature="+signature, strings.NewReader(body))
	req.Header.Set("xi-api-key", key)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()

	// The caller still sees the real body: only the log is masked.
	if !strings.Contains(string(got), signature) {
		t.Fatalf("response body was altered: %s", got)
	}
	out := logs.String()
	for _, secret := range []string{key, signature} {
		if strings.Contains(out, secret) {
			t.Errorf("log leaks %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{
		`"@module":"provider.elevenlabs_http"`,
		`"http.method":"POST"`,
		`"http.status":200`,
		`Xi-Api-Key: ***`,
		`"http.body":"{\"signed_url\":\"***\",\"echo\":\"***\"}"`,
		`ElevenLabs API request headers and body`,
		`ElevenLabs API response headers and body`,
		`get-signed-url?agent_id=agent_1\u0026conversation_signature=***"`,
		`ElevenLabs API request`,
		`ElevenLabs API response`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

func TestTransportQuietBelowDebug(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_ELEVENLABS_HTTP", "WARN")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "{}") }))
	defer srv.Close()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := (&http.Client{Transport: New(http.DefaultTransport, redact.NewSecrets(key))}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if logs.Len() != 0 {
		t.Errorf("logged at WARN level: %s", logs.String())
	}
}

func TestMask(t *testing.T) {
	tr := New(nil, redact.NewSecrets(key))
	for in, want := range map[string]string{
		`{"signed_url":"wss://h/v1/convai/conversation?agent_id=a&conversation_signature=x"}`: `{"signed_url":"***"}`,
		`{"signed_url" : "a\"b"}`:                      `{"signed_url" : "***"}`,
		"GET /x?conversation_signature=abc&agent_id=a": "GET /x?conversation_signature=***&agent_id=a",
		"key=" + key: "key=***",
		"plain text": "plain text",
		// Conversation tokens: the "token" field, and any JWT-shaped value.
		`{"token":"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln","conversation_id":"conv_1"}`: `{"token":"***","conversation_id":"conv_1"}`,
		`{"token" : "opaque"}`:                             `{"token" : "***"}`,
		`{"shareable_token":null,"tokens":1}`:              `{"shareable_token":null,"tokens":1}`,
		"got eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln-_x ok": "got *** ok",
	} {
		if got := tr.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTransportDebugLogsCallsWithoutBodies(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_ELEVENLABS_HTTP", "DEBUG")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"agent_id":"agent_1","body_marker":true}`)
	}))
	defer srv.Close()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/v1/convai/agents/agent_1", nil)
	req.Header.Set("xi-api-key", key)
	resp, err := (&http.Client{Transport: New(http.DefaultTransport, redact.NewSecrets(key))}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if !strings.Contains(string(b), "body_marker") {
		t.Fatalf("body lost: %s", b)
	}
	out := logs.String()
	for _, want := range []string{`"@message":"ElevenLabs API request"`, `"@message":"ElevenLabs API response"`, `"http.status":200`, `"http.duration_ms":`} {
		if !strings.Contains(out, want) {
			t.Errorf("DEBUG log lacks %s:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"body_marker", "http.headers", key} {
		if strings.Contains(out, unwanted) {
			t.Errorf("DEBUG log holds %s (headers and bodies are TRACE only):\n%s", unwanted, out)
		}
	}
}

// TestTraceMasksTokensAndJWTs: an agent answer carries its shareable_token, a
// conversation-token answer a JWT; at TRACE neither reaches the log, nor does a
// token echoed inside an error message's escaped JSON.
func TestTraceMasksTokensAndJWTs(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_ELEVENLABS_HTTP", "TRACE")
	const (
		shareable = "shr_7d1e0c9b2a4f6e8d"
		jwt       = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjb252In0.c2lnbmF0dXJlX3NlY3JldA"
		echoed    = "echoed_tok_5a6b7c8d"
	)
	bodies := map[string]string{
		"/v1/convai/agents/agent_1":         `{"agent_id":"agent_1","platform_settings":{"auth":{"enable_auth":true,"allowlist":[],"shareable_token":"` + shareable + `"}}}`,
		"/v1/convai/conversation/token":     `{"token":"` + jwt + `","conversation_id":"conv_1"}`,
		"/v1/convai/conversation/token/err": `{"detail":{"message":"echo {\"token\": \"` + echoed + `\"} and ` + jwt + `"}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, bodies[r.URL.Path])
	}))
	defer srv.Close()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	rt := New(http.DefaultTransport, redact.NewSecrets(key))
	for p := range bodies {
		if b := get(t, ctx, rt, srv.URL+p+"?agent_id=agent_1"); b != bodies[p] {
			t.Errorf("the caller got %q, want the body unchanged", b)
		}
	}
	out := logs.String()
	for _, secret := range []string{shareable, jwt, "c2lnbmF0dXJlX3NlY3JldA", echoed} {
		if strings.Contains(out, secret) {
			t.Errorf("TRACE log leaks %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{`\"shareable_token\":\"***\"`, `\"token\":\"***\"`, `\"conversation_id\":\"conv_1\"`} {
		if !strings.Contains(out, want) {
			t.Errorf("TRACE log lacks %s:\n%s", want, out)
		}
	}
}

// TestTraceLearnsEchoedSecrets: the log learns what an answer carries under a
// secret's name (a minted token, a shareable_token) and masks it wherever an
// answer echoes it: in the same answer under a key the name rules do not
// know, deep in an array, in a header such as X-Share, base64-encoded, or in a
// later answer. Without masking by value each of these reaches the log.
func TestTraceLearnsEchoedSecrets(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_ELEVENLABS_HTTP", "TRACE")
	const (
		minted    = "opaque_livekit_token_0f1e2d3c"
		shareable = "shr_7d1e0c9b2a4f6e8d"
	)
	b64 := base64.StdEncoding.EncodeToString
	bodies := map[string]string{
		"/mint":  `{"token":"` + minted + `","tokens":[["x","` + minted + `"]]}`,
		"/agent": `{"platform_settings":{"auth":{"shareable_token":"` + shareable + `"}}}`,
		"/echo":  `{"detail":{"message":"seen ` + b64([]byte(minted)) + ` and ` + shareable + `","list":["a","` + minted + `"]}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Share", minted) // from the first answer on, whose body carries it
		if r.URL.Path == "/echo" {
			w.Header().Add("X-Share", shareable)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, bodies[r.URL.Path])
	}))
	defer srv.Close()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	rt := New(http.DefaultTransport, redact.NewSecrets(key))
	for _, p := range []string{"/mint", "/agent", "/echo"} {
		get(t, ctx, rt, srv.URL+p)
	}
	out := logs.String()
	for _, secret := range []string{minted, shareable, b64([]byte(minted))} {
		if strings.Contains(out, secret) {
			t.Errorf("TRACE log leaks %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{`X-Share: ***, ***`, `\"tokens\":[[\"x\",\"***\"]]`, `\"message\":\"seen *** and ***\"`} {
		if !strings.Contains(out, want) {
			t.Errorf("TRACE log lacks %s:\n%s", want, out)
		}
	}
}
