// Package redact is the provider's one way of masking secrets in text that a
// user or a log may see: API errors, transport errors and the HTTP log. It has
// no Terraform imports; internal/elevenlabs and internal/httplog both use it.
//
// String masks, wherever they appear:
//   - each given secret (the API key), verbatim;
//   - credentials in a URL's user info (scheme://user:pass@host, as in HTTPS_PROXY);
//   - the value of a sensitive header written as text (xi-api-key, authorization,
//     proxy-authorization, cookie, set-cookie);
//   - the value of a sensitive JSON member, also inside an escaped JSON string and
//     in a one-element array (a Go header map): signed_url, cookie, set-cookie, and
//     any key ending in token, signature, secret, password, api_key, api-key or
//     authorization ("token", "shareable_token", "conversation_signature",
//     "xi-api-key", ...);
//   - the value of a sensitive query or form parameter (conversation_signature=,
//     token=, shareable_token=, ...; also with the = percent-encoded);
//   - JWT-shaped strings: three or more base64url segments, the first starting eyJ.
//
// Values are replaced by Mask; names and the text around them stay readable.
package redact

import (
	"regexp"
	"sort"
	"strings"
)

// Mask replaces every secret. It is also what terraform-plugin-log's own masks
// print, so a log reads the same whichever layer masked a value.
const Mask = "***"

// sensitiveName matches a parameter or member name whose value is a secret.
const sensitiveName = `[a-z0-9_-]*(?:token|signature|secret|password|api_key|api-key|authorization)|cookie|set-cookie|signed_url`

var (
	// userInfoRE: scheme://user:pass@ (and scheme://token@).
	userInfoRE = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://)[^/\s@"'<>?#\\]+@`)
	// headerRE: "Xi-Api-Key: value" and the like, as written in text.
	headerRE = regexp.MustCompile(`(?i)((?:xi-api-key|proxy-authorization|authorization|set-cookie|cookie)\s*:\s*(?:(?:bearer|basic|digest)\s+)?)[^\s;,"'\\]+`)
	// jsonRE: "name": "value" (or ["value"]), up to the closing quote.
	jsonRE = regexp.MustCompile(`(?i)("(?:` + sensitiveName + `)"\s*:\s*\[?\s*")(?:[^"\\]|\\.)*`)
	// jsonEscapedRE: the same inside a JSON string: \"name\": \"value\".
	jsonEscapedRE = regexp.MustCompile(`(?i)(\\+"(?:` + sensitiveName + `)\\+"\s*:\s*\[?\s*\\+")(?:[^"\\]|\\[^"\\])*`)
	// paramRE: name=value in a query, a form or free text.
	paramRE = regexp.MustCompile(`(?i)((?:` + sensitiveName + `)(?:=|%3D))[^&\s"'<>\\]*`)
	// jwtRE: header.payload.signature (and the five segments of a JWE).
	jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*`)
)

// String returns s with every secret masked (see the package documentation).
// Empty secrets are ignored; longer secrets are masked first, so a secret that
// contains another is masked whole.
func String(s string, secrets ...string) string {
	if len(secrets) > 1 {
		secrets = append([]string(nil), secrets...)
		sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	}
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	s = userInfoRE.ReplaceAllString(s, "${1}"+Mask+"@")
	s = headerRE.ReplaceAllString(s, "${1}"+Mask)
	s = jsonRE.ReplaceAllString(s, "${1}"+Mask)
	s = jsonEscapedRE.ReplaceAllString(s, "${1}"+Mask)
	s = paramRE.ReplaceAllString(s, "${1}"+Mask)
	return jwtRE.ReplaceAllString(s, Mask)
}

// WholeMatchPatterns returns the patterns whose every match is a secret (so a
// log library may replace the whole match): JWT-shaped strings. The other
// patterns keep a readable name before the value and are applied by String.
func WholeMatchPatterns() []*regexp.Regexp { return []*regexp.Regexp{jwtRE} }
