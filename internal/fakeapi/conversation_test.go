package fakeapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/convclient"
)

// started is the outcome of a conversation start through a real WebSocket
// client: the handshake's HTTP status (101 when upgraded), the refusal reason,
// and the conversation.
type started struct {
	status int
	reason string
	conv   *convclient.Conversation
}

// start opens a conversation (no API key) with the given signature and
// Origin ("" for none), as the official client does.
func (e *testEnv) start(t *testing.T, agentID, sig, origin string) started {
	t.Helper()
	q := url.Values{"agent_id": {agentID}}
	if sig != "" {
		q.Set("conversation_signature", sig)
	}
	u, err := url.Parse(e.ts.URL + "/v1/convai/conversation?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return e.startURL(t, u, origin)
}

// startURL opens the conversation a signed URL names, as minted (ws://).
func (e *testEnv) startURL(t *testing.T, u *url.URL, origin string) started {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conv, err := convclient.Start(ctx, u.String(), convclient.Options{Origin: origin})
	var refused *convclient.Refused
	switch {
	case errors.As(err, &refused):
		return started{status: refused.Status, reason: refused.Reason}
	case err != nil:
		t.Fatalf("conversation start: %v", err)
	}
	t.Cleanup(func() { _ = conv.Close() })
	return started{status: http.StatusSwitchingProtocols, conv: conv}
}

// wantConnected asserts a started conversation and returns its id.
func wantConnected(t *testing.T, r started) string {
	t.Helper()
	if r.conv == nil {
		t.Fatalf("conversation refused: %d %s", r.status, r.reason)
	}
	c := r.conv
	if !convIDRe.MatchString(c.ID) || c.Subprotocol != Subprotocol || c.OutputFormat != "pcm_16000" || c.InputFormat != "pcm_16000" {
		t.Fatalf("conversation %+v", c)
	}
	return c.ID
}

func wantRefused(t *testing.T, r started, reason string) {
	t.Helper()
	if r.status != http.StatusForbidden || r.reason != reason {
		t.Fatalf("conversation start: %d %q, want 403 %q", r.status, r.reason, reason)
	}
}

func (e *testEnv) setAuth(t *testing.T, id string, auth map[string]any) {
	t.Helper()
	if !e.s.SetAuth(id, auth) {
		t.Fatalf("no agent %s", id)
	}
}

func hosts(hs ...string) []any {
	out := make([]any, len(hs))
	for i, h := range hs {
		out[i] = map[string]any{"hostname": h}
	}
	return out
}

func TestConversationPublicAgent(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("public")
	wantConnected(t, e.start(t, id, "", ""))
	wantConnected(t, e.start(t, id, "", "https://anything.example"))
	wantConnected(t, e.start(t, id, "garbage-signature-is-ignored", ""))
	// require_origin_header has no effect while the allowlist is empty.
	e.setAuth(t, id, map[string]any{"enable_auth": false, "allowlist": []any{}, "require_origin_header": true})
	wantConnected(t, e.start(t, id, "", ""))
	// An agent whose auth was wiped is public too.
	e.s.SetAuth(id, nil)
	wantConnected(t, e.start(t, id, "", ""))
}

func TestConversationStartErrors(t *testing.T) {
	e := newEnv(t)
	if got := e.do("GET", "/v1/convai/conversation", "", "xi-api-key", "").wantValidation(t); got[0] != `["query","agent_id"] missing` {
		t.Fatalf("issues = %v", got)
	}
	e.do("GET", "/v1/convai/conversation?agent_id=agent_unknown", "", "xi-api-key", "").wantAppError(t, 404, CodeAgentNotFound)
	if r := e.start(t, "agent_unknown", "", ""); r.status != 404 || r.reason != CodeAgentNotFound {
		t.Errorf("WebSocket start for an unknown agent: %d %q", r.status, r.reason)
	}
}

func TestConversationSignedURLs(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("private")
	other := e.s.CreateAgent("other")
	e.setAuth(t, id, map[string]any{"enable_auth": true, "allowlist": []any{}, "require_origin_header": false, "shareable_token": nil})

	wantRefused(t, e.start(t, id, "", ""), ReasonSignatureRequired)
	wantRefused(t, e.start(t, id, "made-up", ""), ReasonSignatureInvalid)
	otherURL := e.signedURL(t, RouteSignedURL, other, "")
	wantRefused(t, e.start(t, id, otherURL.Query().Get("conversation_signature"), ""), ReasonSignatureInvalid)

	u := e.signedURL(t, RouteSignedURL, id, "")
	wantConnected(t, e.startURL(t, u, ""))
	wantConnected(t, e.startURL(t, u, "")) // not single-use
	old := e.signedURL(t, RouteSignedURLOld, id, "")
	wantConnected(t, e.startURL(t, old, ""))

	// Valid for 15 minutes from minting, by the injected clock.
	e.clock.Advance(15 * time.Minute)
	wantConnected(t, e.startURL(t, u, ""))
	e.clock.Advance(time.Second)
	wantRefused(t, e.startURL(t, u, ""), ReasonSignatureExpired)
	fresh := e.signedURL(t, RouteSignedURL, id, "")
	wantConnected(t, e.startURL(t, fresh, ""))
}

func TestConversationSingleUse(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("private")
	e.setAuth(t, id, map[string]any{"enable_auth": true, "allowlist": hosts("app.example.com")})
	u := e.signedURL(t, RouteSignedURL, id, "&include_conversation_id=true")
	// A refusal for another reason does not spend the signature.
	wantRefused(t, e.startURL(t, u, "https://evil.example"), ReasonOriginNotAllowed)
	cid := wantConnected(t, e.startURL(t, u, "https://app.example.com"))
	if cid != u.Query().Get("conversation_id") {
		t.Errorf("conversation_id %q, want the minted %q", cid, u.Query().Get("conversation_id"))
	}
	wantRefused(t, e.startURL(t, u, "https://app.example.com"), ReasonSignatureUsed)
}

func TestConversationAllowlist(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("web")
	e.setAuth(t, id, map[string]any{"enable_auth": false, "allowlist": hosts("app.example.com", "localhost:3000", "secure.example.com:8443"), "require_origin_header": false})

	for origin, ok := range map[string]bool{
		"https://app.example.com":         true,
		"http://app.example.com":          true,
		"http://localhost:3000":           true,
		"https://secure.example.com:8443": true,
		"https://app.example.com:8443":    false, // port is part of the entry
		"https://secure.example.com":      false,
		"http://localhost":                false,
		"https://evil.example.com":        false,
		"https://sub.app.example.com":     false,
		"null":                            false,
	} {
		r := e.start(t, id, "", origin)
		if ok {
			wantConnected(t, r)
		} else {
			wantRefused(t, r, ReasonOriginNotAllowed)
		}
	}
	// Without Origin: allowed unless require_origin_header.
	wantConnected(t, e.start(t, id, "", ""))
	e.do("PATCH", "/v1/convai/agents/"+id, `{"platform_settings":{"auth":{"require_origin_header":true}}}`).wantStatus(t, 200)
	wantRefused(t, e.start(t, id, "", ""), ReasonOriginRequired)
	wantConnected(t, e.start(t, id, "", "https://app.example.com"))
	// Garbage entries planted out of band never match and do not break it.
	e.setAuth(t, id, map[string]any{"allowlist": []any{"app.example.com", map[string]any{"hostname": 5}}})
	wantRefused(t, e.start(t, id, "", "https://app.example.com"), ReasonOriginNotAllowed)
}

func TestConversationBothMethods(t *testing.T) {
	// The API schema does not forbid both; the fake enforces both.
	e := newEnv(t)
	id := e.s.CreateAgent("both")
	e.setAuth(t, id, map[string]any{"enable_auth": true, "allowlist": hosts("app.example.com"), "require_origin_header": true})
	u := e.signedURL(t, RouteSignedURL, id, "")
	wantRefused(t, e.start(t, id, "", "https://app.example.com"), ReasonSignatureRequired)
	wantRefused(t, e.startURL(t, u, ""), ReasonOriginRequired)
	wantRefused(t, e.startURL(t, u, "https://evil.example"), ReasonOriginNotAllowed)
	wantConnected(t, e.startURL(t, u, "https://app.example.com"))
}

// dialRaw upgrades without the convclient handshake, to test the protocol.
func (e *testEnv) dialRaw(t *testing.T, path string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.ts.URL, "http")+path, &websocket.DialOptions{Subprotocols: []string{Subprotocol}})
	if resp != nil && resp.Body != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	return conn
}

