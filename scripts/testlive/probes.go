package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// ProbeResult is one row of the table of unconfirmed points.
type ProbeResult struct {
	Point    string // what CONTRACT.md leaves unconfirmed
	Request  string // what was sent
	Status   string // the HTTP status, or what the conversation start did
	Answer   string // the API's answer, summarised
	After    string // the agent's auth afterwards, or the outcome
	Decision string // our decision in CONTRACT.md (what the fake does)
}

// answer is what the API said to one probe request.
type answer struct {
	status    int  // 0: no HTTP answer
	requestID bool // the answer carried a request-id or x-request-id header
	err       error
}

// send sends one probe request through the client c (the key-holding path,
// here with the key c holds, a wrong one or none), records in *out a 2xx JSON
// answer (out nil: not decoded), and returns what the API answered.
func (l *live) send(ctx context.Context, c *elevenlabs.Client, method, path string, q url.Values, body string, out any) answer {
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	err := c.Call(ctx, method, path, q, b, out)
	last := l.seen.take()
	return answer{status: last.status, requestID: last.requestID, err: err}
}

func (l *live) patchAuth(ctx context.Context, authJSON string) answer {
	return l.send(ctx, l.once, http.MethodPatch, "/v1/convai/agents/"+l.agentID, nil, `{"platform_settings":{"auth":`+authJSON+`}}`, nil)
}

func (l *live) auth(ctx context.Context) string {
	var agent map[string]any
	if r := l.send(ctx, l.once, http.MethodGet, "/v1/convai/agents/"+l.agentID, nil, "", &agent); r.err != nil {
		return fmt.Sprintf("GET failed: %d %s", r.status, l.redact(r.err.Error()))
	}
	return authOf(agent)
}

const publicAuth = `{"enable_auth":false,"allowlist":[],"require_origin_header":false}`

