package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestConversation: -ws starts a real WebSocket conversation on the fake and
// reports a refusal with its status and body.
func TestConversation(t *testing.T) {
	s := fakeapi.New()
	id := s.CreateAgent("demo")
	ts := httptest.NewServer(s)
	defer ts.Close()
	wsURL := "ws" + strings.TrimPrefix(ts.URL, "http") + "/v1/convai/conversation?agent_id=" + id
	out := filepath.Join(t.TempDir(), "body.json")

	var stdout bytes.Buffer
	if err := run([]string{"-ws", "-o", out, "-H", "Origin: https://app.example.com", wsURL}, &stdout); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(out)
	if stdout.String() != "101" || !strings.Contains(string(body), `"conversation_id":"conv_`) || !strings.Contains(string(body), `"subprotocol":"convai"`) {
		t.Fatalf("public agent: %s %s", stdout.String(), body)
	}

	s.SetAuth(id, map[string]any{"enable_auth": true})
	stdout.Reset()
	if err := run([]string{"-ws", "-o", out, wsURL}, &stdout); err != nil {
		t.Fatal(err)
	}
	body, _ = os.ReadFile(out)
	if stdout.String() != "403" || !strings.Contains(string(body), `"status":"signature_required"`) {
		t.Fatalf("private agent: %s %s", stdout.String(), body)
	}

	for _, bad := range [][]string{
		{"-ws", "ws://example.com/v1/convai/conversation"},
		{"-ws", "http://127.0.0.1:1/"},
		{"-ws", "-H", "X-Other: 1", wsURL},
	} {
		if err := run(bad, &stdout); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
