package elevenlabs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRedirectsAreNeverFollowed answers every call with a redirect of each kind
// to a second loopback server, on another port or over plain http: the client
// sends nothing there (so the key never leaves the configured host and a PATCH
// never becomes a GET), and the error names where the redirect pointed (scheme
// and host only) and what to check.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		writeJSON(w, 200, agentJSON)
	}))
	defer other.Close()
	otherTLS := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		writeJSON(w, 200, agentJSON)
	}))
	defer otherTLS.Close()
	otherURL, _ := url.Parse(other.URL)
	otherTLSURL, _ := url.Parse(otherTLS.URL)

	targets := map[string]*url.URL{
		// The same scheme on another port (the TLS base below redirects to
		// another TLS server), and a downgrade from https to http.
		"another port": otherTLSURL,
		"plain http":   otherURL,
	}
	for name, target := range targets {
		for _, status := range []int{301, 302, 303, 307, 308} {
			for _, method := range []string{http.MethodGet, http.MethodPatch} {
				t.Run(name+"/"+http.StatusText(status)+"/"+method, func(t *testing.T) {
					elsewhere.Store(0)
					var calls atomic.Int32
					location := target.Scheme + "://" + target.Host + "/v1/convai/agents/agent_1?conversation_signature=sig_in_location&token=tok_in_location"
					base := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						calls.Add(1)
						w.Header().Set("Location", location)
						w.WriteHeader(status)
					}))
					defer base.Close()
					// One client trusts both TLS servers (httptest shares the CA).
					transport := base.Client().Transport.(*http.Transport).Clone()
					c, err := New(Config{BaseURL: base.URL, APIKey: testKey, MaxRetries: 2, RetryWaitMin: time.Millisecond,
						RetryWaitMax: time.Millisecond, RequestTimeout: 2 * time.Second,
						Transport: func(http.RoundTripper) http.RoundTripper { return transport }})
					if err != nil {
						t.Fatal(err)
					}
					if method == http.MethodGet {
						_, err = c.GetAgent(context.Background(), "agent_1")
					} else {
						enable := true
						_, err = c.UpdateAgentAuth(context.Background(), "agent_1", AuthUpdate{EnableAuth: &enable})
					}
					if err == nil {
						t.Fatal("a redirect was reported as success")
					}
					if n := elsewhere.Load(); n != 0 {
						t.Errorf("the redirect target received %d requests", n)
					}
					if n := calls.Load(); n != 1 {
						t.Errorf("the API host received %d requests, want 1 (a redirect is not retried)", n)
					}
					var re *RedirectError
					if !errors.As(err, &re) {
						t.Fatalf("error %T is not a *RedirectError: %v", err, err)
					}
					msg := err.Error()
					want := fmt.Sprintf("%s /v1/convai/agents/agent_1 answered %d %s", method, status, http.StatusText(status))
					for _, w := range []string{want, "redirect to " + target.Scheme + "://" + target.Host, "follows no redirects"} {
						if !strings.Contains(msg, w) {
							t.Errorf("error %q does not contain %q", msg, w)
						}
					}
					for _, leak := range []string{"sig_in_location", "tok_in_location", "/v1/convai/agents/agent_1?", testKey} {
						if strings.Contains(msg, leak) {
							t.Errorf("error %q repeats %q from the Location", msg, leak)
						}
					}
				})
			}
		}
	}
}

// TestRedirectWithoutOrWithRelativeLocation: a relative Location names the API
// host itself; none at all says so.
func TestRedirectWithoutOrWithRelativeLocation(t *testing.T) {
	for loc, want := range map[string]string{
		"":                        "without a Location",
		"/v1/elsewhere?token=abc": "redirect to http://127.0.0.1:",
		"::not a url":             "with a Location that is not a URL",
	} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if loc != "" {
				w.Header().Set("Location", loc)
			}
			w.WriteHeader(http.StatusFound)
		}))
		_, err := c.GetAgent(context.Background(), "agent_1")
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "abc") {
			t.Errorf("Location %q: error %v, want one containing %q", loc, err, want)
		}
	}
}

// The two locks of the redirect refusal, each tested alone: keepLocation
// (the Location moved aside) and refuseRedirect (the http.Client's
// CheckRedirect). With both in place the second is never asked, so a test of
// the client as built cannot tell whether it is there.

// TestRedirectLockKeepLocation: a Location net/http cannot parse is reported
// as a redirect after one request. Without keepLocation, net/http fails on it
// before CheckRedirect is asked, with a transport error that quotes the
// Location (query and all) and is retried.
func TestRedirectLockKeepLocation(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Location", "::bad location?token=tok_in_location")
		w.WriteHeader(http.StatusFound)
	}))
	_, err := c.GetAgent(context.Background(), "agent_1")
	if !IsRedirect(err) || !strings.Contains(err.Error(), "with a Location that is not a URL") {
		t.Errorf("error %v, want a redirect with a Location that is not a URL", err)
	}
	if err != nil && strings.Contains(err.Error(), "tok_in_location") {
		t.Errorf("error repeats the Location's token: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the API host received %d requests, want 1", n)
	}
}

// TestRedirectLockCheckRedirect runs the client as built but with
// keepLocation taken out of its transport: CheckRedirect alone must still
// keep every redirect from being followed.
func TestRedirectLockCheckRedirect(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		writeJSON(w, 200, agentJSON)
	}))
	defer other.Close()
	for _, status := range []int{301, 302, 303, 307, 308} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", other.URL+"/v1/convai/agents/agent_1")
			w.WriteHeader(status)
		}))
		hc := c.http.HTTPClient
		if kl, ok := hc.Transport.(keepLocation); ok {
			hc.Transport = kl.next // the first lock removed
		}
		_, err := c.GetAgent(context.Background(), "agent_1")
		if !IsRedirect(err) || !strings.Contains(err.Error(), "a redirect to "+other.URL) {
			t.Errorf("%d: error %v, want the redirect to %s reported", status, err, other.URL)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
}
