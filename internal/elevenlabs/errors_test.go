package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestAPIErrorForms(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
		header     map[string]string
		want       string
		code       string
	}{
		{
			name: "object with status", status: 401,
			body: `{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}`,
			want: "ElevenLabs API: GET /v1/convai/agents/a returned 401 Unauthorized: invalid_api_key: Invalid API key",
			code: "invalid_api_key",
		},
		{
			name: "object with code, status, request id and param", status: 401,
			body: `{"detail":{"type":"authorization_error","code":"missing_permissions","status":"old","message":"The API key lacks convai_write","request_id":"req_9","param":"xi-api-key"}}`,
			want: "ElevenLabs API: GET /v1/convai/agents/a returned 401 Unauthorized: missing_permissions: The API key lacks convai_write (param xi-api-key) (request id req_9)",
			code: "missing_permissions",
		},
		{
			name: "validation array", status: 422,
			body: `{"detail":[{"loc":["body","platform_settings","auth","allowlist",0],"msg":"Input should be a valid dictionary","type":"dict_type"},{"loc":["query","page_size"],"msg":"too big","type":"less_than_equal"}]}`,
			want: "ElevenLabs API: GET /v1/convai/agents/a returned 422 Unprocessable Entity: validation failed: body.platform_settings.auth.allowlist.0: Input should be a valid dictionary (dict_type); query.page_size: too big (less_than_equal)",
		},
		{
			name: "plain string", status: 404, body: `{"detail":"Not Found"}`,
			header: map[string]string{"request-id": "req_1"},
			want:   "ElevenLabs API: GET /v1/convai/agents/a returned 404 Not Found: Not Found (request id req_1)",
		},
		{
			name: "not json", status: 502, body: `<html>bad gateway</html>`,
			header: map[string]string{"Content-Type": "text/html"},
			want:   `ElevenLabs API: GET /v1/convai/agents/a returned 502 Bad Gateway: unexpected response body (24 bytes, content type "text/html"); gave up after 1 attempt over D (0 retries allowed)`,
		},
		{
			name: "empty", status: 500, body: ``,
			header: map[string]string{"Content-Type": "application/json", "x-request-id": "req_2"},
			want:   `ElevenLabs API: GET /v1/convai/agents/a returned 500 Internal Server Error: unexpected response body (0 bytes, content type "application/json") (request id req_2); gave up after 1 attempt over D (0 retries allowed)`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}), func(c *Config) { c.MaxRetries = 0 })
			_, err := c.GetAgent(context.Background(), "a")
			if err == nil || stableElapsed(err.Error()) != tc.want {
				t.Fatalf("err = %v\nwant  %s", err, tc.want)
			}
			var apiErr *APIError
			if !asAPIError(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Code != tc.code {
				t.Errorf("APIError = %+v", apiErr)
			}
			if IsNotFound(err) != (tc.status == 404) {
				t.Errorf("IsNotFound = %v", IsNotFound(err))
			}
			if IsUnauthorized(err) != (tc.status == 401) {
				t.Errorf("IsUnauthorized = %v", IsUnauthorized(err))
			}
		})
	}
}

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }

func TestErrorsNeverEchoSecrets(t *testing.T) {
	// A hostile or buggy server echoes the key and a signed URL in every field.
	echo := `{"detail":{"status":"server_error ` + testKey + `","message":"boom key=` + testKey +
		` url=wss://x/v1/convai/conversation?agent_id=a&conversation_signature=SIGSECRET123","request_id":"` + testKey + `"}}`
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 500, echo)
	}), func(c *Config) { c.MaxRetries = 1 })
	_, err := c.GetSignedURL(context.Background(), SignedURLRequest{AgentID: "a"})
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	for _, secret := range []string{testKey, "SIGSECRET123"} {
		if strings.Contains(msg, secret) {
			t.Errorf("error leaks %q: %s", secret, msg)
		}
	}
	if !strings.Contains(msg, "conversation_signature=***") || !strings.Contains(msg, "server_error ***") {
		t.Errorf("error lost its shape: %s", msg)
	}

	// Validation messages are scrubbed too.
	c = newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 422, `{"detail":[{"loc":["header","`+testKey+`"],"msg":"bad key `+testKey+`","type":"t"}]}`)
	}))
	_, err = c.GetAgent(context.Background(), "a")
	if err == nil || strings.Contains(err.Error(), testKey) {
		t.Errorf("422 error leaks the key: %v", err)
	}
}

func TestLongMessagesAreTruncated(t *testing.T) {
	long := strings.Repeat("x", 5000)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"detail":"`+long+`"}`)
	}))
	_, err := c.GetAgent(context.Background(), "a")
	if err == nil || len(err.Error()) > 700 {
		t.Errorf("error of %d bytes", len(err.Error()))
	}
}

// TestErrorsMaskTokensAndJWTs: an error body that echoes tokens in JSON form, a
// shareable_token, a JWT or the xi-api-key header of another key yields an
// error with none of them.
func TestErrorsMaskTokensAndJWTs(t *testing.T) {
	const (
		jwt       = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjb252In0.c2lnbmF0dXJlX3NlY3JldA"
		tok       = "tok_echoed_1a2b3c4d"
		shareable = "shr_echoed_5e6f7a8b"
		sig       = "sig_echoed_9c0d1e2f"
		otherKey  = "sk_other_0a1b2c3d4e5f"
	)
	echo := `{"detail":{"status":"bad_request","message":"request was {\"token\": \"` + tok + `\", \"conversation_signature\":\"` + sig +
		`\", \"shareable_token\": \"` + shareable + `\"}; bearer ` + jwt + `; headers: xi-api-key: ` + otherKey + `; user-agent: x"}}`
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, echo)
	}))
	_, err := c.GetAgent(context.Background(), "a")
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	for _, secret := range []string{jwt, "c2lnbmF0dXJlX3NlY3JldA", tok, shareable, sig, otherKey} {
		if strings.Contains(msg, secret) {
			t.Errorf("error leaks %q: %s", secret, msg)
		}
	}
	for _, want := range []string{`"token": "***"`, `"conversation_signature":"***"`, `"shareable_token": "***"`, "xi-api-key: ***; user-agent: x"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %s: %s", want, msg)
		}
	}
}

// TestValidationLocNeverEchoesSecrets: a 422 whose loc holds the key inside a
// nested array or object (not a plain string), or a huge loc, yields an error
// without the key and of bounded length.
func TestValidationLocNeverEchoesSecrets(t *testing.T) {
	huge := strings.Repeat(`"segment",`, 20000)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 422, `{"detail":[{"loc":["body",["`+testKey+`"],{"k":"`+testKey+`"},7],"msg":"m","type":"t"},`+
			`{"loc":[`+huge+`"end"],"msg":"m2","type":"t2"}]}`)
	}))
	_, err := c.GetAgent(context.Background(), "a")
	if err == nil {
		t.Fatal("want an error")
	}
	msg := err.Error()
	if strings.Contains(msg, testKey) {
		t.Errorf("422 error leaks the key through a non-string loc element: %s", msg)
	}
	if !strings.Contains(msg, "validation failed: body.") || !strings.Contains(msg, ".7: m (t)") {
		t.Errorf("error lost its shape: %s", msg)
	}
	if len(msg) > 3000 {
		t.Errorf("error of %d bytes for a huge loc", len(msg))
	}
}
