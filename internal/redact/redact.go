// Package redact is the provider's one way of masking secrets in text that a
// user or a log may see: API errors, transport errors and the HTTP log. It has
// no Terraform imports; internal/elevenlabs and internal/httplog both use it,
// through one Secrets set per configured provider.
//
// Masking by value (Secrets): every secret the process knows, wherever it
// appears and in each form it may take (see encodings): raw, URL-encoded,
// JSON-escaped (once or twice), base64 and base64url (padded or not, and as a
// run inside a longer encoded blob). The known secrets are the API key and the
// proxy credentials (pinned), and each token, signature, signed URL and
// shareable_token the client has seen (learned, the last MaxLearned of them).
//
// Masking by name, for secrets the process has not seen, wherever they appear:
//   - credentials in a URL's user info (scheme://user:pass@host, as in HTTPS_PROXY);
//   - the value of a sensitive header written as text (xi-api-key, authorization,
//     proxy-authorization, cookie, set-cookie);
//   - the value of a sensitive JSON member, also inside an escaped JSON string and
//     the first element of an array (a Go header map): signed_url, cookie,
//     set-cookie, and any key ending in token, signature, secret, password,
//     api_key, api-key or authorization ("token", "shareable_token",
//     "conversation_signature", "xi-api-key", ...);
//   - the value of a sensitive query or form parameter (conversation_signature=,
//     token=, shareable_token=, ...; also with the = percent-encoded);
//   - JWT-shaped strings: three or more base64url segments, the first starting eyJ.
//
// Values are replaced by Mask; names and the text around them stay readable.
//
// Finding (Finder): whether a text holds a value in any of the forms masked by
// value, for the client, which refuses an answer that repeats the API key.
package redact

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces every secret. It is also what terraform-plugin-log's own masks
// print, so a log reads the same whichever layer masked a value.
const Mask = "***"

// sensitiveName matches a parameter or member name whose value is a secret.
const sensitiveName = `[a-z0-9_-]*(?:token|signature|secret|password|api_key|api-key|authorization)|cookie|set-cookie|signed_url`

var (
	// userInfoRE: scheme://user:pass@ (and scheme://token@).
	userInfoRE = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://)([^/\s@"'<>?#\\]+)@`)
	// headerRE: "Xi-Api-Key: value" and the like, as written in text.
	headerRE = regexp.MustCompile(`(?i)((?:xi-api-key|proxy-authorization|authorization|set-cookie|cookie)\s*:\s*(?:(?:bearer|basic|digest)\s+)?)([^\s;,"'\\]+)`)
	// jsonRE: "name": "value" (or ["value"]), up to the closing quote.
	jsonRE = regexp.MustCompile(`(?i)("(?:` + sensitiveName + `)"\s*:\s*\[?\s*")((?:[^"\\]|\\.)*)`)
	// jsonEscapedRE: the same inside a JSON string: \"name\": \"value\".
	jsonEscapedRE = regexp.MustCompile(`(?i)(\\+"(?:` + sensitiveName + `)\\+"\s*:\s*\[?\s*\\+")((?:[^"\\]|\\[^"\\])*)`)
	// paramRE: name=value in a query, a form or free text.
	paramRE = regexp.MustCompile(`(?i)((?:` + sensitiveName + `)(?:=|%3D))([^&\s"'<>\\]*)`)
	// jwtRE: header.payload.signature (and the five segments of a JWE).
	jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*`)
)

// rule is one name rule: where re matches, submatch group is the secret
// (0: the whole match); learn lists the values to learn from that submatch.
// Go's regexp reads a case-insensitive alternation at well under 1 MB/s, so
// a rule runs only on a text that holds one of its needles (in lower case; a
// match is impossible without one): most log lines hold none.
type rule struct {
	re      *regexp.Regexp
	group   int
	needles []string
	learn   func(v string) []string
}

// nameNeedles are the words every sensitive member or parameter name holds.
var nameNeedles = []string{"token", "signature", "secret", "password", "api_key", "api-key", "authorization", "cookie", "signed_url"}

// rules are the name rules, each applied to the original text; what they
// mask is joined with what the value masking masks (see Secrets.mask).
var rules = []rule{
	{userInfoRE, 2, []string{"://"}, func(v string) []string {
		_, pass, _ := strings.Cut(v, ":")
		return []string{v, pass}
	}},
	{headerRE, 2, []string{"xi-api-key", "authorization", "cookie"}, queryUnescaped},
	{jsonRE, 2, nameNeedles, func(v string) []string { return []string{v, jsonUnquote(v)} }},
	{jsonEscapedRE, 2, nameNeedles, func(v string) []string { return []string{v, jsonUnquote(jsonUnquote(v))} }},
	{paramRE, 2, nameNeedles, queryUnescaped},
	{jwtRE, 0, []string{"eyj"}, func(v string) []string { return []string{v, v[strings.LastIndexByte(v, '.')+1:]} }},
}

// nameSpans returns what the name rules mask in s and, when values is not
// nil, appends the values to learn from it.
func nameSpans(s string, values *[]string) []span {
	var spans []span
	lower := strings.ToLower(s)
	for _, r := range rules {
		if !containsAny(lower, r.needles) {
			continue
		}
		for _, m := range r.re.FindAllStringSubmatchIndex(s, -1) {
			start, end := m[2*r.group], m[2*r.group+1]
			spans = append(spans, span{start, end})
			if values != nil {
				*values = append(*values, r.learn(s[start:end])...)
			}
		}
	}
	return spans
}

func containsAny(s string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

func queryUnescaped(v string) []string {
	if u, err := url.QueryUnescape(v); err == nil && u != v {
		return []string{v, u}
	}
	return []string{v}
}

// jsonUnquote decodes the escapes of a JSON string's content, or returns it
// as it is when it is not valid JSON string content.
func jsonUnquote(v string) string {
	var out string
	if json.Unmarshal([]byte(`"`+v+`"`), &out) != nil {
		return v
	}
	return out
}

// String returns s with each of secrets (the API key) masked by value, in
// every form, and the name rules applied: a one-off Secrets set that pins them.
func String(s string, secrets ...string) string { return NewSecrets(secrets...).String(s) }

// WholeMatchPatterns returns the patterns whose every match is a secret (so a
// log library may replace the whole match): JWT-shaped strings. The other
// patterns keep a readable name before the value and are applied by String.
func WholeMatchPatterns() []*regexp.Regexp { return []*regexp.Regexp{jwtRE} }
