package httplog

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// TestTraceLearnsAnAnswerBeforeTheNextOnItsConnection: net/http puts a
// connection back in its pool inside the Read that reaches the end of an
// answer, before that Read returns, so the next request can go out on it, and
// its answer come back, before the log has learned the first answer. A server
// that echoes there what it sent earlier on the connection (a minted token)
// must find the echo masked: an answer is logged only once every answer that
// arrived before it is learned. The second request is sent at that very moment.
func TestTraceLearnsAnAnswerBeforeTheNextOnItsConnection(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_ELEVENLABS_HTTP", "TRACE")
	const minted = "opaque_livekit_token_9a8b7c6d"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mint" {
			_, _ = io.WriteString(w, `{"token":"`+minted+`"}`)
			return
		}
		w.Header().Set("X-Share", minted)
		_, _ = io.WriteString(w, `{"seen":["`+minted+`"]}`)
	}))
	defer srv.Close()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	pool := &http.Transport{}
	defer pool.CloseIdleConnections()
	var logged *Transport
	reused := false
	echo := func() {
		trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = i.Reused }}
		get(t, httptrace.WithClientTrace(ctx, trace), logged, srv.URL+"/echo")
	}
	logged = New(atEOF{pool, "/mint", echo}, redact.NewSecrets(key))
	get(t, ctx, logged, srv.URL+"/mint")
	if !reused {
		t.Fatal("the second request did not go out on the first one's connection")
	}
	out := logs.String()
	if strings.Contains(out, minted) {
		t.Errorf("TRACE log leaks the token echoed on its connection:\n%s", out)
	}
	if n := strings.Count(out, "ElevenLabs API response headers and body"); n != 2 {
		t.Errorf("TRACE log has %d answers, want 2:\n%s", n, out)
	}
	for _, want := range []string{`X-Share: ***`, `\"seen\":[\"***\"]`, `\"token\":\"***\"`} {
		if !strings.Contains(out, want) {
			t.Errorf("TRACE log lacks %s:\n%s", want, out)
		}
	}
}

// get sends a GET through rt and returns the answer's body, read to its end.
func get(t *testing.T, ctx context.Context, rt http.RoundTripper, url string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := (&http.Client{Transport: rt}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// atEOF calls then when the body of the answer to path reaches its end: net/http
// has put the connection back in its pool by then.
type atEOF struct {
	next http.RoundTripper
	path string
	then func()
}

func (a atEOF) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := a.next.RoundTrip(req)
	if err == nil && req.URL.Path == a.path {
		resp.Body = &eofHook{ReadCloser: resp.Body, then: a.then}
	}
	return resp, err
}

type eofHook struct {
	io.ReadCloser
	then func()
}

func (h *eofHook) Read(p []byte) (int, error) {
	n, err := h.ReadCloser.Read(p)
	if err == io.EOF && h.then != nil {
		then := h.then
		h.then = nil
		then()
	}
	return n, err
}
