package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/coder/websocket"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/convclient"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// started is what happened when a conversation was started the way the
// official client does it (internal/convclient; CONTRACT.md, Starting a
// conversation): the WebSocket upgrade with subprotocol convai,
// conversation_initiation_client_data, then the first message. status is the
// tables' short form, text what a client saw.
type started struct {
	ok           bool
	status, text string
}

func (s started) String() string { return s.text }

// startConversation starts a conversation at rawURL (the API's https:// or
// wss:// conversation URL, or a signed URL) as the official client does, and
// closes it again once it started. key is masked in what it reports.
func startConversation(ctx context.Context, rawURL, origin, key string) started {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	conv, err := convclient.Start(ctx, rawURL, convclient.Options{Origin: origin})
	var refused *convclient.Refused
	var closed websocket.CloseError
	switch {
	case err == nil:
		_ = conv.Close()
		return started{true, "started", fmt.Sprintf("started: 101 (%s), conversation_initiation_metadata %s", conv.Subprotocol, conv.ID)}
	case errors.As(err, &refused):
		return started{false, fmt.Sprintf("HTTP %d", refused.Status), fmt.Sprintf("refused before the upgrade: HTTP %d %s", refused.Status, refused.Answer.Detail())}
	case errors.As(err, &closed):
		return started{false, fmt.Sprintf("close %d", closed.Code), fmt.Sprintf("upgraded, then closed: %d %q", closed.Code, redact.String(closed.Reason, key))}
	}
	return started{false, "failed", "failed: " + redact.String(err.Error(), key)}
}

// conversationURL is the unsigned conversation endpoint of the API at base
// (convclient dials http(s) URLs as ws(s)).
func conversationURL(base, agentID string) string {
	return base + "/v1/convai/conversation?agent_id=" + agentID
}
