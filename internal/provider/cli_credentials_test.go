package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// credentialHandoff declares both ephemeral credentials for agent id and
// hands them to a provisioner, which writes them to handoff.txt.
func credentialHandoff(id string) string {
	return fmt.Sprintf(`
ephemeral "elevenlabs_signed_url" "web" {
  agent_id = %q
}

ephemeral "elevenlabs_conversation_token" "rtc" {
  agent_id = %q
}

resource "terraform_data" "handoff" {
  input = "once"
  provisioner "local-exec" {
    command = "printf '%%s|%%s' \"$SIGNED_URL\" \"$TOKEN\" > handoff.txt"
    environment = {
      SIGNED_URL = ephemeral.elevenlabs_signed_url.web.signed_url
      TOKEN      = ephemeral.elevenlabs_conversation_token.rtc.token
    }
  }
}
`, id, id)
}

// TestAccCLI_credentialsCheckedBeforeHandover: a signed URL on another host
// and a token that expired before it arrived are handed over with a warning
// each (the hosts; the expiry and this machine's time); a signed URL a client
// must not use is an error that shows it masked, and nothing is handed over.
func TestAccCLI_credentialsCheckedBeforeHandover(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("checked handover")
	const sig = "c2lnbmF0dXJlLW5ldmVyLXNob3du"
	elsewhere := "wss://conversations.example.com/v1/convai/conversation?agent_id=" + id + "&conversation_signature=" + sig
	exp := time.Now().Add(-2 * time.Minute).Truncate(time.Second).UTC()
	token := jwtWithClaims(fmt.Sprintf(`{"exp":%d}`, exp.Unix()))
	e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteSignedURL, Status: 200, Body: fmt.Sprintf(`{"signed_url":%q}`, elsewhere)})
	e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteConversationToken, Status: 200, Body: `{"token":"` + token + `","conversation_id":"conv_1"}`})
	w.write(credentialHandoff(id))

	out := w.mustRun(0, "apply", "-auto-approve")
	wantAll(t, "apply", out, []string{
		"Warning: Signed URL for agent " + id + " on another host",
		"The API minted a signed URL on the host conversations.example.com, not on 127.0.0.1, the host the provider talks to, nor on an official ElevenLabs API host. It was handed over",
		"Warning: Conversation token for agent " + id + " already expired",
		"The API returned a token whose exp claim is " + exp.Format(time.RFC3339) + ", which is not after this machine's clock:",
		"(local time ",
		"If this machine's clock is off (clock skew), correct it",
	}, sig, token)
	if got := w.read("handoff.txt"); got != elsewhere+"|"+token {
		t.Errorf("the provisioner got %q, want both credentials as the API sent them", got)
	}

	// A URL a client must not use: an error, the signature masked.
	e.fake.ClearFaults()
	e.fake.InjectFault(fakeapi.Fault{Method: "GET", Path: fakeapi.RouteSignedURL, Status: 200,
		Body: `{"signed_url":"http://127.0.0.1:1/v1/convai/conversation?agent_id=` + id + `&conversation_signature=` + sig + `"}`})
	out, code := w.run(nil, "plan")
	if code != 1 {
		t.Fatalf("plan with an http signed URL exited %d, want 1:\n%s", code, out)
	}
	wantAll(t, "plan", out, []string{
		"Error: Unusable signed URL for agent " + id,
		"The API answered with the signed URL http://127.0.0.1:1/v1/convai/conversation?agent_id=" + id + "&conversation_signature=***, which uses the scheme \"http\": only wss is accepted.",
		"so none was handed over",
	}, sig, testAPIKey)
}

// echoServer is the fake API behind a server that echoes secrets back: every
// answer carries, in every form (secretForms), each secret the provider
// process on that connection has been sent: the API key of the request (in
// headers and error answers: a 2xx body that holds it is refused whole), and
// each token, signature and shareable_token that an earlier answer on the
// connection, or this one, carried. A connection belongs to one process, so
// nothing is echoed that the process has not seen. Connections are told apart
// by a number the server gives each (connContext), not by their address: a
// later process may reuse a closed connection's port. With fail set, the first
// request on a connection that has been sent a minted credential, and every
// one after it, is answered 400 with the echoes in the error message.
type echoServer struct {
	fake      *fakeapi.Server
	key       string
	shareable string
	mu        sync.Mutex
	assigned  map[string]bool     // credentials the fake minted that are tied to a connection
	seen      map[string][]string // connection -> secrets sent on it
	minted    map[string]bool     // connection -> a minted credential was sent on it
	conns     atomic.Int64        // connections accepted
	fail      bool
	failures  int
}