func TestConversationProtocol(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("talker")
	conn := e.dialRaw(t, "/v1/convai/conversation?agent_id="+id+"&source=js_sdk&version="+convclient.ClientVersion)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, text := range []string{"", "Hello", "How are you?"} {
		want, send := "agent_response", map[string]any{"type": "user_message", "text": text}
		if text == "" {
			want, send = "conversation_initiation_metadata", map[string]any{"type": "conversation_initiation_client_data"}
		}
		var m struct {
			Type  string `json:"type"`
			Event struct {
				AgentResponse string `json:"agent_response"`
			} `json:"agent_response_event"`
		}
		err := wsjson.Write(ctx, conn, send)
		for err == nil && m.Type != want {
			err = wsjson.Read(ctx, conn, &m)
		}
		if err != nil || m.Event.AgentResponse != text {
			t.Fatalf("after %v: %+v, %v; want %s with the echo", send, m, err, want)
		}
	}
	if err := conn.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Errorf("close: %v", err)
	}
	// The request log and the counters keep the upgrade.
	if n := e.s.Count("GET", RouteConversation); n != 1 {
		t.Errorf("conversation starts counted %d, want 1", n)
	}
	reqs := e.s.Requests()
	if last := reqs[len(reqs)-1]; last.Route != RouteConversation || last.Status != http.StatusSwitchingProtocols ||
		!strings.Contains(last.RawQuery, "source=js_sdk") {
		t.Errorf("logged %+v, want the 101 upgrade with the client's extra parameters", last)
	}
}

