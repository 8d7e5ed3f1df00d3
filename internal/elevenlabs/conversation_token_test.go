package elevenlabs

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeJWT builds an unsigned-looking JWT with the given claims JSON; the
// client never verifies signatures, so any third segment will do.
func fakeJWT(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(claims)) + ".c2lnbmF0dXJl"
}

func TestConversationTokenQuery(t *testing.T) {
	var q string
	tok := fakeJWT(`{"exp":1800000000,"sub":"x"}`)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q = r.Method + " " + r.URL.Path + "?" + r.URL.RawQuery
		writeJSON(w, 200, `{"token":"`+tok+`","conversation_id":"conv_1"}`)
	}))
	got, err := c.GetConversationToken(context.Background(), ConversationTokenRequest{
		AgentID: "a", ParticipantName: "Ada L", BranchID: "b1", VersionID: "v2", Environment: "staging"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != tok || got.ConversationID != "conv_1" {
		t.Errorf("got %+v", got)
	}
	want := "GET /v1/convai/conversation/token?agent_id=a&branch_id=b1&environment=staging&participant_name=Ada+L&version_id=v2"
	if q != want {
		t.Errorf("request = %q, want %q", q, want)
	}

	// Only what is set is sent.
	if _, err := c.GetConversationToken(context.Background(), ConversationTokenRequest{AgentID: "a"}); err != nil {
		t.Fatal(err)
	}
	if want := "GET /v1/convai/conversation/token?agent_id=a"; q != want {
		t.Errorf("request = %q, want %q", q, want)
	}
}

func TestSignedURLPassesVersionID(t *testing.T) {
	var q string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q = r.URL.RawQuery
		writeJSON(w, 200, `{"signed_url":"wss://x/v1/convai/conversation?agent_id=a&conversation_signature=s"}`)
	}))
	if _, err := c.GetSignedURL(context.Background(), SignedURLRequest{AgentID: "a", VersionID: "agtvrsn_1"}); err != nil {
		t.Fatal(err)
	}
	if want := "agent_id=a&version_id=agtvrsn_1"; q != want {
		t.Errorf("query = %q, want %q", q, want)
	}
}

// TestConversationTokenHostileAnswers: an answer without a usable token is an
// error that names what is missing and never carries the body's secrets.
func TestConversationTokenHostileAnswers(t *testing.T) {
	for name, tc := range map[string]struct {
		body, wantErr string
	}{
		"empty object":     {`{}`, "GET /v1/convai/conversation/token returned no token"},
		"null token":       {`{"token":null,"conversation_id":"c"}`, "returned no token"},
		"empty token":      {`{"token":"","conversation_id":"c"}`, "returned no token"},
		"number token":     {`{"token":12345,"conversation_id":"c"}`, "returned 200 with a body that is not the expected JSON"},
		"object token":     {`{"token":{"jwt":"SECRETVALUE"}}`, "returned 200 with a body that is not the expected JSON"},
		"number conv id":   {`{"token":"SECRETVALUE","conversation_id":7}`, "returned 200 with a body that is not the expected JSON"},
		"array":            {`["SECRETVALUE"]`, "returned 200 with a body that is not the expected JSON"},
		"not JSON at all":  {`SECRETVALUE`, "returned 200 with a body that is not the expected JSON"},
		"truncated object": {`{"token":"SECRETVALUE"`, "returned 200 with a body that is not the expected JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, tc.body) }))
			_, err := c.GetConversationToken(context.Background(), ConversationTokenRequest{AgentID: "a"})
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "SECRETVALUE") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}

	// A token without a conversation id is still a token.
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"token":"opaque"}`) }))
	got, err := c.GetConversationToken(context.Background(), ConversationTokenRequest{AgentID: "a"})
	if err != nil || got.Token != "opaque" || got.ConversationID != "" {
		t.Errorf("got %+v, %v", got, err)
	}
}

func TestTokenExpiry(t *testing.T) {
	for name, tc := range map[string]struct {
		token string
		want  string // RFC 3339, "" for none
	}{
		"integer exp":          {fakeJWT(`{"exp":1800000000}`), "2027-01-15T08:00:00Z"},
		"fractional exp":       {fakeJWT(`{"exp":1800000000.9}`), "2027-01-15T08:00:00Z"},
		"no exp":               {fakeJWT(`{"sub":"x"}`), ""},
		"string exp":           {fakeJWT(`{"exp":"tomorrow"}`), ""},
		"null exp":             {fakeJWT(`{"exp":null}`), ""},
		"object exp":           {fakeJWT(`{"exp":{"s":1}}`), ""},
		"negative exp":         {fakeJWT(`{"exp":-5}`), ""},
		"exp beyond year 9999": {fakeJWT(`{"exp":1e300}`), ""},
		"claims not JSON":      {"eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln", ""},
		"claims an array":      {fakeJWT(`[1,2]`), ""},
		"two segments":         {"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9", ""},
		"opaque token":         {"lk_3f9a8b7c", ""},
		"empty":                {"", ""},
		"bad base64":           {"eyJhbGciOiJIUzI1NiJ9.!!!.c2ln", ""},
		"unknown alg":          {base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"XX9"}`)) + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":1800000000}`)) + ".c2ln", ""},
	} {
		t.Run(name, func(t *testing.T) {
			exp, ok := TokenExpiry(tc.token)
			got := ""
			if ok {
				got = exp.Format(time.RFC3339)
			}
			if got != tc.want {
				t.Errorf("TokenExpiry = %q (ok %v), want %q", got, ok, tc.want)
			}
		})
	}
}