// hosts renders n allowlist entries h0.example.com ... as JSON.
func hosts(names ...string) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"hostname":%q}`, n)
	}
	b.WriteByte(']')
	return b.String()
}

func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("h%d.example.com", i)
	}
	return out
}

// patchProbe is one PATCH of platform_settings.auth from a known start.
type patchProbe struct {
	point, start, auth, decision string
	show                         string // the Request column; "" shows auth
}

var patchProbes = []patchProbe{
	{"10 allowlist entries (the documented limit)", publicAuth, `{"allowlist":` + hosts(numbered(10)...) + `}`, "accepted", `{"allowlist":[h0.example.com ... h9.example.com]}`},
	{"11 allowlist entries", publicAuth, `{"allowlist":` + hosts(numbered(11)...) + `}`, "provider refuses at plan time; fake: 422", `{"allowlist":[h0.example.com ... h10.example.com]}`},
	{"upper-case hostname", publicAuth, `{"allowlist":` + hosts("TestLive.Example.com") + `}`, "provider refuses at plan time (lower case only); fake: 422", ""},
	{"scheme prefix (the OpenAPI example)", publicAuth, `{"allowlist":` + hosts("https://testlive.example.com") + `}`, "provider refuses at plan time (host or host:port); fake: 422", ""},
	{"path in the hostname", publicAuth, `{"allowlist":` + hosts("testlive.example.com/app") + `}`, "provider refuses at plan time; fake: 422", ""},
	{"duplicate entries", publicAuth, `{"allowlist":` + hosts("dup.example.com", "dup.example.com") + `}`, "provider refuses at plan time; fake: 422", ""},
	{"null allowlist", `{"enable_auth":false,"allowlist":` + hosts("keep.example.com") + `,"require_origin_header":false}`, `{"allowlist":null}`, "never sent (an empty list clears); fake: 422, null is not a list", ""},
	{"null auth block", `{"enable_auth":true,"allowlist":[],"require_origin_header":false}`, `null`, "never sent; fake: the block is removed (reads as the defaults)", ""},
	{"null enable_auth", `{"enable_auth":true,"allowlist":[],"require_origin_header":false}`, `{"enable_auth":null}`, "never sent; fake: 422, null is not a boolean", ""},
	{"enable_auth and an allowlist together", publicAuth, `{"enable_auth":true,"allowlist":` + hosts("both.example.com") + `}`, "provider refuses (one method per agent); fake stores it", ""},
}

// probe sends each unconfirmed point to the API and records its answer.
func (l *live) probe(ctx context.Context) {
	fmt.Fprintln(l.out, "probing the points CONTRACT.md marks unconfirmed")
	for _, p := range patchProbes {
		if ctx.Err() != nil {
			return
		}
		show := p.show
		if show == "" {
			show = p.auth
		}
		if r := l.patchAuth(ctx, p.start); r.err != nil {
			l.addProbe(ProbeResult{Point: p.point, Request: "PATCH auth " + show, Status: "setup failed", Answer: l.answer(r), Decision: p.decision})
			continue
		}
		r := l.patchAuth(ctx, p.auth)
		l.addProbe(ProbeResult{
			Point: p.point, Request: "PATCH auth " + show, Status: statusOf(r), Answer: l.answer(r),
			After: l.auth(ctx), Decision: p.decision,
		})
	}
	l.conversationProbes(ctx)
	l.tokenProbe(ctx)
	l.errorProbes(ctx)
	_ = l.patchAuth(ctx, publicAuth)
}

func (l *live) conversationProbes(ctx context.Context) {
	u := conversationURL(l.base, l.agentID)
	type cp struct {
		point, auth, origin, url, decision string
	}
	start := []cp{
		{"Origin matching ignores case?", `{"enable_auth":false,"allowlist":` + hosts(allowedHost) + `}`, "https://TestLive.Example.COM", u, "fake: exact, case-sensitive (refused)"},
		{"refused start: enable_auth, no signature", `{"enable_auth":true,"allowlist":[],"require_origin_header":false}`, "", u, "fake: HTTP 403 signature_required before the upgrade"},
		{"refused start: forged signature", `{"enable_auth":true,"allowlist":[],"require_origin_header":false}`, "", u + "&conversation_signature=forged", "fake: HTTP 403 signature_invalid before the upgrade"},
		{"refused start: Origin not in the allowlist", `{"enable_auth":false,"allowlist":` + hosts(allowedHost) + `,"require_origin_header":false}`, otherOrigin, u, "fake: HTTP 403 origin_not_allowed before the upgrade"},
		{"refused start: no Origin, require_origin_header", `{"enable_auth":false,"allowlist":` + hosts(allowedHost) + `,"require_origin_header":true}`, "", u, "fake: HTTP 403 origin_required before the upgrade"},
	}
	for _, c := range start {
		if ctx.Err() != nil {
			return
		}
		if r := l.patchAuth(ctx, c.auth); r.err != nil {
			l.addProbe(ProbeResult{Point: c.point, Request: "PATCH auth " + c.auth, Status: "setup failed", Answer: l.answer(r), Decision: c.decision})
			continue
		}
		res := startConversation(ctx, c.url, c.origin, l.cfg.APIKey)
		req := "connect, no Origin"
		if c.origin != "" {
			req = "connect, Origin " + c.origin
		}
		l.addProbe(ProbeResult{Point: c.point, Request: req + " (auth " + c.auth + ")", Status: startStatus(res), Answer: res.String(), After: "-", Decision: c.decision})
	}
	// A single-use signed URL, used twice.
	if ctx.Err() != nil {
		return
	}
	_ = l.patchAuth(ctx, `{"enable_auth":true,"allowlist":[],"require_origin_header":false}`)
	var su struct {
		SignedURL string `json:"signed_url"`
	}
	r := l.send(ctx, l.once, http.MethodGet, "/v1/convai/conversation/get-signed-url", url.Values{"agent_id": {l.agentID}, "include_conversation_id": {"true"}}, "", &su)
	if r.err != nil || su.SignedURL == "" {
		l.addProbe(ProbeResult{Point: "signed URL with include_conversation_id, used twice", Request: "get-signed-url", Status: statusOf(r), Answer: l.answer(r), Decision: "fake: the second start is refused (signature_used)"})
		return
	}
	first := startConversation(ctx, su.SignedURL, "", l.cfg.APIKey)
	second := startConversation(ctx, su.SignedURL, "", l.cfg.APIKey)
	l.addProbe(ProbeResult{
		Point: "signed URL with include_conversation_id, used twice", Request: "connect twice with one signed URL",
		Status: startStatus(first) + " then " + startStatus(second), Answer: "1st " + first.String() + "; 2nd " + second.String(),
		After: "-", Decision: "fake: the second start is refused (signature_used)",
	})
}

func (l *live) tokenProbe(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	var tok struct {
		Token          string `json:"token"`
		ConversationID string `json:"conversation_id"`
	}
	r := l.send(ctx, l.once, http.MethodGet, "/v1/convai/conversation/token", url.Values{"agent_id": {l.agentID}}, "", &tok)
	p := ProbeResult{Point: "conversation token lifetime and claims", Request: "GET /v1/convai/conversation/token", Status: statusOf(r), Decision: "read exp from the JWT, never assume a lifetime; fake: our own lifetime"}
	if r.err != nil {
		p.Answer = l.answer(r)
		l.addProbe(p)
		return
	}
	claims, err := elevenlabs.TokenClaims(tok.Token)
	if err != nil {
		p.Answer = "not a JWT: " + err.Error()
		l.addProbe(p)
		return
	}
	exp, _ := claims.GetExpirationTime()
	iat, _ := claims.GetIssuedAt()
	life := "no exp claim"
	switch {
	case exp != nil && iat != nil:
		life = fmt.Sprintf("exp - iat = %s", exp.Sub(iat.Time))
	case exp != nil:
		life = fmt.Sprintf("exp - now = about %s", time.Until(exp.Time).Round(time.Second))
	}
	p.Answer = fmt.Sprintf("JWT claims: %s; conversation_id %q", strings.Join(claimNames(claims), ", "), tok.ConversationID)
	p.After = life
	l.addProbe(p)
}

func (l *live) errorProbes(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	unknown := "agent_0000000000000000000000000000"
	r := l.send(ctx, l.once, http.MethodGet, "/v1/convai/agents/"+unknown, nil, "", nil)
	l.addProbe(ProbeResult{Point: "unknown agent", Request: "GET /v1/convai/agents/" + unknown, Status: statusOf(r), Answer: l.answer(r), After: "x-request-id: " + present(r.requestID), Decision: "404 agent_not_found (from third-party logs)"})
	for _, k := range []struct{ point, key, request, decision string }{
		{"wrong key", "testlive-wrong-key", "GET the agent with a wrong key", "401 invalid_api_key"},
		{"no key", "", "GET the agent without xi-api-key", "401 needs_authorization"},
	} {
		c, err := l.newClient(k.key, 0)
		if err != nil {
			l.addProbe(ProbeResult{Point: k.point, Request: k.request, Status: "setup failed", Answer: err.Error(), Decision: k.decision})
			continue
		}
		r = l.send(ctx, c, http.MethodGet, "/v1/convai/agents/"+l.agentID, nil, "", nil)
		l.addProbe(ProbeResult{Point: k.point, Request: k.request, Status: statusOf(r), Answer: l.answer(r), After: "x-request-id: " + present(r.requestID), Decision: k.decision})
	}
}

func present(ok bool) string {
	if ok {
		return "present"
	}
	return "absent"
}

func (l *live) addProbe(p ProbeResult) {
	for _, f := range []*string{&p.Point, &p.Request, &p.Status, &p.Answer, &p.After, &p.Decision} {
		*f = l.redact(*f)
	}
	l.rep.Probes = append(l.rep.Probes, p)
	fmt.Fprintf(l.out, "  probe  %s: %s %s\n", p.Point, p.Status, p.Answer)
}

func statusOf(r answer) string {
	if r.status == 0 {
		return "no answer"
	}
	return fmt.Sprint(r.status)
}

// answer summarises what the API said: "ok", what its error's detail said,
// or why there was no usable answer.
func (l *live) answer(r answer) string {
	var e *elevenlabs.APIError
	switch {
	case r.err == nil:
		return "ok"
	case errors.As(r.err, &e):
		return l.redact(e.Detail())
	}
	return l.redact(r.err.Error())
}

func startStatus(r startResult) string {
	switch {
	case r.Accepted:
		return "started"
	case r.HTTPStatus > 0 && r.HTTPStatus != http.StatusSwitchingProtocols:
		return fmt.Sprintf("HTTP %d", r.HTTPStatus)
	case r.CloseCode != 0:
		return fmt.Sprintf("close %d", r.CloseCode)
	}
	return "failed"
}
