package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
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

// probe is one point CONTRACT.md leaves unconfirmed: the agent's auth set to
// setup first (unless ""), then the request, whose outcome do reports.
type probe struct {
	point, request, decision string
	setup                    string
	do                       func(l *live, ctx context.Context) (status, answer, after string)
}

const (
	publicAuth   = `{"enable_auth":false,"allowlist":[],"require_origin_header":false}`
	signedAuth   = `{"enable_auth":true,"allowlist":[],"require_origin_header":false}`
	unknownAgent = "agent_0000000000000000000000000000"
)

var probes = []probe{
	patchProbe("10 allowlist entries (the documented limit)", publicAuth, `{"allowlist":`+hosts(numbered(10)...)+`}`, "accepted", `{"allowlist":[h0.example.com ... h9.example.com]}`),
	patchProbe("11 allowlist entries", publicAuth, `{"allowlist":`+hosts(numbered(11)...)+`}`, "provider refuses at plan time; fake: 422", `{"allowlist":[h0.example.com ... h10.example.com]}`),
	patchProbe("upper-case hostname", publicAuth, `{"allowlist":`+hosts("TestLive.Example.com")+`}`, "provider refuses at plan time (lower case only); fake: 422", ""),
	patchProbe("scheme prefix (the OpenAPI example)", publicAuth, `{"allowlist":`+hosts("https://testlive.example.com")+`}`, "provider refuses at plan time (host or host:port); fake: 422", ""),
	patchProbe("path in the hostname", publicAuth, `{"allowlist":`+hosts("testlive.example.com/app")+`}`, "provider refuses at plan time; fake: 422", ""),
	patchProbe("duplicate entries", publicAuth, `{"allowlist":`+hosts("dup.example.com", "dup.example.com")+`}`, "provider refuses at plan time; fake: 422", ""),
	patchProbe("null allowlist", `{"enable_auth":false,"allowlist":`+hosts("keep.example.com")+`,"require_origin_header":false}`, `{"allowlist":null}`, "never sent (an empty list clears); fake: 422, null is not a list", ""),
	patchProbe("null auth block", signedAuth, `null`, "never sent; fake: the block is removed (reads as the defaults)", ""),
	patchProbe("null enable_auth", signedAuth, `{"enable_auth":null}`, "never sent; fake: 422, null is not a boolean", ""),
	patchProbe("enable_auth and an allowlist together", publicAuth, `{"enable_auth":true,"allowlist":`+hosts("both.example.com")+`}`, "provider refuses (one method per agent); fake stores it", ""),
	startProbe("Origin matching ignores case?", `{"enable_auth":false,"allowlist":`+hosts(allowedHost)+`}`, "https://TestLive.Example.COM", "", "fake: exact, case-sensitive (refused)"),
	startProbe("refused start: enable_auth, no signature", signedAuth, "", "", "fake: HTTP 403 signature_required before the upgrade"),
	startProbe("refused start: forged signature", signedAuth, "", "&conversation_signature=forged", "fake: HTTP 403 signature_invalid before the upgrade"),
	startProbe("refused start: Origin not in the allowlist", `{"enable_auth":false,"allowlist":`+hosts(allowedHost)+`,"require_origin_header":false}`, otherOrigin, "", "fake: HTTP 403 origin_not_allowed before the upgrade"),
	startProbe("refused start: no Origin, require_origin_header", `{"enable_auth":false,"allowlist":`+hosts(allowedHost)+`,"require_origin_header":true}`, "", "", "fake: HTTP 403 origin_required before the upgrade"),
	{point: "signed URL with include_conversation_id, used twice", request: "connect twice with one signed URL", setup: signedAuth,
		decision: "fake: the second start is refused (signature_used)", do: (*live).signedURLTwice},
	{point: "conversation token lifetime and claims", request: "GET /v1/convai/conversation/token",
		decision: "read exp from the JWT, never assume a lifetime; fake: our own lifetime", do: (*live).tokenLifetime},
	getProbe("unknown agent", "GET /v1/convai/agents/"+unknownAgent, "404 agent_not_found (from third-party logs)", ownKey, unknownAgent),
	getProbe("wrong key", "GET the agent with a wrong key", "401 invalid_api_key", "testlive-wrong-key", ""),
	getProbe("no key", "GET the agent without xi-api-key", "401 needs_authorization", "", ""),
}

// patchProbe PATCHes platform_settings.auth (shown in the table as show,
// else as sent) and reads it back.
func patchProbe(point, start, auth, decision, show string) probe {
	if show == "" {
		show = auth
	}
	return probe{point: point, request: "PATCH auth " + show, decision: decision, setup: start,
		do: func(l *live, ctx context.Context) (string, string, string) {
			r := l.patchAuth(ctx, auth)
			return statusOf(r), l.answer(r), l.auth(ctx)
		}}
}

// startProbe starts a conversation at the unsigned endpoint (with query
// appended) from origin ("": none).
func startProbe(point, auth, origin, query, decision string) probe {
	req := "connect, no Origin"
	if origin != "" {
		req = "connect, Origin " + origin
	}
	return probe{point: point, request: req + " (auth " + auth + ")", decision: decision, setup: auth,
		do: func(l *live, ctx context.Context) (string, string, string) {
			res := startConversation(ctx, conversationURL(l.base, l.agentID)+query, origin, l.cfg.APIKey)
			return res.status, res.text, ""
		}}
}

// ownKey stands for the check's own key in getProbe.
const ownKey = "(own key)"

