package redact

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Finder tells whether a text holds any of a few values in any form Secrets
// masks (encodings: raw, URL-encoded, JSON-escaped, base64 and base64url,
// also inside a longer base64 blob): one pass of the matcher over the text,
// which it reads in place. A JSON text may also spell a value with escapes
// that no encoder writes (each character as \u00XX, or only some of its
// slashes as \/), which a JSON decoder turns back into the value: when the
// text holds a \u or a \/ escape, its JSON escapes are decoded and the result
// is searched too. Other escapes stand for characters that the JSON-escaped
// forms always escape ("\"", "\\") or for control characters, which Go's
// encoder writes as the forms do. A nil *Finder finds nothing.
type Finder struct{ m *matcher }

// NewFinder returns a Finder of values; empty ones are ignored.
func NewFinder(values ...string) *Finder {
	var patterns []string
	for _, v := range values {
		if v != "" {
			patterns = append(patterns, encodings(v)...)
		}
	}
	if len(patterns) == 0 {
		return nil
	}
	return &Finder{m: newMatcher(patterns)}
}

// In reports whether text holds a form of one of the values, as it is or
// once its JSON escapes are decoded.
func (f *Finder) In(text []byte) bool {
	if f == nil {
		return false
	}
	if f.in(text) {
		return true
	}
	return (bytes.Contains(text, []byte(`\u`)) || bytes.Contains(text, []byte(`\/`))) && f.in(unescapeJSON(text))
}

func (f *Finder) in(text []byte) bool {
	found := false
	scan(f.m, text, func(span) bool {
		found = true
		return false
	})
	return found
}

// unescapeJSON returns text with every JSON string escape decoded: what a
// JSON decoder makes of the strings of a JSON text, in place, with the text
// between them as it is. An escape that is not valid JSON is kept as written.
func unescapeJSON(text []byte) []byte {
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '\\' || i+1 == len(text) {
			out = append(out, c)
			continue
		}
		switch e := text[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n := unicodeEscape(text[i:])
			if n == 0 {
				out = append(out, c)
				continue
			}
			out = utf8.AppendRune(out, r)
			i += n - 1
			continue
		default:
			out = append(out, c)
			continue
		}
		i++
	}
	return out
}

// unicodeEscape decodes the \uXXXX escape (or surrogate pair of two) that b
// starts with: the rune and how many bytes it took, 0 when b starts with none.
func unicodeEscape(b []byte) (rune, int) {
	hex4 := func(b []byte) (rune, bool) {
		if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(string(b[2:6]), 16, 16)
		return rune(v), err == nil
	}
	r, ok := hex4(b)
	if !ok {
		return 0, 0
	}
	if utf16.IsSurrogate(r) {
		if r2, ok := hex4(b[6:]); ok {
			if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
				return pair, 12
			}
		}
		return utf8.RuneError, 6
	}
	return r, 6
}
