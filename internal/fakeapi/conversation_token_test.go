package fakeapi

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// mintToken asks the fake for a conversation token and returns the body.
func (e *testEnv) mintToken(t *testing.T, agentID, extra string) (token, convID string) {
	t.Helper()
	r := e.do("GET", RouteConversationToken+"?agent_id="+url.QueryEscape(agentID)+extra, "").wantStatus(t, 200)
	m := r.json(t)
	token, _ = m["token"].(string)
	convID, _ = m["conversation_id"].(string)
	if len(m) != 2 || token == "" || !convIDRe.MatchString(convID) {
		t.Fatalf("token body = %s, want token and conversation_id", r.body)
	}
	return token, convID
}

func TestConversationTokenMintsSignedJWT(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("webrtc")
	token, convID := e.mintToken(t, id, "&participant_name=Ada&branch_id=b&version_id=v&environment=staging&source=x")

	// Signed with HS256 by this server's secret, with the documented claims.
	var claims TokenClaims
	parsed, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return e.s.tokenSecret, nil },
		jwt.WithTimeFunc(e.clock.Now))
	if err != nil || parsed.Method != jwt.SigningMethodHS256 {
		t.Fatalf("token does not verify: %v", err)
	}
	if claims.AgentID != id || claims.ConversationID != convID || claims.ParticipantName != "Ada" ||
		!claims.ExpiresAt.Equal(t0.Add(DefaultTokenLifetime)) || !claims.IssuedAt.Equal(t0) {
		t.Errorf("claims = %+v", claims)
	}
	other, _ := e.mintToken(t, id, "")
	if other == token {
		t.Error("two mints gave the same token")
	}
	if got := e.s.Tokens(); len(got) != 2 || got[0] != token || got[1] != other {
		t.Errorf("Tokens() = %q", got)
	}
	if n := e.s.Count("GET", RouteConversationToken); n != 2 {
		t.Errorf("counted %d token requests, want 2", n)
	}
}

func TestConversationTokenLifetimeOption(t *testing.T) {
	e := newEnv(t, WithTokenLifetime(2*time.Minute))
	id := e.s.CreateAgent("short")
	token, _ := e.mintToken(t, id, "")
	if _, reason := e.s.JoinWebRTC(token, id); reason != "" {
		t.Fatalf("fresh token refused: %s", reason)
	}
	e.clock.Advance(2*time.Minute + time.Second)
	if _, reason := e.s.JoinWebRTC(token, id); reason != ReasonTokenExpired {
		t.Errorf("after its lifetime: %q, want %s", reason, ReasonTokenExpired)
	}
}

// TestConversationTokenErrors: the same key checks and answers as
// get-signed-url.
func TestConversationTokenErrors(t *testing.T) {
	e := newEnv(t, withKey("write-only", ScopeWrite), withKey("read-only", ScopeRead))
	id := e.s.CreateAgent("a")
	path := RouteConversationToken + "?agent_id=" + id
	e.do("GET", path, "", "xi-api-key", "").wantAppError(t, 401, CodeNeedsAuthorization)
	e.do("GET", path, "", "xi-api-key", "wrong").wantAppError(t, 401, CodeInvalidAPIKey)
	e.do("GET", path, "", "xi-api-key", "write-only").wantAppError(t, 401, CodeMissingPermissions)
	e.do("GET", path, "", "xi-api-key", "read-only").wantStatus(t, 200)
	if got := e.do("GET", RouteConversationToken, "").wantValidation(t); strings.Join(got, ";") != `["query","agent_id"] missing` {
		t.Errorf("without agent_id: %v", got)
	}
	e.do("GET", RouteConversationToken+"?agent_id=agent_unknown", "").wantAppError(t, 404, CodeAgentNotFound)
	e.do("POST", path, "").wantStatus(t, 405)
	if got := e.s.Tokens(); len(got) != 1 {
		t.Errorf("refused requests minted tokens: %d", len(got))
	}
	// Faults apply to the route like to every other API route.
	e.s.InjectFault(Fault{Method: "GET", Path: RouteConversationToken, Status: 429, Count: 1})
	e.do("GET", path, "").wantStatus(t, 429)
}

func TestJoinWebRTC(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("webrtc")
	other := e.s.CreateAgent("other")
	token, convID := e.mintToken(t, id, "")

	claims, reason := e.s.JoinWebRTC(token, id)
	if reason != "" || claims.ConversationID != convID || claims.AgentID != id {
		t.Fatalf("join = %+v %q", claims, reason)
	}
	if _, reason := e.s.JoinWebRTC(token, ""); reason != "" {
		t.Errorf("join without naming the agent: %q", reason)
	}
	// A token may join again until it expires.
	if _, reason := e.s.JoinWebRTC(token, id); reason != "" {
		t.Errorf("second join: %q", reason)
	}

	fs := &Server{tokenSecret: newTokenSecret()}
	forged, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, TokenClaims{AgentID: id, ConversationID: convID,
		RegisteredClaims: jwt.RegisteredClaims{ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}}).SignedString(fs.tokenSecret)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, TokenClaims{AgentID: id,
		RegisteredClaims: jwt.RegisteredClaims{ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	noExp, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, TokenClaims{AgentID: id}).SignedString(e.s.tokenSecret)
	parts := strings.Split(token, ".")
	tampered := parts[0] + "." + parts[1] + "x." + parts[2]
	for name, tc := range map[string]struct {
		token, agent, want string
	}{
		"no token":                {"", id, ReasonTokenRequired},
		"wrong agent":             {token, other, ReasonTokenInvalid},
		"another server's secret": {forged, id, ReasonTokenInvalid},
		"alg none":                {none, id, ReasonTokenInvalid},
		"no exp":                  {noExp, id, ReasonTokenInvalid},
		"tampered claims":         {tampered, id, ReasonTokenInvalid},
		"not a JWT":               {"lk_opaque", id, ReasonTokenInvalid},
	} {
		if _, reason := e.s.JoinWebRTC(tc.token, tc.agent); reason != tc.want {
			t.Errorf("%s: %q, want %q", name, reason, tc.want)
		}
	}

	// Expiry follows the server's clock; a deleted agent's token is refused.
	e.clock.Advance(DefaultTokenLifetime - time.Second)
	if _, reason := e.s.JoinWebRTC(token, id); reason != "" {
		t.Errorf("a second before exp: %q", reason)
	}
	e.clock.Advance(time.Second)
	if _, reason := e.s.JoinWebRTC(token, id); reason != ReasonTokenExpired {
		t.Errorf("at exp: %q", reason)
	}
	fresh, _ := e.mintToken(t, id, "")
	e.s.DeleteAgentOOB(id)
	if _, reason := e.s.JoinWebRTC(fresh, id); reason != CodeAgentNotFound {
		t.Errorf("agent deleted: %q", reason)
	}
}
