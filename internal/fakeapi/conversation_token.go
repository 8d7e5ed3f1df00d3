package fakeapi

import (
	"crypto/rand"
	"errors"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultTokenLifetime is how long a conversation token the fake mints stays
// valid. The API documents no lifetime (CONTRACT.md, "Conversation tokens");
// 15 minutes, like a signed URL, is this fake's own decision. WithTokenLifetime
// changes it.
const DefaultTokenLifetime = 15 * time.Minute

// Reasons the WebRTC stand-in (JoinWebRTC) refuses a token with.
const (
	ReasonTokenRequired = "token_required"
	ReasonTokenInvalid  = "token_invalid"
	ReasonTokenExpired  = "token_expired"
)

// WithTokenLifetime sets the lifetime of the conversation tokens the server
// mints (the exp claim is minting time plus d).
func WithTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.tokenLifetime = d }
}

// TokenClaims are the claims of a conversation token the fake mints: a JWT
// signed with HS256 and a secret drawn at random for each Server.
type TokenClaims struct {
	AgentID         string `json:"agent_id"`
	ConversationID  string `json:"conversation_id"`
	ParticipantName string `json:"participant_name,omitempty"`
	jwt.RegisteredClaims
}

// newTokenSecret draws the HMAC key of one Server.
func newTokenSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return b
}

// handleConversationToken serves GET /v1/convai/conversation/token: a JWT for
// the WebRTC session and its conversation id. The key needs convai_read, as
// for get-signed-url; agent_id is required (422) and must name an agent (404).
// participant_name goes into the token; branch_id, version_id and environment
// are accepted and ignored.
func (s *Server) handleConversationToken(c *call) {
	q := c.r.URL.Query()
	if !q.Has("agent_id") {
		writeValidation(c.w, []ValidationIssue{missingQuery("agent_id")})
		return
	}
	agentID := q.Get("agent_id")
	now := s.now()
	claims := TokenClaims{
		AgentID:         agentID,
		ConversationID:  newConversationID(),
		ParticipantName: q.Get("participant_name"),
		RegisteredClaims: jwt.RegisteredClaims{
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(s.tokenLifetime)),
		},
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.tokenSecret)
	if err != nil {
		writeStringDetail(c.w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	s.mu.Lock()
	_, ok := s.agents[agentID]
	if ok {
		s.tokens = append(s.tokens, token)
	}
	s.mu.Unlock()
	if !ok {
		s.writeAgentNotFound(c, agentID)
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"token": token, "conversation_id": claims.ConversationID})
}

// JoinWebRTC stands in for the WebRTC (LiveKit) server that a conversation
// token opens, which the fake cannot offer: it checks the token's signature
// (HS256 with this server's secret), its expiry by the server's clock, that
// its agent still exists and, if agentID is not empty, that the token is
// for that agent. It returns the token's claims, or a reason
// (ReasonTokenRequired, ReasonTokenInvalid, ReasonTokenExpired,
// CodeAgentNotFound). A token may join any number of times until it expires.
func (s *Server) JoinWebRTC(token, agentID string) (TokenClaims, string) {
	if token == "" {
		return TokenClaims{}, ReasonTokenRequired
	}
	var claims TokenClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return s.tokenSecret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(s.now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return TokenClaims{}, ReasonTokenExpired
	case err != nil, claims.AgentID == "", agentID != "" && claims.AgentID != agentID:
		return TokenClaims{}, ReasonTokenInvalid
	}
	s.mu.Lock()
	_, ok := s.agents[claims.AgentID]
	s.mu.Unlock()
	if !ok {
		return TokenClaims{}, CodeAgentNotFound
	}
	return claims, ""
}

// Tokens returns every conversation token minted so far, so tests can search
// files and logs for them.
func (s *Server) Tokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}
