package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
)

// minCoreSecret is the shortest secret whose base64 cores (a secret inside a
// longer base64 blob) are masked: a shorter one gives cores under 10
// characters, which would also match unrelated base64 text.
const minCoreSecret = 8

// encodings returns the ways a secret value v may be written in text that the
// provider logs or reports, v itself included, without duplicates:
//
//   - raw;
//   - URL-encoded: query (space as +) and path (space as %20) escaping, each
//     also with lower-case hex digits (%2f as well as %2F);
//   - JSON-escaped, as inside a JSON string: with and without HTML escaping
//     (\u003c or <), with / written as \/ (as some encoders do), and escaped
//     twice (a JSON string inside a JSON string);
//   - base64 and base64url, each with and without padding;
//   - for a secret of at least minCoreSecret bytes, its base64 and base64url
//     cores: the characters that encode only the secret's bytes when it sits at
//     any offset inside a longer encoded blob (see cores).
func encodings(v string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	add(v)
	for _, esc := range []string{url.QueryEscape(v), url.PathEscape(v)} {
		add(esc)
		add(lowerHex(esc))
	}
	for _, once := range []string{jsonEscape(v, true), jsonEscape(v, false)} {
		add(once)
		add(strings.ReplaceAll(once, "/", `\/`))
		add(jsonEscape(once, false))
	}
	b := []byte(v)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		add(enc.EncodeToString(b))
	}
	if len(b) >= minCoreSecret {
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			for _, c := range cores(enc, b) {
				add(c)
			}
		}
	}
	return out
}

// cores returns, for each offset k (0, 1, 2) of the secret b inside a longer
// blob, the run of characters of the blob's encoding that depend on b's bytes
// alone: the encoding of k filler bytes followed by b, without the characters
// that carry filler bits (the first ceil(8k/6)) and without the last
// character when it carries bits of whatever follows b. Whatever surrounds b,
// its encoding contains one of these three runs, so masking them leaves at
// most one character at each end that carries bits of the secret (4 at most).
func cores(enc *base64.Encoding, b []byte) []string {
	out := make([]string, 0, 3)
	for k := range 3 {
		buf := make([]byte, k+len(b))
		copy(buf[k:], b)
		s := enc.EncodeToString(buf)
		start := (8*k + 5) / 6
		end := 8 * (k + len(b)) / 6
		out = append(out, s[start:end])
	}
	return out
}

// jsonEscape returns v as it appears inside a JSON string (without the quotes).
func jsonEscape(v string, escapeHTML bool) string {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(escapeHTML)
	_ = e.Encode(v) // a string always encodes
	s := strings.TrimSuffix(buf.String(), "\n")
	return s[1 : len(s)-1]
}

// lowerHex writes the hex digits of every %XX escape of s in lower case.
func lowerHex(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if b[j] >= 'A' && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
			i += 2
		}
	}
	return string(b)
}
