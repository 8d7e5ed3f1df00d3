package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/convclient"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// startResult is what happened when a conversation was started the way the
// official client does it (internal/convclient; CONTRACT.md, Starting a
// conversation): the WebSocket upgrade with subprotocol convai,
// conversation_initiation_client_data, then the first message.
type startResult struct {
	Accepted       bool   `json:"accepted"`
	HTTPStatus     int    `json:"http_status"` // 101 after an upgrade, else the refusal's status (0: none)
	Detail         string `json:"detail,omitempty"`
	Protocol       string `json:"protocol,omitempty"`
	ConversationID string `json:"conversation_id,omitempty"`
	CloseCode      int    `json:"close_code,omitempty"`
	CloseReason    string `json:"close_reason,omitempty"`
	Err            string `json:"error,omitempty"`
}

// String says what a client saw, for the tables.
func (r startResult) String() string {
	switch {
	case r.Accepted:
		return fmt.Sprintf("started: 101 (%s), conversation_initiation_metadata %s", r.Protocol, r.ConversationID)
	case r.HTTPStatus > 0 && r.HTTPStatus != http.StatusSwitchingProtocols:
		return fmt.Sprintf("refused before the upgrade: HTTP %d %s", r.HTTPStatus, r.Detail)
	case r.CloseCode != 0:
		return fmt.Sprintf("upgraded, then closed: %d %q", r.CloseCode, r.CloseReason)
	}
	return "failed: " + r.Err
}

// startConversation starts a conversation at rawURL (the API's https:// or
// wss:// conversation URL, or a signed URL) as the official client does, and
// closes it again once it started. key is masked in what it reports.
func startConversation(ctx context.Context, rawURL, origin, key string) startResult {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	conv, err := convclient.Start(ctx, rawURL, convclient.Options{Origin: origin})
	var refused *convclient.Refused
	var closed websocket.CloseError
	switch {
	case err == nil:
		_ = conv.Close()
		return startResult{Accepted: true, HTTPStatus: http.StatusSwitchingProtocols, Protocol: conv.Subprotocol, ConversationID: conv.ID}
	case errors.As(err, &refused):
		return startResult{HTTPStatus: refused.Status, Detail: refused.Answer.Detail()}
	case errors.As(err, &closed):
		return startResult{HTTPStatus: http.StatusSwitchingProtocols, CloseCode: int(closed.Code), CloseReason: redact.String(closed.Reason, key)}
	}
	return startResult{Err: redact.String(err.Error(), key)}
}

// conversationURL is the unsigned conversation endpoint of the API at base
// (convclient dials http(s) URLs as ws(s)).
func conversationURL(base, agentID string) string {
	return base + "/v1/convai/conversation?agent_id=" + agentID
}
