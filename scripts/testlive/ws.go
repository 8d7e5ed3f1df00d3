package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// startResult is what happened when a conversation was started the way the
// official client does it (CONTRACT.md, Starting a conversation): the
// WebSocket upgrade with subprotocol convai, conversation_initiation_client_data,
// then the first message.
type startResult struct {
	Accepted       bool   `json:"accepted"`
	HTTPStatus     int    `json:"http_status"` // 101 after an upgrade, else the refusal's status (0: none)
	Detail         string `json:"detail,omitempty"`
	Protocol       string `json:"protocol,omitempty"`
	FirstType      string `json:"first_type,omitempty"`
	ConversationID string `json:"conversation_id,omitempty"`
	CloseCode      int    `json:"close_code,omitempty"`
	CloseReason    string `json:"close_reason,omitempty"`
	Err            string `json:"error,omitempty"`
}

// String says what a client saw, for the tables.
func (r startResult) String() string {
	switch {
	case r.Accepted:
		return fmt.Sprintf("started: 101 (%s), %s %s", r.Protocol, r.FirstType, r.ConversationID)
	case r.HTTPStatus > 0 && r.HTTPStatus != http.StatusSwitchingProtocols:
		return fmt.Sprintf("refused before the upgrade: HTTP %d %s", r.HTTPStatus, r.Detail)
	case r.CloseCode != 0:
		return fmt.Sprintf("upgraded, then closed: %d %q", r.CloseCode, r.CloseReason)
	case r.FirstType != "":
		return fmt.Sprintf("upgraded, first message %q", r.FirstType)
	}
	return "failed: " + r.Err
}

// startConversation opens wsURL as the official client does and closes it
// again as soon as the first message arrived.
func startConversation(ctx context.Context, wsURL, origin, key string) startResult {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	var r startResult
	c, resp, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{"convai"}, HTTPHeader: h})
	if resp != nil && resp.Body != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		if resp != nil {
			r.HTTPStatus = resp.StatusCode
			if resp.Body != nil {
				b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
				r.Detail = summarizeBody(b)
			}
		}
		r.Err = redactSecrets(err.Error(), key)
		return r
	}
	defer func() { _ = c.CloseNow() }()
	r.HTTPStatus = http.StatusSwitchingProtocols
	r.Protocol = c.Subprotocol()
	// No overrides: the API refuses overrides an agent does not allow.
	if err := wsjson.Write(ctx, c, map[string]any{"type": "conversation_initiation_client_data"}); err != nil {
		r.fromReadError(err, key)
		return r
	}
	var msg map[string]any
	if err := wsjson.Read(ctx, c, &msg); err != nil {
		r.fromReadError(err, key)
		return r
	}
	r.FirstType, _ = msg["type"].(string)
	if md, ok := msg["conversation_initiation_metadata_event"].(map[string]any); ok {
		r.ConversationID, _ = md["conversation_id"].(string)
	}
	r.Accepted = r.FirstType == "conversation_initiation_metadata" && r.ConversationID != ""
	_ = c.Close(websocket.StatusNormalClosure, "testlive: done")
	return r
}

func (r *startResult) fromReadError(err error, key string) {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		r.CloseCode, r.CloseReason = int(ce.Code), redactSecrets(ce.Reason, key)
		return
	}
	r.Err = redactSecrets(err.Error(), key)
}

// conversationURL is the unsigned conversation endpoint of the API at base.
func conversationURL(base, agentID string) string {
	u := strings.Replace(strings.Replace(base, "https://", "wss://", 1), "http://", "ws://", 1)
	return u + "/v1/convai/conversation?agent_id=" + agentID
}

// The local-exec hand-off: the CLI runs this binary again with
// TESTLIVE_HANDOFF set and the provider's credential in its environment; it
// writes what it found (never the credential) to TESTLIVE_HANDOFF_OUT.
const (
	envHandoff    = "TESTLIVE_HANDOFF"
	envHandoffOut = "TESTLIVE_HANDOFF_OUT"
)

