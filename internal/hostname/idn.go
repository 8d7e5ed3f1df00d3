package hostname

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/runenames"
)

// browser is the IDNA profile of the WHATWG URL standard's "domain to ASCII",
// which every current browser applies to a host before it sends the Origin:
// UTS #46 non-transitional processing with CheckBidi and CheckJoiners, but
// without UseSTD3ASCIIRules (so "_" passes), CheckHyphens ("ab--cd" passes)
// and VerifyDnsLength (lengths are checked by hostReason on the result).
//
// idna.Lookup is close but applies STD3 rules and CheckHyphens, so it would
// refuse names browsers send (my_app.example.com); idna.Registration (IDNA2008
// registration rules) refuses even more, and idna.Punycode validates nothing.
var browser = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.VerifyDNSLength(false),
)

// withoutBidi is browser without the Bidi rule, used only to tell a Bidi
// failure from other failures in error messages.
var withoutBidi = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.VerifyDNSLength(false),
)

const acePrefix = "xn--"

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// toASCII maps a host with non-ASCII characters as a browser does. The reason
// is "" on success.
func toASCII(host string) (string, string) {
	a, err := browser.ToASCII(host)
	if err != nil {
		return "", idnaFailure(host)
	}
	return a, ""
}

// runeName reads like `U+200B ZERO WIDTH SPACE`.
func runeName(r rune) string {
	if n := runenames.Name(r); n != "" && !strings.HasPrefix(n, "<") {
		return fmt.Sprintf("U+%04X %s", r, n)
	}
	return fmt.Sprintf("U+%04X", r)
}

// invisible reports whether r shows nothing: a format character (zero-width
// space and joiners, soft hyphen, byte order mark, direction marks) or a
// variation selector. Browsers drop most of them from a host and refuse the rest.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}

// nonASCIIReason says why an entry host with non-ASCII characters is not
// canonical: the first invisible character, else the first character a
// browser maps to ASCII (a full-width "ｅ", the ideographic full stop), else
// that the name is internationalised and must be written in punycode, unless
// browsers refuse the name altogether.
func nonASCIIReason(host string) string {
	for _, r := range host {
		if r >= utf8.RuneSelf && invisible(r) {
			return fmt.Sprintf("it contains an invisible character (%s)", runeName(r))
		}
	}
	for _, r := range host {
		if r < utf8.RuneSelf {
			continue
		}
		if m, err := browser.ToASCII(string(r)); err == nil && m != "" && isASCII(m) && !strings.Contains(m, acePrefix) {
			return fmt.Sprintf("it contains %q (%s), which browsers read as %q", string(r), runeName(r), m)
		}
	}
	if _, r := toASCII(host); r != "" {
		return r
	}
	return "it is an internationalised name, which browsers send in its punycode (xn--) form"
}

// idnaFailure names why browsers refuse a host with non-ASCII characters.
func idnaFailure(host string) string {
	for _, r := range host {
		if r < utf8.RuneSelf {
			continue
		}
		if invisible(r) {
			return fmt.Sprintf("it contains an invisible character (%s) where browsers refuse it", runeName(r))
		}
		if _, err := browser.ToASCII(string(r)); err != nil {
			return fmt.Sprintf("it contains %q (%s), which is not allowed in a hostname", string(r), runeName(r))
		}
	}
	for _, l := range strings.Split(host, ".") {
		if _, err := browser.ToASCII(l); err != nil {
			if _, err2 := withoutBidi.ToASCII(l); err2 == nil {
				return fmt.Sprintf("the label %q mixes right-to-left and left-to-right text in a way browsers refuse (the Bidi rule of RFC 5893)", l)
			}
		}
	}
	return "browsers refuse it as an internationalised name (UTS #46 processing fails)"
}

// punycodeLabelReason checks an ASCII label starting with "xn--": it must
// decode to a label a browser accepts, or the browser refuses the whole name.
func punycodeLabelReason(label string) string {
	if !strings.HasPrefix(label, acePrefix) {
		return ""
	}
	if _, err := browser.ToASCII(label); err == nil {
		return ""
	}
	u, err := idna.Punycode.ToUnicode(label)
	if err != nil || u == label {
		return fmt.Sprintf("the label %q starts with \"xn--\" but is not valid punycode, so browsers refuse the name", label)
	}
	return fmt.Sprintf("the label %q decodes to %q, which is not a valid internationalised label, so browsers refuse the name", label, u)
}