func (s *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	conn := r.Context().Value(echoConnKey{}).(string)
	if s.fail && s.minted[conn] {
		s.failures++
		msg := strings.Join(s.echoes(conn), " | ")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"detail": map[string]any{"code": "echo", "message": msg}})
		return
	}
	rec := httptest.NewRecorder()
	s.fake.ServeHTTP(rec, r)
	for _, v := range append(s.fake.Tokens(), s.fake.Signatures()...) {
		if !s.assigned[v] {
			s.assigned[v] = true
			s.seen[conn] = append(s.seen[conn], v)
			s.minted[conn] = true
		}
	}
	body := rec.Body.Bytes()
	if strings.Contains(rec.Body.String(), s.shareable) || strings.Contains(rec.Body.String(), jsonEscape(s.shareable)) {
		s.seen[conn] = append(s.seen[conn], s.shareable)
	}
	var obj map[string]any
	if rec.Code < 300 && json.Unmarshal(body, &obj) == nil && obj != nil {
		// Every secret but the key, which the provider refuses a whole 2xx
		// answer for (TestAccCLI_answerEchoingTheKeyIsRefused); headers and
		// error answers echo the key too.
		secrets := s.seen[conn]
		obj["echo"] = map[string]any{
			"tokens": [][]string{append([]string{"first"}, secrets...)},
			"forms":  formsOf(secrets),
			"nested": `{"x":` + mustJSON(secrets) + `}`,
		}
		body, _ = json.Marshal(obj)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	for _, v := range s.secrets(conn, r.Header.Get("xi-api-key")) {
		w.Header().Add("X-Share", v)
		w.Header().Add("X-Share-B64", base64.StdEncoding.EncodeToString([]byte(v)))
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

type echoConnKey struct{}

// connContext numbers each accepted connection (http.Server.ConnContext).
func (s *echoServer) connContext(ctx context.Context, _ net.Conn) context.Context {
	return context.WithValue(ctx, echoConnKey{}, fmt.Sprint(s.conns.Add(1)))
}

func (s *echoServer) secrets(conn, key string) []string {
	out := append([]string(nil), s.seen[conn]...)
	if key != "" {
		out = append(out, key)
	}
	return out
}

// echoes lists every form of every secret of the connection, the key included.
func (s *echoServer) echoes(conn string) []string { return formsOf(s.secrets(conn, s.key)) }

// formsOf lists every form of each of values, and each inside a base64 blob.
func formsOf(values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, secretForms(v)...)
		out = append(out, base64.StdEncoding.EncodeToString([]byte("echo:"+v+":blob")))
	}
	return out
}

// secretForms are the ways a secret is written that must never reach a log,
// an error, the state or a plan: raw, URL-encoded, JSON-escaped (once and
// twice), base64 and base64url.
func secretForms(v string) []string {
	b := []byte(v)
	return []string{v, url.QueryEscape(v), url.PathEscape(v), jsonEscape(v), jsonEscape(jsonEscape(v)),
		base64.StdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)}
}

// blobCore is what encodes v inside the base64 blob echoes writes.
func blobCore(v string) string {
	e := base64.StdEncoding.EncodeToString([]byte("echo:" + v + ":blob"))
	return e[(8*5+5)/6 : 8*(5+len(v))/6]
}

