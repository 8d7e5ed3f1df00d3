package fakeapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// Subprotocol is the WebSocket subprotocol the official client asks for and
// the conversation endpoint accepts.
const Subprotocol = "convai"

// Audio format the fake announces in conversation_initiation_metadata.
const audioFormat = "pcm_16000"

// Timeouts of a conversation on the fake: how long the client has to send
// conversation_initiation_client_data after the upgrade, and how long a
// started conversation may stay silent before the fake closes it.
const (
	initiationTimeout = 10 * time.Second
	idleTimeout       = 60 * time.Second
)

// maxMessageBytes bounds a client message the fake reads.
const maxMessageBytes = 64 << 10

// handleConversationStart serves /v1/convai/conversation, the WebSocket a
// conversation runs on, and enforces the agent's platform_settings.auth
// before the upgrade:
//
//   - enable_auth true: conversation_signature must be one minted by
//     get-signed-url for this agent, at most SignatureTTL old by the clock,
//     and, if single-use, not used before;
//   - non-empty allowlist: the Origin's host (with port, if any) must equal
//     an entry; without Origin the request passes unless
//     require_origin_header is true.
//
// A refused start is answered 403 {"detail":{"status":"<reason>",...}} (404
// for an unknown agent) without upgrading. A request that passes but is not
// a WebSocket upgrade gets 426. No API key is needed, and query parameters
// other than agent_id and conversation_signature (the official client adds
// source, version, environment) are ignored. A single-use signature is spent
// only by a successful upgrade. What the fake says on the socket: see
// converse.
func (s *Server) handleConversationStart(c *call) {
	q := c.r.URL.Query()
	if !q.Has("agent_id") {
		writeValidation(c.w, []ValidationIssue{missingQuery("agent_id")})
		return
	}
	agentID := q.Get("agent_id")
	token := q.Get("conversation_signature")
	origin := c.r.Header.Get("Origin")

	// Only a request that can become a WebSocket may spend a signature.
	upgrade := isWebSocketUpgrade(c.r)
	status, reason, message, convID := s.admitConversation(agentID, token, origin, s.now(), upgrade)
	switch {
	case status == http.StatusNotFound:
		s.writeAgentNotFound(c, agentID)
		return
	case status != http.StatusOK:
		writeAppError(c.w, status, reason, message, c.requestID)
		return
	case !upgrade:
		writeStringDetail(c.w, http.StatusUpgradeRequired,
			"Upgrade Required: /v1/convai/conversation is a WebSocket endpoint")
		return
	}
	conn, err := websocket.Accept(c.w, c.r, &websocket.AcceptOptions{
		Subprotocols: []string{Subprotocol},
		// The agent's allowlist, checked above, is the only Origin policy.
		InsecureSkipVerify: true,
	})
	if err != nil {
		// Accept answered the request itself; the signature stays unspent.
		s.unspendSignature(token)
		return
	}
	c.record()
	s.converse(c.r.Context(), conn, convID)
}

