package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
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

// rawAPI sends hand-made requests (bodies the client would never send).
type rawAPI struct {
	base, key string
	hc        *http.Client
}

func newRawAPI(base, key string) *rawAPI {
	return &rawAPI{base: base, key: key, hc: &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type rawAnswer struct {
	status    int
	requestID string
	body      []byte
	err       error
}

func (a *rawAPI) do(ctx context.Context, method, path string, q url.Values, body string, key string) rawAnswer {
	u := a.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return rawAnswer{err: err}
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("xi-api-key", key)
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return rawAnswer{err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	rid := resp.Header.Get("x-request-id")
	if rid == "" {
		rid = resp.Header.Get("request-id")
	}
	return rawAnswer{status: resp.StatusCode, requestID: rid, body: b}
}

func (a *rawAPI) patchAuth(ctx context.Context, agentID, authJSON string) rawAnswer {
	return a.do(ctx, http.MethodPatch, "/v1/convai/agents/"+url.PathEscape(agentID), nil, `{"platform_settings":{"auth":`+authJSON+`}}`, a.key)
}

func (a *rawAPI) auth(ctx context.Context, agentID string) string {
	r := a.do(ctx, http.MethodGet, "/v1/convai/agents/"+url.PathEscape(agentID), nil, "", a.key)
	if r.err != nil || r.status != http.StatusOK {
		return fmt.Sprintf("GET failed: %d %v", r.status, r.err)
	}
	var agent map[string]any
	if err := json.Unmarshal(r.body, &agent); err != nil {
		return "GET answered no JSON"
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
		if r := l.raw.patchAuth(ctx, l.agentID, p.start); r.err != nil || r.status != http.StatusOK {
			l.addProbe(ProbeResult{Point: p.point, Request: "PATCH auth " + show, Status: "setup failed", Answer: l.answer(r), Decision: p.decision})
			continue
		}
		r := l.raw.patchAuth(ctx, l.agentID, p.auth)
		l.addProbe(ProbeResult{
			Point: p.point, Request: "PATCH auth " + show, Status: statusOf(r), Answer: l.answer(r),
			After: l.raw.auth(ctx, l.agentID), Decision: p.decision,
		})
	}
	l.conversationProbes(ctx)
	l.tokenProbe(ctx)
	l.errorProbes(ctx)
	_ = l.raw.patchAuth(ctx, l.agentID, publicAuth)
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
		if r := l.raw.patchAuth(ctx, l.agentID, c.auth); r.err != nil || r.status != http.StatusOK {
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
	_ = l.raw.patchAuth(ctx, l.agentID, `{"enable_auth":true,"allowlist":[],"require_origin_header":false}`)
	r := l.raw.do(ctx, http.MethodGet, "/v1/convai/conversation/get-signed-url", url.Values{"agent_id": {l.agentID}, "include_conversation_id": {"true"}}, "", l.cfg.APIKey)
	var su struct {
		SignedURL string `json:"signed_url"`
	}
	if r.err != nil || r.status != http.StatusOK || json.Unmarshal(r.body, &su) != nil || su.SignedURL == "" {
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
	r := l.raw.do(ctx, http.MethodGet, "/v1/convai/conversation/token", url.Values{"agent_id": {l.agentID}}, "", l.cfg.APIKey)
	p := ProbeResult{Point: "conversation token lifetime and claims", Request: "GET /v1/convai/conversation/token", Status: statusOf(r), Decision: "read exp from the JWT, never assume a lifetime; fake: our own lifetime"}
	var tok struct {
		Token          string `json:"token"`
		ConversationID string `json:"conversation_id"`
	}
	if r.err != nil || r.status != http.StatusOK || json.Unmarshal(r.body, &tok) != nil {
		p.Answer = l.answer(r)
		l.addProbe(p)
		return
	}
	claims, _, err := jwtClaims(tok.Token)
	if err != nil {
		p.Answer = err.Error()
		l.addProbe(p)
		return
	}
	var names []string
	for k := range claims {
		names = append(names, k)
	}
	sortStrings(names)
	exp, iat := claimInt(claims, "exp"), claimInt(claims, "iat")
	life := "no exp claim"
	switch {
	case exp != 0 && iat != 0:
		life = fmt.Sprintf("exp - iat = %s", time.Duration(exp-iat)*time.Second)
	case exp != 0:
		life = fmt.Sprintf("exp - now = about %s", time.Until(time.Unix(exp, 0)).Round(time.Second))
	}
	p.Answer = fmt.Sprintf("JWT claims: %s; conversation_id %q", strings.Join(names, ", "), tok.ConversationID)
	p.After = life
	l.addProbe(p)
}

func (l *live) errorProbes(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	unknown := "agent_0000000000000000000000000000"
	r := l.raw.do(ctx, http.MethodGet, "/v1/convai/agents/"+unknown, nil, "", l.cfg.APIKey)
	l.addProbe(ProbeResult{Point: "unknown agent", Request: "GET /v1/convai/agents/" + unknown, Status: statusOf(r), Answer: l.answer(r), After: "x-request-id: " + present(r.requestID), Decision: "404 agent_not_found (from third-party logs)"})
	r = l.raw.do(ctx, http.MethodGet, "/v1/convai/agents/"+url.PathEscape(l.agentID), nil, "", "testlive-wrong-key")
	l.addProbe(ProbeResult{Point: "wrong key", Request: "GET the agent with a wrong key", Status: statusOf(r), Answer: l.answer(r), After: "x-request-id: " + present(r.requestID), Decision: "401 invalid_api_key"})
	r = l.raw.do(ctx, http.MethodGet, "/v1/convai/agents/"+url.PathEscape(l.agentID), nil, "", "")
	l.addProbe(ProbeResult{Point: "no key", Request: "GET the agent without xi-api-key", Status: statusOf(r), Answer: l.answer(r), After: "x-request-id: " + present(r.requestID), Decision: "401 needs_authorization"})
}

func present(s string) string {
	if s == "" {
		return "absent"
	}
	return "present"
}

func (l *live) addProbe(p ProbeResult) {
	for _, f := range []*string{&p.Point, &p.Request, &p.Status, &p.Answer, &p.After, &p.Decision} {
		*f = l.redact(*f)
	}
	l.rep.Probes = append(l.rep.Probes, p)
	fmt.Fprintf(l.out, "  probe  %s: %s %s\n", p.Point, p.Status, p.Answer)
}

func statusOf(r rawAnswer) string {
	if r.err != nil {
		return "no answer"
	}
	return fmt.Sprint(r.status)
}

func (l *live) answer(r rawAnswer) string {
	if r.err != nil {
		return l.redact(r.err.Error())
	}
	if r.status >= 200 && r.status < 300 {
		return "ok"
	}
	return l.redact(summarizeBody(r.body))
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
