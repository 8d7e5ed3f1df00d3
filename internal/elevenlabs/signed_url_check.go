package elevenlabs

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// ConversationPath is the path of a conversation's WebSocket, which a signed
// URL opens (CONTRACT.md, "Signed URLs" and "Starting a conversation").
const ConversationPath = "/v1/convai/conversation"

// SignedURLError is a signed URL that must not be handed over. Shown is the
// URL fit for a message: scheme, host and path, every query value but
// agent_id masked (the signature among them), and any other part that could
// hold a credential masked; Problem says what is wrong.
type SignedURLError struct {
	Shown, Problem string
}

func (e *SignedURLError) Error() string {
	return "ElevenLabs API: GET /v1/convai/conversation/get-signed-url returned the signed URL " + e.Shown +
		", which " + e.Problem
}

// SignedURLCheck is what CheckSignedURL found in a URL it accepts.
type SignedURLCheck struct {
	// Host is the URL's host name, with every known secret masked (a
	// warning shows it); BaseHost the host name of the base URL.
	Host, BaseHost string
	// OtherHost is set when Host is neither BaseHost nor one of the hosts
	// the caller named as the API's own.
	OtherHost bool
}

// CheckSignedURL checks a signed URL minted for agentID before it is handed
// over (CONTRACT.md, "Signed URLs": wss://<host>/v1/convai/conversation?
// agent_id=...&conversation_signature=...). It must be
//   - wss, or ws only when the client talks to a loopback http base URL (a
//     local fake) and the URL's host is loopback too: a signature is a
//     credential, never sent in clear across a network;
//   - with a host, and without user info or a fragment;
//   - on ConversationPath, or on it below the base URL's path (a proxy that
//     serves the API under a prefix);
//   - with a non-empty conversation_signature, and an agent_id, if any, that
//     is agentID.
//
// Anything else is a *SignedURLError. A host that is neither the base URL's
// nor an official API host (Residencies) is reported in the result, not
// refused: the API may serve conversations from another host one day.
func (c *Client) CheckSignedURL(raw, agentID string) (SignedURLCheck, error) {
	check := SignedURLCheck{BaseHost: c.base.Hostname()}
	u, err := url.Parse(raw)
	if err != nil {
		return check, &SignedURLError{Shown: fmt.Sprintf("(%d characters, not shown: it may hold a credential)", len(raw)),
			Problem: "is not a URL"}
	}
	fail := func(format string, args ...any) (SignedURLCheck, error) {
		return check, &SignedURLError{Shown: c.showSignedURL(u, agentID), Problem: fmt.Sprintf(format, args...)}
	}
	localFake := c.base.Scheme == "http" && IsLoopbackHost(c.base.Hostname())
	switch {
	case u.Scheme == "wss":
	case u.Scheme == "ws" && localFake && IsLoopbackHost(u.Hostname()):
	case u.Scheme == "ws" && localFake:
		return fail("uses ws to a host that is not loopback: the signature would travel in clear text. Only wss " +
			"is accepted, and ws only to a loopback host (a local fake API)")
	case u.Scheme == "ws":
		return fail("uses ws: the signature would travel in clear text. Only wss is accepted while the provider " +
			"talks to the API over https (ws only for a local fake API on a loopback http base URL)")
	default:
		return fail("uses the scheme %q: only wss is accepted", u.Scheme)
	}
	if u.Hostname() == "" {
		return fail("has no host")
	}
	if len(u.Hostname()) > maxHostName {
		return fail("has a host name longer than the %d characters a DNS name can have", maxHostName)
	}
	if u.User != nil {
		return fail("carries user info (credentials before the host), which a signed URL never has")
	}
	if u.Fragment != "" || strings.HasSuffix(raw, "#") {
		return fail("carries a fragment (#...), which a signed URL never has")
	}
	if p := u.EscapedPath(); p != ConversationPath && p != c.base.EscapedPath()+ConversationPath {
		return fail("is not on the conversation path %s", ConversationPath)
	}
	q := u.Query()
	switch sigs, ok := q["conversation_signature"]; {
	case !ok:
		return fail("has no conversation_signature parameter: it would not open a conversation with a protected agent")
	case len(sigs) != 1 || sigs[0] == "":
		return fail("has an empty or repeated conversation_signature parameter")
	}
	if ids, ok := q["agent_id"]; ok && (len(ids) != 1 || ids[0] != agentID) {
		return fail("is not for agent %s", agentID)
	}
	check.Host = u.Hostname()
	check.OtherHost = !sameHost(check.Host, check.BaseHost)
	for _, r := range Residencies {
		if u, err := url.Parse(r.BaseURL); err == nil && sameHost(check.Host, u.Hostname()) {
			check.OtherHost = false
		}
	}
	check.Host = c.mask(check.Host) // the server's choice, for a message
	return check, nil
}

// sameHost compares host names as DNS does: in any letter case, with or
// without a trailing dot.
func sameHost(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// maxHostName is the longest DNS name (RFC 1035), without the trailing dot.
const maxHostName = 253

// maxShownURL bounds how much of a refused signed URL a message shows: the
// answer may be up to the 4 MiB the client reads.
const maxShownURL = 500

// nameLike is a query parameter name or path segment shown as it is; other
// ones could be a credential and are masked.
var nameLike = regexp.MustCompile(`^[A-Za-z0-9_.-]{0,24}$`)

// showSignedURL writes u for a message: scheme and host, each path segment
// and query name that looks like a name (others masked), every query value
// masked but an agent_id that is agentID, user info and fragment masked; then
// every known secret masked, as in every error of the client; at most
// maxShownURL bytes of it, then "…".
func (c *Client) showSignedURL(u *url.URL, agentID string) string {
	var b strings.Builder
	if u.Scheme != "" {
		b.WriteString(u.Scheme + ":")
	}
	if u.Host != "" || u.User != nil {
		b.WriteString("//")
		if u.User != nil {
			b.WriteString(redact.Mask + "@")
		}
		b.WriteString(u.Host)
	}
	if u.Opaque != "" {
		b.WriteString(redact.Mask)
	}
	segs := strings.Split(u.EscapedPath(), "/")
	for i, s := range segs {
		if !nameLike.MatchString(s) {
			segs[i] = redact.Mask
		}
	}
	b.WriteString(strings.Join(segs, "/"))
	if u.RawQuery != "" {
		params := strings.Split(u.RawQuery, "&")
		for i, p := range params {
			name, value, hasValue := strings.Cut(p, "=")
			switch {
			case !nameLike.MatchString(name):
				params[i] = redact.Mask
			case name == "agent_id" && value == url.QueryEscape(agentID):
				params[i] = p
			case hasValue:
				params[i] = name + "=" + redact.Mask
			}
		}
		b.WriteString("?" + strings.Join(params, "&"))
	}
	if u.Fragment != "" {
		b.WriteString("#" + redact.Mask)
	}
	return truncate(c.mask(b.String()), maxShownURL)
}
