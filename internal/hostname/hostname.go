// Package hostname is the single source of truth for what an entry of an
// ElevenLabs agent's hostname allowlist (platform_settings.auth.allowlist[].hostname)
// may look like.
//
// The API compares an entry by exact match with the host (and port, if any) of
// the browser's Origin header. The API contract leaves the accepted format
// unconfirmed, so the rules below are this project's decision. A canonical
// entry is written exactly as a browser writes the Origin host, so every
// accepted entry can match a real Origin and every host a browser can send
// can be listed:
//
//   - "host" or "host:port", nothing else: no scheme ("https://"), user info
//     ("user@"), path, query or fragment;
//   - lower case ASCII only. A browser turns an internationalised name into
//     its punycode form before it sends the Origin (UTS #46 processing, as the
//     WHATWG URL standard specifies), so "bücher.de" is written
//     "xn--bcher-kva.de"; characters a browser maps to ASCII (full-width
//     letters, the ideographic full stop) or drops (zero-width characters,
//     the soft hyphen) are not allowed either, and every "xn--" label must
//     decode to a valid internationalised label;
//   - no whitespace, no control characters, no percent-encoding (browsers
//     decode it), no wildcard ("*": every hostname is listed on its own) and
//     no trailing dot;
//   - host is a DNS name: dot-separated labels of 1-63 characters from
//     [a-z0-9-_] (browsers send underscores, which some hosting services put
//     in generated names), none starting or ending with "-", at most 253
//     characters in all; the last label must not be all-numeric (nor a "0x"
//     hexadecimal number, which browsers also read as an IPv4 address) unless
//     the whole host is an IPv4 literal;
//   - IPv4 literals are dotted quads of decimal numbers 0-255 without leading
//     zeros ("127.0.0.1"); single-label names such as "localhost" are allowed,
//     except "null": that is the opaque Origin that sandboxed iframes and
//     file:// pages send, which names no site; IPv6 literals ("[::1]") are not
//     supported;
//   - port, when present, is decimal 1-65535 with no sign and no leading zero.
//     A browser leaves the scheme's default port out of the Origin, so an entry
//     with port 443 only matches http pages on port 443 and one with port 80
//     only https pages on port 80; [DefaultPortWarning] says so.
//
// [Validate] checks an entry against these rules, [FromURL] derives the
// canonical entry from a URL the way a browser derives the Origin, and
// [Suggest] offers the canonical form of a bad entry when one can be derived.
// Errors are an *[EntryError] or a *[URLError]: callers read their fields with
// errors.As. Error messages are part of the API: tests of the provider assert
// them exactly.
package hostname

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	maxLabelLen = 63
	maxNameLen  = 253
)

// EntryError reports why an allowlist entry is not canonical.
type EntryError struct {
	// Entry is the entry as given.
	Entry string
	// Reason names the first problem found, e.g. `it includes a scheme ("https://")`.
	Reason string
	// Suggestion is the canonical form of Entry, or "" when none can be derived.
	Suggestion string
}

// Error reads like
//
//	"https://App.Example.com/login" is not a valid allowlist hostname: it includes a scheme ("https://"); use "app.example.com"
//
// The `; use "..."` part is there only when Suggestion is not empty.
func (e *EntryError) Error() string {
	msg := fmt.Sprintf("%q is not a valid allowlist hostname: %s", e.Entry, e.Reason)
	if e.Suggestion != "" {
		msg += fmt.Sprintf("; use %q", e.Suggestion)
	}
	return msg
}

// URLError reports why no allowlist entry can be derived from an input of FromURL.
type URLError struct {
	// Input is the input as given.
	Input string
	// Reason names the first problem found, e.g. `unsupported scheme "ftp" (use http, https, ws or wss)`.
	Reason string
}

// Error reads like
//
//	cannot derive an allowlist hostname from "ftp://example.com": unsupported scheme "ftp" (use http, https, ws or wss)
func (e *URLError) Error() string {
	return fmt.Sprintf("cannot derive an allowlist hostname from %q: %s", e.Input, e.Reason)
}

