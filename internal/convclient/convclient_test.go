package convclient

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// server upgrades and runs talk on the socket, after checking what the
// official client sends.
func server(t *testing.T, talk func(ctx context.Context, c *websocket.Conn)) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("source") != "js_sdk" || q.Get("version") != ClientVersion || r.Header.Get("xi-api-key") != "" {
			http.Error(w, `{"detail":"not like the official client"}`, http.StatusBadRequest)
			return
		}
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{Subprotocol}})
		if err != nil {
			return
		}
		defer func() { _ = c.CloseNow() }()
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		talk(ctx, c)
	}))
	t.Cleanup(ts.Close)
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/v1/convai/conversation?agent_id=a"
}

func TestStartNeedsTheMetadata(t *testing.T) {
	for name, tc := range map[string]struct {
		talk    func(ctx context.Context, c *websocket.Conn)
		wantErr string
	}{
		"closed before the metadata": {func(ctx context.Context, c *websocket.Conn) {
			_, _, _ = c.Read(ctx)
			_ = c.Close(websocket.StatusPolicyViolation, "no")
		}, "waiting for conversation_initiation_metadata"},
		"another message first": {func(ctx context.Context, c *websocket.Conn) {
			_, _, _ = c.Read(ctx)
			_ = c.Write(ctx, websocket.MessageText, []byte(`{"type":"agent_response"}`))
			_, _, _ = c.Read(ctx)
		}, `first message is "agent_response"`},
		"metadata without id": {func(ctx context.Context, c *websocket.Conn) {
			_, _, _ = c.Read(ctx)
			_ = c.Write(ctx, websocket.MessageText, []byte(`{"type":"conversation_initiation_metadata","conversation_initiation_metadata_event":{}}`))
			_, _, _ = c.Read(ctx)
		}, "without a conversation_id"},
		"not JSON": {func(ctx context.Context, c *websocket.Conn) {
			_, _, _ = c.Read(ctx)
			_ = c.Write(ctx, websocket.MessageText, []byte(`hello`))
			_, _, _ = c.Read(ctx)
		}, "waiting for conversation_initiation_metadata"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Start(context.Background(), server(t, tc.talk), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Start = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestStartRefused(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") == "https://app.example.com" {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"detail":{"code":"origin_not_allowed","message":"no"}}`))
			return
		}
		http.Error(w, "plain text", http.StatusServiceUnavailable)
	}))
	defer ts.Close()
	_, err := Start(context.Background(), ts.URL+"/x", Options{Origin: "https://app.example.com"})
	var r *Refused
	if !errors.As(err, &r) || r.Status != 403 || r.Reason != "origin_not_allowed" || err.Error() != "conversation refused: HTTP 403 origin_not_allowed" {
		t.Fatalf("Start = %v %+v", err, r)
	}
	_, err = Start(context.Background(), ts.URL+"/x", Options{})
	if !errors.As(err, &r) || r.Status != 503 || r.Reason != "" || !strings.Contains(r.Body, "plain text") {
		t.Fatalf("Start = %v %+v", err, r)
	}
	if _, err := Start(context.Background(), "ftp://x/", Options{}); err == nil {
		t.Error("ftp URL accepted")
	}
}
