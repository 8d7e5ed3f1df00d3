package fakeapi

import (
	"net/url"
	"testing"
	"time"
)

// start opens a conversation (no API key) with the given signature and
// Origin ("" for none) and returns the response.
func (e *testEnv) start(t *testing.T, agentID, sig, origin string) resp {
	t.Helper()
	q := url.Values{"agent_id": {agentID}}
	if sig != "" {
		q.Set("conversation_signature", sig)
	}
	return e.do("GET", "/v1/convai/conversation?"+q.Encode(), "", "xi-api-key", "", "Origin", origin)
}

// startURL opens the conversation a signed URL names, wss rewritten to http.
func (e *testEnv) startURL(t *testing.T, u *url.URL, origin string) resp {
	t.Helper()
	return e.do("GET", u.Path+"?"+u.RawQuery, "", "xi-api-key", "", "Origin", origin)
}

func wantConnected(t *testing.T, r resp) string {
	t.Helper()
	m := r.wantStatus(t, 200).json(t)
	id, _ := m["conversation_id"].(string)
	if m["status"] != "connected" || !convIDRe.MatchString(id) || len(m) != 2 {
		t.Fatalf("accept body = %s", r.body)
	}
	return id
}

func wantRefused(t *testing.T, r resp, reason string) {
	t.Helper()
	r.wantAppError(t, 403, reason)
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
	e.start(t, "agent_unknown", "", "").wantAppError(t, 404, CodeAgentNotFound)
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
