package elevenlabs

import (
	"net/http"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// FuzzParseAPIError feeds arbitrary bodies to the error parser: it never
// panics, never repeats the key or a signature, and stays bounded.
func FuzzParseAPIError(f *testing.F) {
	for _, seed := range []string{
		`{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}`,
		`{"detail":{"code":"missing_permissions","status":"x","type":"t","message":"m","request_id":"r","param":"p"}}`,
		`{"detail":[{"loc":["body","platform_settings",0],"msg":"bad","type":"value_error"}]}`,
		`{"detail":[{"loc":[],"msg":"","type":""},{}]}`,
		`{"detail":"Not Found"}`,
		`{"detail":null}`,
		`{"detail":42}`,
		`{"detail":{"message":{"nested":true}}}`,
		`{"detail":"key ` + testKey + ` conversation_signature=abc"}`,
		`<html>oops</html>`,
		``,
		`{"detail":[1,"two",null]}`,
	} {
		f.Add(500, seed)
	}
	mask := redact.NewSecrets(testKey).String
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			status = 500
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}}}
		e := ParseError("GET", "/v1/convai/agents/a", resp, []byte(body), mask)
		msg := e.Error()
		if strings.Contains(msg, testKey) {
			t.Fatalf("error repeats the key: %s", msg)
		}
		if i := strings.Index(msg, "conversation_signature="); i >= 0 && !strings.HasPrefix(msg[i:], "conversation_signature=***") {
			t.Fatalf("error repeats a signature: %s", msg)
		}
		if e.StatusCode != status {
			t.Fatalf("status %d, want %d", e.StatusCode, status)
		}
		if len(msg) > 20000 || len(e.Validation) > maxIssues {
			t.Fatalf("error of %d bytes with %d issues", len(msg), len(e.Validation))
		}
		if len(e.Message) > maxMessage+len("…") {
			t.Fatalf("message of %d bytes", len(e.Message))
		}
	})
}