// TestConversationFirstMessageMustBeInitiation: anything else first closes the
// socket with 1008 and no metadata.
func TestConversationFirstMessageMustBeInitiation(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("strict")
	conn := e.dialRaw(t, "/v1/convai/conversation?agent_id="+id)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"type":"user_message","text":"hi"}`)); err != nil {
		t.Fatal(err)
	}
	_, b, err := conn.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Fatalf("read %s, %v; want close 1008", b, err)
	}
}

// TestConversationPlainGETIsNotAStart: a request that passes the checks but
// does not upgrade gets 426 and leaves a single-use signature unspent; a
// refusal is a JSON 403 before any upgrade, for a plain GET as for a handshake.
func TestConversationPlainGETIsNotAStart(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("private")
	e.setAuth(t, id, map[string]any{"enable_auth": true})
	u := e.signedURL(t, RouteSignedURL, id, "&include_conversation_id=true")
	plain := e.do("GET", u.Path+"?"+u.RawQuery, "", "xi-api-key", "")
	if plain.status != http.StatusUpgradeRequired || !strings.Contains(string(plain.body), `"detail":"Upgrade Required`) {
		t.Fatalf("plain GET: %d %s, want 426", plain.status, plain.body)
	}
	if cid := wantConnected(t, e.startURL(t, u, "")); cid != u.Query().Get("conversation_id") {
		t.Errorf("conversation %q, want %q", cid, u.Query().Get("conversation_id"))
	}
	wantRefused(t, e.startURL(t, u, ""), ReasonSignatureUsed)
	d := e.do("GET", u.Path+"?"+u.RawQuery, "", "xi-api-key", "").wantAppError(t, 403, ReasonSignatureUsed)
	if d["message"] == "" {
		t.Errorf("refusal without a message: %v", d)
	}
}
