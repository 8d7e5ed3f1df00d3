package elevenlabs

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// echoForms writes v as a hostile server or proxy could echo it: under a key
// the name rules do not know, deep in an array, URL-encoded, base64 and
// base64url, and inside a longer base64 blob.
func echoForms(v string) string {
	b := []byte(v)
	return strings.Join([]string{
		`"tokens": [["x", "` + v + `"]]`,
		"X-Share: " + v,
		url.QueryEscape(v),
		base64.StdEncoding.EncodeToString(b),
		base64.RawURLEncoding.EncodeToString(b),
		base64.StdEncoding.EncodeToString([]byte("prefix:" + v + ":suffix")),
	}, " | ")
}

// TestErrorsMaskWhatTheClientSaw: a server mints a token, a signed URL and
// answers an agent with its shareable_token; then every error it gives echoes
// them, and the key, in every form. No error repeats any of them.
func TestErrorsMaskWhatTheClientSaw(t *testing.T) {
	const (
		token     = "opaque-token-5f0e1d2c3b4a6978"
		jwtSig    = "c2lnbmF0dXJlLW9mLXRoZS1qd3Q"
		signature = "sig_0f3c9a7b1e5d4c2a"
		shareable = "shr_7d1e0c9b2a4f6e8d"
	)
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0." + jwtSig
	var echo string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v1/convai/conversation/token" && r.URL.Query().Get("agent_id") == "agent_1":
			writeJSON(w, 200, `{"token":"`+token+`","conversation_id":"conv_1"}`)
		case r.URL.Path == "/v1/convai/conversation/token":
			writeJSON(w, 200, `{"token":"`+jwt+`","conversation_id":"conv_2"}`)
		case r.URL.Path == "/v1/convai/conversation/get-signed-url":
			writeJSON(w, 200, `{"signed_url":"wss://h/v1/convai/conversation?agent_id=agent_1\u0026conversation_signature=`+signature+`"}`)
		case echo != "":
			writeJSON(w, 400, `{"detail":{"code":"echo","message":"`+strings.ReplaceAll(echo, `"`, `\"`)+`"}}`)
		default:
			writeJSON(w, 200, strings.Replace(agentJSON, "tok_secret", shareable, 1))
		}
	}))
	ctx := context.Background()
	if _, err := c.GetConversationToken(ctx, ConversationTokenRequest{AgentID: "agent_1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetConversationToken(ctx, ConversationTokenRequest{AgentID: "agent_2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetSignedURL(ctx, SignedURLRequest{AgentID: "agent_1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAgent(ctx, "agent_1"); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testKey, token, jwt, jwtSig, signature, shareable} {
		echo = echoForms(secret)
		_, err := c.GetAgent(ctx, "agent_1")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Code != "echo" {
			t.Fatalf("want the echo error, got %v", err)
		}
		blob := base64.StdEncoding.EncodeToString([]byte("prefix:" + secret + ":suffix"))
		for _, leak := range []string{secret, url.QueryEscape(secret), base64.StdEncoding.EncodeToString([]byte(secret)),
			base64.RawURLEncoding.EncodeToString([]byte(secret)), blob[10 : 8*(7+len(secret))/6]} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("the error repeats %q (a form of %.10s…): %v", leak, secret, err)
			}
		}
		if strings.Count(err.Error(), "***") < 6 {
			t.Errorf("the error masks fewer than the 6 echoes of %.10s…: %v", secret, err)
		}
	}
}

// TestProxyCredentialsMasked: a refusing proxy that echoes the credentials of
// HTTPS_PROXY (user:password, the password URL-encoded as written, and the
// Proxy-Authorization it received) in its answer: the transport error
// repeats none of them.
func TestProxyCredentialsMasked(t *testing.T) {
	const user, pass = "ci-runner", "pr0xy/Pass:w0rd@91"
	t.Setenv("HTTPS_PROXY", "http://"+user+":"+url.PathEscape(pass)+"@proxy.corp.example:3128")
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	c, err := New(Config{BaseURL: "https://api.elevenlabs.io", APIKey: testKey, MaxRetries: 0,
		Transport: func(http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(*http.Request) (*http.Response, error) {
				return nil, errors.New("Proxy Authentication Required for " + user + ":" + pass + " (" +
					url.PathEscape(pass) + ", Basic " + basic + ")")
			})
		}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetAgent(context.Background(), "agent_1")
	if err == nil {
		t.Fatal("no error")
	}
	for _, leak := range []string{pass, url.PathEscape(pass), basic, "Pass"} {
		if strings.Contains(err.Error(), leak) {
			t.Errorf("the error repeats %q: %v", leak, err)
		}
	}
	if !strings.Contains(err.Error(), "Proxy Authentication Required for ***") {
		t.Errorf("error %v does not read as the proxy's refusal with the credentials masked", err)
	}
}

func TestProxyCredentials(t *testing.T) {
	for _, k := range proxyEnv {
		t.Setenv(k, "")
	}
	t.Setenv("HTTPS_PROXY", "http://ci:p%40ss%2Fw@proxy:3128")
	t.Setenv("http_proxy", "tok3n-only@proxy:3128") // no scheme, a token as user
	t.Setenv("ALL_PROXY", "socks5://proxy:1080")    // no credentials
	got := strings.Join(ProxyCredentials(), " ")
	if want := "ci:p%40ss%2Fw p%40ss%2Fw ci:p@ss/w p@ss/w tok3n-only tok3n-only"; got != want {
		t.Errorf("ProxyCredentials() = %q, want %q", got, want)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
