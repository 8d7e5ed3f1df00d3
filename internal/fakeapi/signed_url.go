package fakeapi

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// SignatureTTL is how long a conversation signature can start a conversation
// after it was minted.
const SignatureTTL = 15 * time.Minute

// signature is what the fake remembers of each minted conversation signature.
type signature struct {
	agentID        string
	minted         time.Time
	singleUse      bool // minted with include_conversation_id=true
	used           bool
	conversationID string
	branchID       string
	versionID      string
	environment    string
}

// parseBoolParam parses a query boolean the way pydantic does.
func parseBoolParam(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on", "t", "y":
		return true, true
	case "false", "0", "no", "off", "f", "n":
		return false, true
	}
	return false, false
}

// missingQuery is the 422 issue for a required query parameter.
func missingQuery(name string) ValidationIssue {
	return ValidationIssue{Loc: loc("query", name), Msg: "Field required", Type: "missing"}
}

// handleSignedURL serves get-signed-url and its deprecated alias.
func (s *Server) handleSignedURL(c *call) {
	q := c.r.URL.Query()
	var issues []ValidationIssue
	if !q.Has("agent_id") {
		issues = append(issues, missingQuery("agent_id"))
	}
	include := false
	if q.Has("include_conversation_id") {
		b, ok := parseBoolParam(q.Get("include_conversation_id"))
		if !ok {
			issues = append(issues, ValidationIssue{
				Loc:  loc("query", "include_conversation_id"),
				Msg:  "Input should be a valid boolean, unable to interpret input",
				Type: "bool_parsing",
			})
		}
		include = b
	}
	if len(issues) > 0 {
		writeValidation(c.w, issues)
		return
	}
	agentID := q.Get("agent_id")
	env := q.Get("environment")
	if env == "" {
		env = defaultEnvironment
	}
	sig := &signature{
		agentID:     agentID,
		minted:      s.now(),
		singleUse:   include,
		branchID:    q.Get("branch_id"),
		versionID:   q.Get("version_id"),
		environment: env,
	}
	if include {
		sig.conversationID = newConversationID()
	}
	token := newSignature()

	s.mu.Lock()
	_, ok := s.agents[agentID]
	if ok {
		s.signatures[token] = sig
	}
	s.mu.Unlock()
	if !ok {
		s.writeAgentNotFound(c, agentID)
		return
	}

	v := url.Values{}
	v.Set("agent_id", agentID)
	v.Set("conversation_signature", token)
	if include {
		v.Set("conversation_id", sig.conversationID)
	}
	u := url.URL{Scheme: wsScheme(c.r), Host: c.r.Host, Path: RouteConversation, RawQuery: encodeOrdered(v, "agent_id", "conversation_signature", "conversation_id")}
	writeJSON(c.w, http.StatusOK, map[string]any{"signed_url": u.String()})
}

// wsScheme is the scheme a client must use to reach this server's WebSocket:
// wss behind TLS, ws over plain HTTP (the real API always answers wss).
func wsScheme(r *http.Request) string {
	if r.TLS != nil {
		return "wss"
	}
	return "ws"
}

// encodeOrdered encodes the given keys of v in that order (url.Values.Encode
// sorts them, which would put conversation_id before the signature).
func encodeOrdered(v url.Values, keys ...string) string {
	var parts []string
	for _, k := range keys {
		if v.Has(k) {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v.Get(k)))
		}
	}
	return strings.Join(parts, "&")
}

// Signatures returns every conversation_signature minted so far, so tests can
// search files and logs for them.
func (s *Server) Signatures() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.signatures))
	for token := range s.signatures {
		out = append(out, token)
	}
	sort.Strings(out)
	return out
}