// getProbe GETs an agent ("": the throwaway one) with key ("": none) and
// says whether the answer carried a request id.
func getProbe(point, request, decision, key, agent string) probe {
	return probe{point: point, request: request, decision: decision, do: func(l *live, ctx context.Context) (string, string, string) {
		k, id := key, cmp.Or(agent, l.agentID)
		if k == ownKey {
			k = l.cfg.APIKey
		}
		c, err := l.newClient(k, 0)
		if err != nil {
			return "setup failed", err.Error(), ""
		}
		r := l.send(ctx, c, http.MethodGet, "/v1/convai/agents/"+id, nil, nil, nil)
		return statusOf(r), l.answer(r), "x-request-id: " + map[bool]string{true: "present", false: "absent"}[r.requestID]
	}}
}

// probeAll sends each unconfirmed point to the API and records its answer,
// then makes the agent public again.
func (l *live) probeAll(ctx context.Context) {
	fmt.Fprintln(l.out, "probing the points CONTRACT.md marks unconfirmed")
	for _, p := range probes {
		if ctx.Err() != nil {
			return
		}
		res := ProbeResult{Point: p.point, Request: p.request, Decision: p.decision}
		var setup answer
		if p.setup != "" {
			setup = l.patchAuth(ctx, p.setup)
		}
		if setup.err != nil {
			res.Status, res.Answer = "setup failed", l.answer(setup)
		} else {
			res.Status, res.Answer, res.After = p.do(l, ctx)
		}
		for _, f := range []*string{&res.Point, &res.Request, &res.Status, &res.Answer, &res.After, &res.Decision} {
			*f = l.redact(*f)
		}
		l.rep.Probes = append(l.rep.Probes, res)
		fmt.Fprintf(l.out, "  probe  %s: %s %s\n", res.Point, res.Status, res.Answer)
	}
	_ = l.patchAuth(ctx, publicAuth)
}

// signedURLTwice starts two conversations with one signed URL.
func (l *live) signedURLTwice(ctx context.Context) (string, string, string) {
	var su struct {
		SignedURL string `json:"signed_url"`
	}
	r := l.send(ctx, l.once, http.MethodGet, "/v1/convai/conversation/get-signed-url", url.Values{"agent_id": {l.agentID}, "include_conversation_id": {"true"}}, nil, &su)
	if r.err != nil || su.SignedURL == "" {
		return statusOf(r), l.answer(r), ""
	}
	first := startConversation(ctx, su.SignedURL, "", l.cfg.APIKey)
	second := startConversation(ctx, su.SignedURL, "", l.cfg.APIKey)
	return first.status + " then " + second.status, "1st " + first.text + "; 2nd " + second.text, ""
}

// tokenLifetime mints a conversation token and reads its claims.
func (l *live) tokenLifetime(ctx context.Context) (string, string, string) {
	var tok struct {
		Token          string `json:"token"`
		ConversationID string `json:"conversation_id"`
	}
	r := l.send(ctx, l.once, http.MethodGet, "/v1/convai/conversation/token", url.Values{"agent_id": {l.agentID}}, nil, &tok)
	if r.err != nil {
		return statusOf(r), l.answer(r), ""
	}
	claims, err := elevenlabs.TokenClaims(tok.Token)
	if err != nil {
		return statusOf(r), "not a JWT: " + err.Error(), ""
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
	return statusOf(r), fmt.Sprintf("JWT claims: %s; conversation_id %q", strings.Join(slices.Sorted(maps.Keys(claims)), ", "), tok.ConversationID), life
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
func (l *live) send(ctx context.Context, c *elevenlabs.Client, method, path string, q url.Values, body []byte, out any) answer {
	err := c.Call(ctx, method, path, q, body, out)
	r := answer{err: err}
	if last := l.last.Swap(nil); last != nil {
		r.status, r.requestID = last.status, last.requestID
	}
	return r
}

func (l *live) patchAuth(ctx context.Context, authJSON string) answer {
	return l.send(ctx, l.once, http.MethodPatch, "/v1/convai/agents/"+l.agentID, nil, []byte(`{"platform_settings":{"auth":`+authJSON+`}}`), nil)
}

// auth returns the agent's platform_settings.auth as the API stores it,
// without shareable_token ("no auth block" when absent).
func (l *live) auth(ctx context.Context) string {
	var agent map[string]any
	if r := l.send(ctx, l.once, http.MethodGet, "/v1/convai/agents/"+l.agentID, nil, nil, &agent); r.err != nil {
		return fmt.Sprintf("GET failed: %d %s", r.status, l.redact(r.err.Error()))
	}
	ps, _ := agent["platform_settings"].(map[string]any)
	a, ok := ps["auth"].(map[string]any)
	if !ok {
		return map[bool]string{true: "no platform_settings", false: "no auth block"}[ps == nil]
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(a)) {
		v, _ := json.Marshal(a[k])
		if list, _ := a[k].([]any); len(list) > 3 {
			first, _ := json.Marshal(list[0])
			last, _ := json.Marshal(list[len(list)-1])
			v = fmt.Appendf(nil, "%d entries [%s ... %s]", len(list), first, last)
		}
		if k != "shareable_token" {
			parts = append(parts, k+"="+string(v))
		}
	}
	return strings.Join(parts, " ")
}

// hosts renders allowlist entries as JSON.
func hosts(names ...string) string {
	entries := make([]map[string]string, len(names))
	for i, n := range names {
		entries[i] = map[string]string{"hostname": n}
	}
	b, _ := json.Marshal(entries)
	return string(b)
}

// numbered is n hostnames h0.example.com, h1.example.com, ...
func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("h%d.example.com", i)
	}
	return out
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