// Fixed reasons. Reasons that quote part of the input are built where they occur.
const (
	reasonEmpty       = "it is empty"
	reasonWhitespace  = "it contains whitespace"
	reasonControl     = "it contains a control character"
	reasonSchemeRel   = `it starts with "//"`
	reasonNoScheme    = `it has "://" but no scheme`
	reasonUserinfo    = `it includes user info (the part before "@")`
	reasonWildcard    = "wildcards are not supported; list each hostname separately"
	reasonIPv6        = "IPv6 addresses are not supported"
	reasonColons      = `it contains more than one ":"`
	reasonUpper       = "it contains upper case letters"
	reasonNull        = `"null" is the Origin browsers send from sandboxed iframes and file:// pages: it names no site (any such page anywhere sends it), so it cannot stand for yours; list the hostname of the page that embeds the agent`
	reasonHostEmpty   = "the hostname is empty"
	reasonTrailingDot = "the hostname ends with a dot"
	reasonLeadingDot  = "the hostname starts with a dot"
	reasonEmptyLabel  = `the hostname contains an empty label ("..")`
	reasonPortEmpty   = `the port after ":" is empty`
)

// Validate returns nil when entry is a canonical allowlist entry, else an
// *EntryError naming the first problem found and, when one can be derived,
// the canonical form to use instead.
func Validate(entry string) error {
	reason := entryReason(entry)
	if reason == "" {
		return nil
	}
	e := &EntryError{Entry: entry, Reason: reason}
	if s, ok := Suggest(entry); ok && s != entry {
		e.Suggestion = s
	}
	return e
}

// DefaultPortWarning returns advice for a valid entry that ends in a scheme's
// default port, and "" for any other entry. Browsers leave the default port
// out of the Origin, so "example.com:443" never matches https://example.com
// (whose Origin reads "https://example.com"): it only matches an http page
// served on port 443. Likewise ":80" only matches https on port 80.
func DefaultPortWarning(entry string) string {
	if Validate(entry) != nil {
		return ""
	}
	host, port, _ := strings.Cut(entry, ":")
	var scheme, other string
	switch port {
	case "443":
		scheme, other = "https", "http"
	case "80":
		scheme, other = "http", "https"
	default:
		return ""
	}
	return fmt.Sprintf("%q only matches pages served over %s on port %s: browsers leave the default port out of the Origin, "+
		"so a page at %s://%s sends the Origin %s://%s, which matches the entry %q. "+
		"If the page is served over %s, list %q instead.",
		entry, other, port, scheme, host, scheme, host, host, scheme, host)
}

// Suggest returns the canonical allowlist entry derived from entry on a best
// effort basis (surrounding whitespace, scheme, user info, path, query,
// fragment, default port, upper case and a trailing dot are dealt with), and
// false when none can be derived. A canonical entry is returned as it is.
func Suggest(entry string) (string, bool) {
	out, err := FromURL(entry)
	if err != nil {
		return "", false
	}
	return out, true
}

// FromURL turns a URL ("https://App.Example.com:8443/login?x=1") or a bare
// "host[:port][/path]" into the canonical allowlist entry ("app.example.com:8443").
// Surrounding whitespace, user info, path, query and fragment are dropped, the
// host is lower-cased and loses one trailing dot, and the scheme's default port
// (80 for http and ws, 443 for https and wss) is dropped; other ports, and every
// port of an input without a scheme, are kept. Only http, https, ws and wss are
// accepted as schemes. The result always passes Validate; when none can be
// derived the error is a *URLError saying what is wrong with the input.
func FromURL(raw string) (string, error) {
	out, reason := fromURL(raw)
	if reason != "" {
		return "", &URLError{Input: raw, Reason: reason}
	}
	return out, nil
}

func fromURL(raw string) (string, string) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", reasonEmpty
	}
	if r := charsReason(s); r != "" {
		return "", r
	}
	p := split(s)
	defaultPort := ""
	if p.hasScheme {
		switch asciiLower(p.scheme) {
		case "http", "ws":
			defaultPort = "80"
		case "https", "wss":
			defaultPort = "443"
		case "":
			return "", reasonNoScheme
		default:
			return "", fmt.Sprintf("unsupported scheme %q (use http, https, ws or wss)", p.scheme)
		}
	}
	if r := shapeReason(p.hostport); r != "" {
		return "", r
	}
	host, port, hasPort := strings.Cut(p.hostport, ":")
	host, r := canonicalHost(host)
	if r != "" {
		return "", r
	}
	out := host
	if hasPort && port != "" { // an empty port means no port, as in browsers
		if !allDigits(port) {
			return "", fmt.Sprintf("the port %q is not a decimal number", port)
		}
		n, ok := portValue(port)
		if !ok || n == 0 {
			return "", fmt.Sprintf("the port %s is out of range (1-65535)", port)
		}
		if ps := strconv.Itoa(n); ps != defaultPort {
			out += ":" + ps
		}
	}
	if out == "null" {
		return "", reasonNull
	}
	// Defensive: the result must be canonical.
	if r := entryReason(out); r != "" {
		return "", r
	}
	return out, ""
}

