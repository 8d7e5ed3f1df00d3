package fakeapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/convclient"
)

var convIDRe = regexp.MustCompile(`^conv_[a-z0-9]{28}$`)

// signedURL mints a signed URL on path and returns it parsed.
func (e *testEnv) signedURL(t *testing.T, path, agentID, extra string) *url.URL {
	t.Helper()
	r := e.do("GET", path+"?agent_id="+url.QueryEscape(agentID)+extra, "").wantStatus(t, 200)
	m := r.json(t)
	raw, ok := m["signed_url"].(string)
	if len(m) != 1 || !ok {
		t.Fatalf("signed URL body = %s, want only signed_url", r.body)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignedURLShape(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	host := strings.TrimPrefix(e.ts.URL, "http://")
	seen := map[string]bool{}
	for _, path := range []string{RouteSignedURL, RouteSignedURLOld} {
		u := e.signedURL(t, path, id, "")
		q := u.Query()
		// Served over plain HTTP, the fake hands out ws:// URLs a client can follow.
		if u.Scheme != "ws" || u.Host != host || u.Path != "/v1/convai/conversation" {
			t.Errorf("%s: signed URL %s, want ws://%s/v1/convai/conversation", path, u, host)
		}
		sig := q.Get("conversation_signature")
		if q.Get("agent_id") != id || sig == "" || q.Has("conversation_id") {
			t.Errorf("%s: query %v", path, q)
		}
		if !strings.HasPrefix(u.RawQuery, "agent_id=") {
			t.Errorf("%s: query starts %q, want agent_id first", path, u.RawQuery)
		}
		if seen[sig] {
			t.Errorf("signature %q minted twice", sig)
		}
		seen[sig] = true

		u = e.signedURL(t, path, id, "&include_conversation_id=true&branch_id=b1&environment=staging")
		if cid := u.Query().Get("conversation_id"); !convIDRe.MatchString(cid) {
			t.Errorf("%s: conversation_id %q", path, cid)
		}
		e.signedURL(t, path, id, "&include_conversation_id=false")
	}
	if got := e.s.Count("GET", RouteSignedURL); got != 3 {
		t.Errorf("new path counted %d, want 3", got)
	}
	if got := e.s.Count("GET", RouteSignedURLOld); got != 3 {
		t.Errorf("deprecated path counted %d, want 3", got)
	}
}

func TestSignedURLErrors(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	for _, path := range []string{RouteSignedURL, RouteSignedURLOld} {
		if got := e.do("GET", path, "").wantValidation(t); strings.Join(got, ";") != `["query","agent_id"] missing` {
			t.Errorf("%s without agent_id: %v", path, got)
		}
		if got := e.do("GET", path+"?agent_id="+id+"&include_conversation_id=maybe", "").wantValidation(t); got[0] != `["query","include_conversation_id"] bool_parsing` {
			t.Errorf("%s bad bool: %v", path, got)
		}
		e.do("GET", path+"?agent_id=agent_unknown", "").wantAppError(t, 404, CodeAgentNotFound)
	}
}

func TestSignedURLBodyKeepsPlainAmpersand(t *testing.T) {
	e := newEnv(t)
	id := e.s.CreateAgent("a")
	r := e.do("GET", RouteSignedURL+"?agent_id="+id, "").wantStatus(t, 200)
	if !strings.Contains(string(r.body), "&conversation_signature=") {
		t.Fatalf("body escapes '&': %s", r.body)
	}
}

func TestSignaturesListsMinted(t *testing.T) {
	s := New(WithAPIKey("k"))
	id := s.CreateAgent("a")
	srv := httptest.NewServer(s)
	defer srv.Close()
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("GET", srv.URL+RouteSignedURL+"?agent_id="+id, nil)
		req.Header.Set("xi-api-key", "k")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got := s.Signatures(); len(got) != 2 || got[0] == got[1] || got[0] == "" {
		t.Errorf("Signatures() = %q", got)
	}
}

// TestSignedURLSchemeFollowsTLS: behind TLS the fake answers wss://, like the
// real API, and a client can follow that URL too.
func TestSignedURLSchemeFollowsTLS(t *testing.T) {
	s := New()
	id := s.CreateAgent("a")
	s.SetAuth(id, map[string]any{"enable_auth": true})
	ts := httptest.NewTLSServer(s)
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+RouteSignedURL+"?agent_id="+id, nil)
	req.Header.Set("xi-api-key", DefaultAPIKey)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		SignedURL string `json:"signed_url"`
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || !strings.HasPrefix(body.SignedURL, "wss://"+strings.TrimPrefix(ts.URL, "https://")+"/v1/convai/conversation?") {
		t.Fatalf("signed_url = %q (%v), want wss://", body.SignedURL, err)
	}
	conv, err := convclient.Start(context.Background(), body.SignedURL, convclient.Options{HTTPClient: ts.Client()})
	if err != nil {
		t.Fatalf("following the wss:// URL: %v", err)
	}
	_ = conv.Close()
}