// handoffResult is the hand-off file.
type handoffResult struct {
	Mode  string       `json:"mode"`
	Start *startResult `json:"start,omitempty"`
	// Token mode: facts about the token, never the token.
	JWTParts       int      `json:"jwt_parts,omitempty"`
	ClaimNames     []string `json:"claim_names,omitempty"`
	Exp            int64    `json:"exp,omitempty"`
	Iat            int64    `json:"iat,omitempty"`
	ConversationID string   `json:"conversation_id,omitempty"`
	ExpiresAt      string   `json:"expires_at,omitempty"`
	Err            string   `json:"error,omitempty"`
}

func handoffMain(mode string) int {
	res := handoffResult{Mode: mode}
	switch mode {
	case "signed-url":
		u := os.Getenv("ELEVENLABS_SIGNED_URL")
		if u == "" {
			res.Err = "no ELEVENLABS_SIGNED_URL"
			break
		}
		s := startConversation(context.Background(), u, "", "")
		res.Start = &s
	case "token":
		claims, parts, err := jwtClaims(os.Getenv("ELEVENLABS_CONVERSATION_TOKEN"))
		res.JWTParts = parts
		if err != nil {
			res.Err = err.Error()
		}
		for k := range claims {
			res.ClaimNames = append(res.ClaimNames, k)
		}
		sort.Strings(res.ClaimNames)
		res.Exp, res.Iat = claimInt(claims, "exp"), claimInt(claims, "iat")
		res.ConversationID = os.Getenv("ELEVENLABS_CONVERSATION_ID")
		res.ExpiresAt = os.Getenv("ELEVENLABS_CONVERSATION_TOKEN_EXPIRES_AT")
	default:
		res.Err = "unknown hand-off mode " + mode
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(os.Getenv(envHandoffOut), b, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "testlive hand-off:", err)
		return 1
	}
	return 0
}

// jwtClaims decodes a JWT's claims without verifying it (CONTRACT.md,
// Conversation tokens: decode only).
func jwtClaims(token string) (map[string]any, int, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, len(parts), fmt.Errorf("not a JWT: %d dot-separated parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, 3, fmt.Errorf("JWT payload is not base64url: %v", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		return nil, 3, fmt.Errorf("JWT payload is not JSON: %v", err)
	}
	return claims, 3, nil
}

func claimInt(c map[string]any, k string) int64 {
	if f, ok := c[k].(float64); ok {
		return int64(f)
	}
	return 0
}

// redactSecrets removes the key, conversation signatures, tokens and anything
// JWT-shaped: the provider's one redaction path.
func redactSecrets(s, key string) string { return redact.String(s, key) }

// summarizeBody renders an API error body as "code: message" or the 422
// entries, for the tables.
func summarizeBody(b []byte) string {
	var body struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(b, &body) != nil || len(body.Detail) == 0 {
		s := strings.TrimSpace(string(b))
		if s == "" {
			return "(empty body)"
		}
		return "(not JSON) " + s
	}
	var str string
	if json.Unmarshal(body.Detail, &str) == nil {
		return fmt.Sprintf("%q", str)
	}
	var issues []struct {
		Loc  []any  `json:"loc"`
		Msg  string `json:"msg"`
		Type string `json:"type"`
	}
	if json.Unmarshal(body.Detail, &issues) == nil {
		var parts []string
		for _, i := range issues {
			loc := make([]string, len(i.Loc))
			for j, p := range i.Loc {
				loc[j] = fmt.Sprint(p)
			}
			parts = append(parts, fmt.Sprintf("%s: %s (%s)", strings.Join(loc, "."), i.Msg, i.Type))
		}
		return strings.Join(parts, "; ")
	}
	var obj struct {
		Status, Code, Message string
	}
	if json.Unmarshal(body.Detail, &obj) == nil {
		code := obj.Code
		if code == "" {
			code = obj.Status
		}
		return strings.TrimSpace(code + ": " + obj.Message)
	}
	return string(body.Detail)
}