// isWebSocketUpgrade reports whether r asks for a WebSocket upgrade.
func isWebSocketUpgrade(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// Messages of the conversation protocol (CONTRACT.md, "Starting a
// conversation") that the fake reads and writes.
type (
	clientMessage struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	initiationMetadata struct {
		Type  string                  `json:"type"`
		Event initiationMetadataEvent `json:"conversation_initiation_metadata_event"`
	}
	initiationMetadataEvent struct {
		ConversationID         string `json:"conversation_id"`
		AgentOutputAudioFormat string `json:"agent_output_audio_format"`
		UserInputAudioFormat   string `json:"user_input_audio_format"`
	}
	agentResponse struct {
		Type  string             `json:"type"`
		Event agentResponseEvent `json:"agent_response_event"`
	}
	agentResponseEvent struct {
		AgentResponse string `json:"agent_response"`
	}
)

// Message types of the conversation protocol.
const (
	TypeInitiationClientData = "conversation_initiation_client_data"
	TypeInitiationMetadata   = "conversation_initiation_metadata"
	TypeUserMessage          = "user_message"
	TypeAgentResponse        = "agent_response"
)

// converse runs one conversation on an upgraded socket, kept small on
// purpose:
//
//   - the first client message must be conversation_initiation_client_data
//     (its content is not checked); anything else, or silence for
//     initiationTimeout, closes the socket with 1008 (policy violation);
//   - the fake then sends conversation_initiation_metadata with the
//     conversation id and pcm_16000 in both directions;
//   - every later {"type":"user_message","text":T} is answered with
//     {"type":"agent_response","agent_response_event":{"agent_response":T}}
//     (an echo); other messages (pong, user_activity, contextual_update,
//     user_audio_chunk, ...) are read and ignored, and the fake never pings;
//   - the conversation ends when the client closes the socket, the request's
//     context ends, or nothing arrives for idleTimeout.
func (s *Server) converse(ctx context.Context, conn *websocket.Conn, convID string) {
	defer func() { _ = conn.CloseNow() }()
	conn.SetReadLimit(maxMessageBytes)

	first, err := readMessage(ctx, conn, initiationTimeout)
	if err != nil {
		_ = conn.Close(websocket.StatusPolicyViolation, "expected "+TypeInitiationClientData)
		return
	}
	if first.Type != TypeInitiationClientData {
		_ = conn.Close(websocket.StatusPolicyViolation, "the first message must be "+TypeInitiationClientData)
		return
	}
	if err := writeMessage(ctx, conn, initiationMetadata{Type: TypeInitiationMetadata, Event: initiationMetadataEvent{
		ConversationID: convID, AgentOutputAudioFormat: audioFormat, UserInputAudioFormat: audioFormat,
	}}); err != nil {
		return
	}
	for {
		m, err := readMessage(ctx, conn, idleTimeout)
		if err != nil {
			if websocket.CloseStatus(err) == -1 {
				_ = conn.Close(websocket.StatusNormalClosure, "conversation ended")
			}
			return
		}
		if m.Type == TypeUserMessage {
			if err := writeMessage(ctx, conn, agentResponse{Type: TypeAgentResponse, Event: agentResponseEvent{AgentResponse: m.Text}}); err != nil {
				return
			}
		}
	}
}

// readMessage reads one JSON text message within d. A message that is not a
// JSON object reads as one without a type.
func readMessage(ctx context.Context, conn *websocket.Conn, d time.Duration) (clientMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	_, b, err := conn.Read(ctx)
	if err != nil {
		return clientMessage{}, err
	}
	var m clientMessage
	_ = json.Unmarshal(b, &m)
	return m, nil
}

func writeMessage(ctx context.Context, conn *websocket.Conn, v any) error {
	b, err := marshalJSON(v)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, initiationTimeout)
	defer cancel()
	return conn.Write(ctx, websocket.MessageText, b)
}

// admitConversation decides a conversation start under the lock. When spend
// is true and the start is admitted, a single-use signature is marked used
// (unspendSignature undoes that if the upgrade then fails), so two clients
// racing with one single-use URL cannot both get in.
func (s *Server) admitConversation(agentID, token, origin string, now time.Time, spend bool) (status int, reason, message, convID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.agents[agentID]
	if !ok {
		return http.StatusNotFound, CodeAgentNotFound, "", ""
	}
	var auth map[string]any
	if ps, ok := e.data["platform_settings"].(map[string]any); ok {
		auth, _ = ps["auth"].(map[string]any)
	}
	enableAuth, _ := auth["enable_auth"].(bool)
	requireOrigin, _ := auth["require_origin_header"].(bool)
	rawList, _ := auth["allowlist"].([]any)

	var sig *signature
	if enableAuth {
		if token == "" {
			return http.StatusForbidden, ReasonSignatureRequired,
				"This agent requires authentication: start the conversation with a signed URL.", ""
		}
		sig = s.signatures[token]
		if sig == nil || sig.agentID != agentID {
			return http.StatusForbidden, ReasonSignatureInvalid,
				"The conversation signature is not valid for this agent.", ""
		}
		if now.Sub(sig.minted) > SignatureTTL {
			return http.StatusForbidden, ReasonSignatureExpired,
				"The conversation signature has expired; mint a new signed URL.", ""
		}
		if sig.singleUse && sig.used {
			return http.StatusForbidden, ReasonSignatureUsed,
				"The conversation signature was already used.", ""
		}
	}
	if len(rawList) > 0 {
		if origin == "" {
			if requireOrigin {
				return http.StatusForbidden, ReasonOriginRequired,
					"This agent requires an Origin header.", ""
			}
		} else if !originAllowed(origin, rawList) {
			return http.StatusForbidden, ReasonOriginNotAllowed,
				"The origin is not in the agent's allowlist.", ""
		}
	}
	if sig != nil {
		if sig.singleUse && spend {
			sig.used = true
		}
		if sig.conversationID != "" {
			return http.StatusOK, "", "", sig.conversationID
		}
	}
	return http.StatusOK, "", "", newConversationID()
}

// unspendSignature makes a single-use signature usable again after an upgrade
// that failed.
func (s *Server) unspendSignature(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sig := s.signatures[token]; sig != nil {
		sig.used = false
	}
}

// originAllowed reports whether the host of origin (e.g.
// "https://app.example.com:8443" -> "app.example.com:8443") equals an
// allowlist entry's hostname exactly. Entries that are not {"hostname":
// string} never match.
func originAllowed(origin string, list []any) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		if h, ok := m["hostname"].(string); ok && h == u.Host {
			return true
		}
	}
	return false
}
