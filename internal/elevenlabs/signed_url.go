package elevenlabs

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// SignedURLLifetime is how long a signed URL may be used to start a conversation.
const SignedURLLifetime = 15 * time.Minute

// SignedURLRequest holds the query parameters of get-signed-url.
type SignedURLRequest struct {
	AgentID string
	// IncludeConversationID makes the signature single-use.
	IncludeConversationID bool
	BranchID              string
	VersionID             string
	Environment           string
}

// GetSignedURL mints a signed conversation URL:
// GET /v1/convai/conversation/get-signed-url. The URL is a credential: callers must
// not log it; errors from this call never contain it.
func (c *Client) GetSignedURL(ctx context.Context, r SignedURLRequest) (string, error) {
	q := conversationQuery(r.AgentID, r.BranchID, r.VersionID, r.Environment)
	if r.IncludeConversationID {
		q.Set("include_conversation_id", strconv.FormatBool(true))
	}
	var out struct {
		SignedURL string `json:"signed_url"`
	}
	if err := c.do(ctx, http.MethodGet, "/v1/convai/conversation/get-signed-url", q, nil, &out); err != nil {
		return "", err
	}
	if out.SignedURL == "" {
		return "", fmt.Errorf("ElevenLabs API: GET /v1/convai/conversation/get-signed-url returned no signed_url")
	}
	c.learnSignedURL(out.SignedURL)
	return out.SignedURL, nil
}

// conversationQuery holds the query parameters that get-signed-url and the
// conversation-token endpoint share; empty optional values are left out.
func conversationQuery(agentID, branchID, versionID, environment string) url.Values {
	q := url.Values{"agent_id": {agentID}}
	for k, v := range map[string]string{"branch_id": branchID, "version_id": versionID, "environment": environment} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}