// entryReason returns the first problem with entry, or "" when it is canonical.
func entryReason(entry string) string {
	if entry == "" {
		return reasonEmpty
	}
	if r := charsReason(entry); r != "" {
		return r
	}
	p := split(entry)
	switch {
	case p.hasScheme:
		return fmt.Sprintf("it includes a scheme (%q)", p.scheme+"://")
	case p.schemeRel:
		return reasonSchemeRel
	case p.userinfo:
		return reasonUserinfo
	case p.tail != "":
		return tailReason(p.tail)
	}
	hp := p.hostport
	if r := shapeReason(hp); r != "" {
		return r
	}
	host, port, hasPort := strings.Cut(hp, ":")
	if run, decoded, ok := percentRun(host); ok {
		r := fmt.Sprintf("it contains percent-encoding (%q stands for %q), which browsers decode before they send the Origin", run, decoded)
		d, derr := percentDecode(host)
		if derr != "" {
			return r + "; decoded, it is not UTF-8 text"
		}
		if dr := entryReason(d + hp[len(host):]); dr != "" {
			r += "; decoded, it is still invalid: " + dr
		}
		return r
	}
	if !isASCII(host) {
		return nonASCIIReason(host)
	}
	if asciiLower(host) == "null" && !hasPort {
		return reasonNull
	}
	if hasUpper(hp) {
		return reasonUpper
	}
	if r := hostReason(host); r != "" {
		return r
	}
	if hasPort {
		return portReason(port)
	}
	return ""
}

// canonicalHost turns the host part of a URL into the host a browser puts in
// the Origin: percent-encoding decoded, UTS #46 mapping (lower case, full-width
// forms, ignored characters) and punycode for internationalised labels, one
// trailing dot dropped. The reason is "" when the result is a valid host.
func canonicalHost(host string) (string, string) {
	host, r := percentDecode(host)
	if r != "" {
		return "", r
	}
	if strings.Contains(host, "*") {
		return "", reasonWildcard
	}
	if !isASCII(host) {
		a, r := toASCII(host)
		if r != "" {
			return "", r
		}
		host = a
	}
	host = strings.TrimSuffix(asciiLower(host), ".")
	if r := hostReason(host); r != "" {
		return "", r
	}
	return host, ""
}

// percentRun finds the first run of "%XX" escapes in s and returns it with
// the text it stands for; ok is false when s has none.
func percentRun(s string) (run, decoded string, ok bool) {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '%' || !isHexDigit(s[i+1]) || !isHexDigit(s[i+2]) {
			continue
		}
		j := i
		for j+2 < len(s) && s[j] == '%' && isHexDigit(s[j+1]) && isHexDigit(s[j+2]) {
			j += 3
		}
		b := make([]byte, 0, (j-i)/3)
		for k := i; k < j; k += 3 {
			b = append(b, unhex(s[k+1])<<4|unhex(s[k+2]))
		}
		return s[i:j], string(b), true
	}
	return "", "", false
}

