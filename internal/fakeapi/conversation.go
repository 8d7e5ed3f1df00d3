package fakeapi

import (
	"net/http"
	"net/url"
	"time"
)

// handleConversationStart stands in for the WebSocket upgrade on
// /v1/convai/conversation and enforces the agent's platform_settings.auth:
//
//   - enable_auth true: conversation_signature must be one minted by
//     get-signed-url for this agent, at most SignatureTTL old by the clock,
//     and, if single-use, not used before;
//   - non-empty allowlist: the Origin's host (with port, if any) must equal
//     an entry; without Origin the request passes unless
//     require_origin_header is true.
//
// No API key is needed. A single-use signature is spent only when the
// connection is accepted.
func (s *Server) handleConversationStart(c *call) {
	q := c.r.URL.Query()
	if !q.Has("agent_id") {
		writeValidation(c.w, []ValidationIssue{missingQuery("agent_id")})
		return
	}
	agentID := q.Get("agent_id")
	token := q.Get("conversation_signature")
	origin := c.r.Header.Get("Origin")
	now := s.now()

	status, reason, message, convID := s.admitConversation(agentID, token, origin, now)
	switch status {
	case http.StatusOK:
		writeJSON(c.w, http.StatusOK, map[string]any{"conversation_id": convID, "status": "connected"})
	case http.StatusNotFound:
		s.writeAgentNotFound(c, agentID)
	default:
		writeAppError(c.w, status, reason, message, c.requestID)
	}
}

// admitConversation decides a conversation start under the lock.
func (s *Server) admitConversation(agentID, token, origin string, now time.Time) (status int, reason, message, convID string) {
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
		if sig.singleUse {
			sig.used = true
		}
		if sig.conversationID != "" {
			return http.StatusOK, "", "", sig.conversationID
		}
	}
	return http.StatusOK, "", "", newConversationID()
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
