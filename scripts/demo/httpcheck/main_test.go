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
// reports a refusal with its status and reason.
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
	if stdout.String() != "403" || string(body) != `{"reason":"signature_required"}` {
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

// TestRequest: the plain HTTP mode sends the method, headers and body, writes
// the answer to -o and prints the status, as the demo's admin API checks need.
func TestRequest(t *testing.T) {
	s := fakeapi.New()
	id := s.CreateAgent("demo")
	ts := httptest.NewServer(s.Mux())
	defer ts.Close()
	out := filepath.Join(t.TempDir(), "body.json")

	var stdout bytes.Buffer
	auth := `{"enable_auth":false,"allowlist":[{"hostname":"b.example.com"},{"hostname":"a.example.com"}]}`
	if err := run([]string{"-X", "PUT", "-H", "Content-Type: application/json", "-d", auth, "-o", out, ts.URL + "/_fake/agents/" + id + "/auth"}, &stdout); err != nil {
		t.Fatal(err)
	}
	if stdout.String() != "200" {
		t.Fatalf("PUT auth printed %q, want 200", stdout.String())
	}
	stdout.Reset()
	if err := run([]string{"-auth", out}, &stdout); err != nil {
		t.Fatal(err)
	}
	if want := "enable_auth=false allowlist=[a.example.com b.example.com] require_origin_header=false\n"; stdout.String() != want {
		t.Fatalf("-auth printed %q, want %q", stdout.String(), want)
	}

	stdout.Reset()
	if err := run([]string{"-o", out, ts.URL + "/_fake/agents/agent_nope"}, &stdout); err != nil {
		t.Fatal(err)
	}
	if stdout.String() != "404" {
		t.Fatalf("GET unknown agent printed %q, want 404", stdout.String())
	}
	stdout.Reset()
	if err := run([]string{"-json", "error", out}, &stdout); err != nil || stdout.String() != "agent not found\n" {
		t.Fatalf("-json error printed %q (%v)", stdout.String(), err)
	}

	for _, bad := range [][]string{
		{"http://example.com/_fake/counters"},
		{"ws://127.0.0.1:1/"},
		{"-H", "no colon", ts.URL + "/_fake/counters"},
	} {
		if err := run(bad, &stdout); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