// percentDecode decodes every "%XX" escape of s, as a browser's URL parser
// does with a host; a "%" not followed by two hexadecimal digits stays. The
// reason is "" unless the result is not UTF-8.
func percentDecode(s string) (string, string) {
	if !strings.Contains(s, "%") {
		return s, ""
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	out := b.String()
	if !utf8.ValidString(out) {
		return "", fmt.Sprintf("the percent-encoding in %q does not decode to UTF-8 text", s)
	}
	return out, ""
}

func isHexDigit(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// parts is a URL-like string cut into pieces, left to right.
type parts struct {
	hasScheme bool
	scheme    string // text before "://", as given
	schemeRel bool   // starts with "//" and has no scheme
	userinfo  bool   // the authority has an "@"; hostport is what follows the last one
	hostport  string
	tail      string // from the first "/", "\", "?" or "#" after the authority on
}

func split(s string) parts {
	var p parts
	if i := strings.Index(s, "://"); i >= 0 && !strings.ContainsAny(s[:i], `/\?#@`) {
		p.hasScheme, p.scheme, s = true, s[:i], s[i+3:]
	} else if strings.HasPrefix(s, "//") {
		p.schemeRel, s = true, s[2:]
	}
	authority := s
	if j := strings.IndexAny(s, `/\?#`); j >= 0 {
		authority, p.tail = s[:j], s[j:]
	}
	if k := strings.LastIndexByte(authority, '@'); k >= 0 {
		p.userinfo, authority = true, authority[k+1:]
	}
	p.hostport = authority
	return p
}

func tailReason(tail string) string {
	switch tail[0] {
	case '?':
		q, _, _ := strings.Cut(tail, "#")
		return fmt.Sprintf("it includes a query (%q)", q)
	case '#':
		return fmt.Sprintf("it includes a fragment (%q)", tail)
	default:
		path := tail
		if j := strings.IndexAny(tail, "?#"); j >= 0 {
			path = tail[:j]
		}
		return fmt.Sprintf("it includes a path (%q)", path)
	}
}

func charsReason(s string) string {
	for _, r := range s {
		if unicode.IsSpace(r) {
			return reasonWhitespace
		}
		if unicode.IsControl(r) {
			return reasonControl
		}
	}
	return ""
}

// shapeReason checks host[:port] for a wildcard and IPv6.
func shapeReason(hp string) string {
	if strings.Contains(hp, "*") {
		return reasonWildcard
	}
	if strings.HasPrefix(hp, "[") || strings.Count(hp, ":") > 1 {
		if strings.HasPrefix(hp, "[") || looksIPv6(hp) {
			return reasonIPv6
		}
		return reasonColons
	}
	return ""
}

func looksIPv6(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && !('a' <= c && c <= 'f') && !('A' <= c && c <= 'F') && c != ':' && c != '.' {
			return false
		}
	}
	return true
}

// hostReason checks an ASCII host that has no port, scheme, path or the like.
func hostReason(host string) string {
	switch {
	case host == "":
		return reasonHostEmpty
	case strings.HasSuffix(host, "."):
		return reasonTrailingDot
	case strings.HasPrefix(host, "."):
		return reasonLeadingDot
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" {
			return reasonEmptyLabel
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !isDigit(c) && !('a' <= c && c <= 'z') && c != '-' && c != '_' {
				return fmt.Sprintf(`the label %q contains %q; only a-z, 0-9, "-" and "_" are allowed`, l, l[i:i+1])
			}
		}
		switch {
		case l[0] == '-':
			return fmt.Sprintf("the label %q starts with a hyphen", l)
		case l[len(l)-1] == '-':
			return fmt.Sprintf("the label %q ends with a hyphen", l)
		case len(l) > maxLabelLen:
			return fmt.Sprintf("the label %q is %d characters long (at most %d)", l, len(l), maxLabelLen)
		}
		if r := punycodeLabelReason(l); r != "" {
			return r
		}
	}
	if len(host) > maxNameLen {
		return fmt.Sprintf("the hostname is %d characters long (at most %d)", len(host), maxNameLen)
	}
	last := labels[len(labels)-1]
	if allDigits(last) {
		if len(labels) != 4 || !allDigits(labels[0]) || !allDigits(labels[1]) || !allDigits(labels[2]) {
			return fmt.Sprintf("the last label (%q) is all-numeric, which is only allowed in an IPv4 address", last)
		}
		for _, l := range labels {
			if len(l) > 1 && l[0] == '0' {
				return fmt.Sprintf("the IPv4 address has a part with a leading zero (%q)", l)
			}
			if n, err := strconv.Atoi(l); err != nil || n > 255 {
				return fmt.Sprintf("the IPv4 address has a part greater than 255 (%q)", l)
			}
		}
		return ""
	}
	if strings.HasPrefix(last, "0x") && isHex(last[2:]) {
		return fmt.Sprintf("the last label (%q) is a hexadecimal number, which browsers read as an IPv4 address", last)
	}
	return ""
}

func portReason(port string) string {
	if port == "" {
		return reasonPortEmpty
	}
	if !allDigits(port) {
		return fmt.Sprintf("the port %q is not a decimal number", port)
	}
	if len(port) > 1 && port[0] == '0' {
		return fmt.Sprintf("the port %q has a leading zero", port)
	}
	if n, ok := portValue(port); !ok || n == 0 {
		return fmt.Sprintf("the port %s is out of range (1-65535)", port)
	}
	return ""
}

// portValue parses a string of decimal digits, leading zeros allowed; ok is
// false when the value is above 65535.
func portValue(digits string) (int, bool) {
	d := strings.TrimLeft(digits, "0")
	if d == "" {
		return 0, true
	}
	if len(d) > 5 {
		return 0, false
	}
	n, err := strconv.Atoi(d)
	if err != nil || n > 65535 {
		return 0, false
	}
	return n, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isHex reports whether s is made of hexadecimal digits; "" counts, since
// browsers read "0x" alone as zero.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && !('a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters only (strings.ToLower would also map
// some non-ASCII letters, such as the Kelvin sign, to ASCII ones).
func asciiLower(s string) string {
	if !hasUpper(s) {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}