func jsonEscape(v string) string { s := mustJSON(v); return s[1 : len(s)-1] }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestAccCLI_echoedSecretsMaskedByValue runs plan, apply and plan at TRACE
// against a server that echoes every secret the provider has seen (the API
// key, in headers, each minted token and signature, the agent's
// shareable_token) in every form, under keys and headers the name rules do not know, in nested arrays,
// after the first element, and inside base64 blobs. None of those forms
// reaches the CLI output, a trace log, the state or a saved plan. Then the
// server answers with errors that echo them: none reaches stderr either.
func TestAccCLI_echoedSecretsMaskedByValue(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	const shareable = "shr_5f0e/1d2c+3b4a&69<78>9a"
	srv := &echoServer{fake: e.fake, key: testAPIKey, shareable: shareable,
		assigned: map[string]bool{}, seen: map[string][]string{}, minted: map[string]bool{}}
	echo := httptest.NewUnstartedServer(srv)
	echo.Config.ConnContext = srv.connContext
	echo.Start()
	t.Cleanup(echo.Close)
	e.url = echo.URL
	w := newCLIWorkspace(t, e)
	id := e.agent("echoed")
	auth := fakeAuth(true, false)
	auth["shareable_token"] = shareable
	e.fake.SetAuth(id, auth)
	w.write(credentialHandoff(id) + signedModeResource(id) + "\ndata \"elevenlabs_agents\" \"all\" {}\n")

	outputs := w.runTraced(nil)

	finder := func() *secretFinder {
		f := &secretFinder{t: t, secrets: map[string]string{}}
		all := append(append([]string{testAPIKey, shareable}, e.fake.Tokens()...), e.fake.Signatures()...)
		for i, v := range all {
			label := fmt.Sprintf("secret #%d (%.6s…)", i, v)
			for j, form := range secretForms(v) {
				f.secrets[form] = fmt.Sprintf("%s in form %d", label, j)
			}
			f.secrets[blobCore(v)] = label + " inside a base64 blob"
		}
		return f
	}
	f := finder()
	if len(f.secrets) < 4*7 {
		t.Fatalf("only %d secret forms to look for: did the run mint credentials?", len(f.secrets))
	}
	// The server did echo: the trace log shows the masked echoes.
	wantAll(t, "apply.log", w.read("apply.log"), []string{`X-Share: ***`, `\"tokens\":[[\"first\",\"***\"`})
	w.checkEverywhere(f, outputs, "elevenlabs_signed_url", "ElevenLabs API response headers and body")

	// Errors that echo them, without TF_LOG: the client masks what it saw.
	srv.mu.Lock()
	srv.fail = true
	srv.mu.Unlock()
	out, code := w.run([]string{"TF_CLI_ARGS_plan=-parallelism=1"}, "plan")
	if code != 1 || srv.failures == 0 {
		t.Fatalf("plan against echoing errors exited %d after %d echoed errors, want 1 and some:\n%s", code, srv.failures, out)
	}
	wantAll(t, "plan", out, []string{"returned 400 Bad Request: echo: ***"})
	finder().check("the output of a plan that failed on echoed secrets", out)
}

// TestAccCLI_refusingProxyEchoMasked: a proxy refuses the tunnel with a
// status line that echoes the credentials of HTTPS_PROXY (user:password, the
// password as written in the URL, and the Basic credentials it received),
// which Go reports as the error text. Neither the CLI output nor the trace
// log holds any of them.
func TestAccCLI_refusingProxyEchoMasked(t *testing.T) {
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	const user, pass = "ci-runner", "pr0xy/Passw0rd:91f3"
	var got string
	proxy := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Proxy-Authorization")
		conn, buf, err := http.NewResponseController(rw).Hijack()
		if err != nil {
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 407 Refused " + user + ":" + pass + " (" + url.PathEscape(pass) + ", " + got + ")\r\n" +
			"Content-Length: 0\r\nConnection: close\r\n\r\n")
		_ = buf.Flush()
		_ = conn.Close()
	}))
	t.Cleanup(proxy.Close)
	withCreds := strings.Replace(proxy.URL, "http://", "http://"+user+":"+url.PathEscape(pass)+"@", 1)
	id := e.agent("behind a hostile proxy")
	w.write("provider \"elevenlabs\" {\n  max_retries = 0\n}\n" + signedModeResource(id))
	out, code := w.run([]string{EnvBaseURL + "=https://example.com", "HTTPS_PROXY=" + withCreds,
		"TF_LOG=trace", "TF_LOG_PATH=" + w.dir + "/proxy.log"}, "apply", "-auto-approve")
	if code != 1 || !strings.HasPrefix(got, "Basic ") {
		t.Fatalf("apply through the refusing proxy exited %d (want 1), the proxy got %q:\n%s", code, got, out)
	}
	wantAll(t, "apply", out, []string{"request failed: ", "Refused ***"})
	f := &secretFinder{t: t, secrets: map[string]string{testAPIKey: "API key"}}
	for i, v := range []string{pass, url.PathEscape(pass), user + ":" + pass, strings.TrimPrefix(got, "Basic ")} {
		f.secrets[v] = fmt.Sprintf("proxy credential form %d", i)
	}
	f.check("the CLI output", out)
	f.check("the trace log", w.read("proxy.log"))
}
