package elevenlabs

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ConversationTokenRequest holds the query parameters of the WebRTC
// conversation-token endpoint.
type ConversationTokenRequest struct {
	AgentID string
	// ParticipantName is the name the caller joins the WebRTC room with; the
	// API uses the user id when it is empty.
	ParticipantName string
	BranchID        string
	VersionID       string
	Environment     string
}

// ConversationToken is the API's answer: a JWT for the WebRTC session and the
// conversation it belongs to.
type ConversationToken struct {
	// Token is a credential: callers must not log it; errors from this call
	// never contain it.
	Token string
	// ConversationID is empty when the answer carried none.
	ConversationID string
}

// GetConversationToken mints a WebRTC conversation token:
// GET /v1/convai/conversation/token (CONTRACT.md, "Conversation tokens").
// An answer without a token is an error.
func (c *Client) GetConversationToken(ctx context.Context, r ConversationTokenRequest) (ConversationToken, error) {
	q := conversationQuery(r.AgentID, r.BranchID, r.VersionID, r.Environment)
	if r.ParticipantName != "" {
		q.Set("participant_name", r.ParticipantName)
	}
	const path = "/v1/convai/conversation/token"
	var out struct {
		Token          string `json:"token"`
		ConversationID string `json:"conversation_id"`
	}
	if err := c.do(ctx, http.MethodGet, path, q, nil, &out); err != nil {
		return ConversationToken{}, err
	}
	if out.Token == "" {
		return ConversationToken{}, fmt.Errorf("ElevenLabs API: GET %s returned no token", path)
	}
	c.learnToken(out.Token)
	return ConversationToken{Token: out.Token, ConversationID: out.ConversationID}, nil
}

// Bounds of an expiry TokenExpiry reports: anything outside is garbage.
var (
	minTokenExpiry = time.Unix(0, 0)
	maxTokenExpiry = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// TokenExpiry reads the exp claim of a JWT without verifying its signature
// (the token is the API's, signed with a key only the API holds; the claim is
// used as information only). ok is false when token is not a JWT, has no exp,
// or its exp is not a number of seconds between 1970 and 9999.
func TokenExpiry(token string) (exp time.Time, ok bool) {
	claims, err := TokenClaims(token)
	if err != nil {
		return time.Time{}, false
	}
	d, err := claims.GetExpirationTime()
	if err != nil || d == nil {
		return time.Time{}, false
	}
	if d.Before(minTokenExpiry) || d.After(maxTokenExpiry) {
		return time.Time{}, false
	}
	return d.UTC(), true
}

// TokenClaims decodes the claims of a JWT without verifying its signature
// (CONTRACT.md, "Conversation tokens": decode only): TokenExpiry reads exp
// from them, the live check (scripts/testlive) reports their names.
func TokenClaims(token string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return nil, err
	}
	return claims, nil
}
