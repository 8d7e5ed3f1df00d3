package hostname

import (
	"errors"
	"strings"
	"testing"
)

var (
	label63  = strings.Repeat("a", 63)
	label64  = strings.Repeat("a", 64)
	name253  = strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61)
	name254  = strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 62)
	goodList = []string{
		"app.example.com",
		"localhost",
		"localhost:3000",
		"127.0.0.1",
		"10.0.0.1:8443",
		"0.0.0.0",
		"255.255.255.255",
		"xn--bcher-kva.de",
		"xn--80ak6aa92e.com",
		label63 + ".example.com",
		name253,
		"a-b.example",
		"a--b.example",
		"1-2.example",
		"3com.com",
		"1.2.3.example",
		"example.123abc",
		"example.0xg",
		"a",
		"intranet:8080",
		"sub.sub2.example.co.uk",
		"example.com:1",
		"example.com:80",
		"example.com:443",
		"example.com:65535",
		// underscores: browsers send them (generated preview hosts, _dmarc-style labels)
		"my_app.example.com",
		"_preview.example.com",
		"a_",
		"app_1.example.com:8443",
		// valid punycode labels, including a symbol and an emoji name browsers accept
		"xn--n3h.net",
		"xn--ls8h.la",
		"www.xn--fa-hia.de",
		// "null" only on its own is the opaque origin; with a port it is a host
		"null:8080",
		"null.example.com",
		"nullx",
	}
)

func TestValidateGood(t *testing.T) {
	for _, e := range goodList {
		if err := Validate(e); err != nil {
			t.Errorf("Validate(%q) = %v, want nil", e, err)
		}
	}
}

const (
	idn  = "it is an internationalised name, which browsers send in its punycode (xn--) form"
	null = `"null" is the Origin browsers send from sandboxed iframes and file:// pages: it names no site (any such page anywhere sends it), so it cannot stand for yours; list the hostname of the page that embeds the agent`
)

func TestValidateBad(t *testing.T) {
	const p = " is not a valid allowlist hostname: "
	tests := []struct {
		entry string
		want  string
	}{
		// empty, whitespace, control characters
		{"", `""` + p + `it is empty`},
		{"example.com ", `"example.com "` + p + `it contains whitespace; use "example.com"`},
		{" example.com", `" example.com"` + p + `it contains whitespace; use "example.com"`},
		{"example.com\t", `"example.com\t"` + p + `it contains whitespace; use "example.com"`},
		{"example.com\n", `"example.com\n"` + p + `it contains whitespace; use "example.com"`},
		{"localhost\u00a0", `"localhost\u00a0"` + p + `it contains whitespace; use "localhost"`},
		{"exa mple.com", `"exa mple.com"` + p + `it contains whitespace`},
		{"example\x00.com", `"example\x00.com"` + p + `it contains a control character`},
		// scheme, user info, path, query, fragment
		{"https://App.Example.com/login", `"https://App.Example.com/login"` + p + `it includes a scheme ("https://"); use "app.example.com"`},
		{"http://example.com", `"http://example.com"` + p + `it includes a scheme ("http://"); use "example.com"`},
		{"https://example.com:443", `"https://example.com:443"` + p + `it includes a scheme ("https://"); use "example.com"`},
		{"http://example.com:443", `"http://example.com:443"` + p + `it includes a scheme ("http://"); use "example.com:443"`},
		{"wss://example.com:443", `"wss://example.com:443"` + p + `it includes a scheme ("wss://"); use "example.com"`},
		{"HTTPS://EXAMPLE.COM:8443", `"HTTPS://EXAMPLE.COM:8443"` + p + `it includes a scheme ("HTTPS://"); use "example.com:8443"`},
		{"ftp://example.com", `"ftp://example.com"` + p + `it includes a scheme ("ftp://")`},
		{"https://*.example.com", `"https://*.example.com"` + p + `it includes a scheme ("https://")`},
		{"://example.com", `"://example.com"` + p + `it includes a scheme ("://")`},
		{"//example.com", `"//example.com"` + p + `it starts with "//"; use "example.com"`},
		{"user@example.com", `"user@example.com"` + p + `it includes user info (the part before "@"); use "example.com"`},
		{"user:pass@example.com:8080", `"user:pass@example.com:8080"` + p + `it includes user info (the part before "@"); use "example.com:8080"`},
		{"user@", `"user@"` + p + `it includes user info (the part before "@")`},
		{"example.com/", `"example.com/"` + p + `it includes a path ("/"); use "example.com"`},
		{"example.com/login?next=1", `"example.com/login?next=1"` + p + `it includes a path ("/login"); use "example.com"`},
		{"example.com:443/", `"example.com:443/"` + p + `it includes a path ("/"); use "example.com:443"`},
		{`example.com\foo`, `"example.com\\foo"` + p + `it includes a path ("\\foo"); use "example.com"`},
		{"example.com?x=1#y", `"example.com?x=1#y"` + p + `it includes a query ("?x=1"); use "example.com"`},
		{"example.com#top", `"example.com#top"` + p + `it includes a fragment ("#top"); use "example.com"`},
		// wildcard, IPv6, non-ASCII, upper case
		{"*.example.com", `"*.example.com"` + p + `wildcards are not supported; list each hostname separately`},
		{"*", `"*"` + p + `wildcards are not supported; list each hostname separately`},
		{"[::1]", `"[::1]"` + p + `IPv6 addresses are not supported`},
		{"[::1]:3000", `"[::1]:3000"` + p + `IPv6 addresses are not supported`},
		{"fe80::1", `"fe80::1"` + p + `IPv6 addresses are not supported`},
		{"example.com:80:90", `"example.com:80:90"` + p + `it contains more than one ":"`},
		// internationalised names: browsers send the punycode form
		{"bücher.de", `"bücher.de"` + p + idn + `; use "xn--bcher-kva.de"`},
		{"Bücher.example", `"Bücher.example"` + p + idn + `; use "xn--bcher-kva.example"`},
		{"shop.bücher.example:8443", `"shop.bücher.example:8443"` + p + idn + `; use "shop.xn--bcher-kva.example:8443"`},
		{"faß.de", `"faß.de"` + p + idn + `; use "xn--fa-hia.de"`},
		{"☃.net", `"☃.net"` + p + idn + `; use "xn--n3h.net"`},
		{"пример.рф", `"пример.рф"` + p + idn + `; use "xn--e1afmkfd.xn--p1ai"`},
		{"\u0627\u0644a.com", "\"\u0627\u0644a.com\"" + p + "the label \"\u0627\u0644a\" mixes right-to-left and left-to-right text in a way browsers refuse (the Bidi rule of RFC 5893)"},
		{"⒈.com", `"⒈.com"` + p + `it contains "⒈" (U+2488 DIGIT ONE FULL STOP), which is not allowed in a hostname`},
		// xn-- labels browsers refuse
		{"xn--zz.com", `"xn--zz.com"` + p + `the label "xn--zz" starts with "xn--" but is not valid punycode, so browsers refuse the name`},
		{"xn--.com", `"xn--.com"` + p + `the label "xn--" ends with a hyphen`},
		{"xn--abc-.com", `"xn--abc-.com"` + p + `the label "xn--abc-" ends with a hyphen`},
		{"xn--a.com", `"xn--a.com"` + p + `the label "xn--a" decodes to "\u0080", which is not a valid internationalised label, so browsers refuse the name`},
		{"xn--bcher-kva.xn--zz", `"xn--bcher-kva.xn--zz"` + p + `the label "xn--zz" starts with "xn--" but is not valid punycode, so browsers refuse the name`},
		{"XN--ZZ.com", `"XN--ZZ.com"` + p + `it contains upper case letters`},
		// invisible characters: browsers drop most of them, refuse the joiners
		{"example.com\u200b", `"example.com\u200b"` + p + `it contains an invisible character (U+200B ZERO WIDTH SPACE); use "example.com"`},
		{"exa\u00admple.com", `"exa\u00admple.com"` + p + `it contains an invisible character (U+00AD SOFT HYPHEN); use "example.com"`},
		{"\ufeffexample.com", `"\ufeffexample.com"` + p + `it contains an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE); use "example.com"`},
		{"exam\u2060ple.com", `"exam\u2060ple.com"` + p + `it contains an invisible character (U+2060 WORD JOINER); use "example.com"`},
		{"example\ufe0f.com", "\"example\ufe0f.com\"" + p + `it contains an invisible character (U+FE0F VARIATION SELECTOR-16); use "example.com"`},
		{"a\u200db.com", `"a\u200db.com"` + p + `it contains an invisible character (U+200D ZERO WIDTH JOINER)`},
		{"bü\u200bcher.de", `"bü\u200bcher.de"` + p + `it contains an invisible character (U+200B ZERO WIDTH SPACE); use "xn--bcher-kva.de"`},
		// characters browsers map to ASCII: full-width forms, look-alikes
		{"ａｐｐ.example.com", `"ａｐｐ.example.com"` + p + `it contains "ａ" (U+FF41 FULLWIDTH LATIN SMALL LETTER A), which browsers read as "a"; use "app.example.com"`},
		{"ＡＰＰ.example.com", `"ＡＰＰ.example.com"` + p + `it contains "Ａ" (U+FF21 FULLWIDTH LATIN CAPITAL LETTER A), which browsers read as "a"; use "app.example.com"`},
		{"example。com", `"example。com"` + p + `it contains "。" (U+3002 IDEOGRAPHIC FULL STOP), which browsers read as "."; use "example.com"`},
		{"example．com", `"example．com"` + p + `it contains "．" (U+FF0E FULLWIDTH FULL STOP), which browsers read as "."; use "example.com"`},
		{"localhost:３０００", `"localhost:３０００"` + p + `the port "３０００" is not a decimal number`},
		{"\u212a.example.com", "\"\u212a.example.com\"" + p + "it contains \"\u212a\" (U+212A KELVIN SIGN), which browsers read as \"k\"; use \"k.example.com\""},
		{"ｂücher.de", `"ｂücher.de"` + p + `it contains "ｂ" (U+FF42 FULLWIDTH LATIN SMALL LETTER B), which browsers read as "b"; use "xn--bcher-kva.de"`},
		// percent-encoding: browsers decode it
		{"%2A.example.com", `"%2A.example.com"` + p + `it contains percent-encoding ("%2A" stands for "*"), which browsers decode before they send the Origin; decoded, it is still invalid: wildcards are not supported; list each hostname separately`},
		{"%2a.example.com", `"%2a.example.com"` + p + `it contains percent-encoding ("%2a" stands for "*"), which browsers decode before they send the Origin; decoded, it is still invalid: wildcards are not supported; list each hostname separately`},
		{"exa%6Dple.com:8443", `"exa%6Dple.com:8443"` + p + `it contains percent-encoding ("%6D" stands for "m"), which browsers decode before they send the Origin; use "example.com:8443"`},
		{"%C3%BC.de", `"%C3%BC.de"` + p + `it contains percent-encoding ("%C3%BC" stands for "ü"), which browsers decode before they send the Origin; decoded, it is still invalid: it is an internationalised name, which browsers send in its punycode (xn--) form; use "xn--tda.de"`},
		{"%FF.de", `"%FF.de"` + p + `it contains percent-encoding ("%FF" stands for "\xff"), which browsers decode before they send the Origin; decoded, it is not UTF-8 text`},
		{"a%zz.com", `"a%zz.com"` + p + `the label "a%zz" contains "%"; only a-z, 0-9, "-" and "_" are allowed`},
		// the opaque origin
		{"null", `"null"` + p + null},
		{"NULL", `"NULL"` + p + null},
		{"App.Example.com", `"App.Example.com"` + p + `it contains upper case letters; use "app.example.com"`},
		{"LOCALHOST:3000", `"LOCALHOST:3000"` + p + `it contains upper case letters; use "localhost:3000"`},
		// host
		{":8080", `":8080"` + p + `the hostname is empty`},
		{"example.com.", `"example.com."` + p + `the hostname ends with a dot; use "example.com"`},
		{"example.com.:8080", `"example.com.:8080"` + p + `the hostname ends with a dot; use "example.com:8080"`},
		{".", `"."` + p + `the hostname ends with a dot`},
		{".example.com", `".example.com"` + p + `the hostname starts with a dot`},
		{"example..com", `"example..com"` + p + `the hostname contains an empty label ("..")`},
		{label64 + ".com", `"` + label64 + `.com"` + p + `the label "` + label64 + `" is 64 characters long (at most 63)`},
		{name254, `"` + name254 + `"` + p + `the hostname is 254 characters long (at most 253)`},
		{"-app.example.com", `"-app.example.com"` + p + `the label "-app" starts with a hyphen`},
		{"app-.example.com", `"app-.example.com"` + p + `the label "app-" ends with a hyphen`},
		{"my+app.example.com", `"my+app.example.com"` + p + `the label "my+app" contains "+"; only a-z, 0-9, "-" and "_" are allowed`},
		{"-_.example.com", `"-_.example.com"` + p + `the label "-_" starts with a hyphen`},
		{"1.2.3", `"1.2.3"` + p + `the last label ("3") is all-numeric, which is only allowed in an IPv4 address`},
		{"1.2.3.4.5", `"1.2.3.4.5"` + p + `the last label ("5") is all-numeric, which is only allowed in an IPv4 address`},
		{"example.123", `"example.123"` + p + `the last label ("123") is all-numeric, which is only allowed in an IPv4 address`},
		{"123", `"123"` + p + `the last label ("123") is all-numeric, which is only allowed in an IPv4 address`},
		{"256.1.1.1", `"256.1.1.1"` + p + `the IPv4 address has a part greater than 255 ("256")`},
		{"01.2.3.4", `"01.2.3.4"` + p + `the IPv4 address has a part with a leading zero ("01")`},
		{"example.0x1f", `"example.0x1f"` + p + `the last label ("0x1f") is a hexadecimal number, which browsers read as an IPv4 address`},
		// port
		{"example.com:0", `"example.com:0"` + p + `the port 0 is out of range (1-65535)`},
		{"example.com:65536", `"example.com:65536"` + p + `the port 65536 is out of range (1-65535)`},
		{"example.com:99999999999999999999", `"example.com:99999999999999999999"` + p + `the port 99999999999999999999 is out of range (1-65535)`},
		{"1.2.3.4:0", `"1.2.3.4:0"` + p + `the port 0 is out of range (1-65535)`},
		{"example.com:080", `"example.com:080"` + p + `the port "080" has a leading zero; use "example.com:80"`},
		{"example.com:00", `"example.com:00"` + p + `the port "00" has a leading zero`},
		{"example.com:http", `"example.com:http"` + p + `the port "http" is not a decimal number`},
		{"example.com:+80", `"example.com:+80"` + p + `the port "+80" is not a decimal number`},
		{"example.com:-1", `"example.com:-1"` + p + `the port "-1" is not a decimal number`},
		{"example.com:", `"example.com:"` + p + `the port after ":" is empty; use "example.com"`},
		{"xn--bcher-kva.de:", `"xn--bcher-kva.de:"` + p + `the port after ":" is empty; use "xn--bcher-kva.de"`},
	}
	for _, tt := range tests {
		err := Validate(tt.entry)
		if err == nil {
			t.Errorf("Validate(%q) = nil, want %s", tt.entry, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("Validate(%q):\n got %s\nwant %s", tt.entry, got, tt.want)
		}
		var ee *EntryError
		if !errors.As(err, &ee) {
			t.Errorf("Validate(%q) returned %T, want *EntryError", tt.entry, err)
			continue
		}
		if ee.Entry != tt.entry || ee.Reason == "" {
			t.Errorf("Validate(%q): EntryError fields %+v", tt.entry, *ee)
		}
		if ee.Suggestion != "" {
			if err := Validate(ee.Suggestion); err != nil {
				t.Errorf("Validate(%q): suggestion is not valid: %v", tt.entry, err)
			}
		}
	}
}

func TestEntryErrorFields(t *testing.T) {
	var ee *EntryError
	if !errors.As(Validate("https://App.Example.com/login"), &ee) {
		t.Fatal("want *EntryError")
	}
	want := EntryError{Entry: "https://App.Example.com/login", Reason: `it includes a scheme ("https://")`, Suggestion: "app.example.com"}
	if *ee != want {
		t.Errorf("got %+v, want %+v", *ee, want)
	}
	if !errors.As(Validate("*.example.com"), &ee) || ee.Suggestion != "" {
		t.Errorf("wildcard: got %+v, want no suggestion", ee)
	}
}

func TestFromURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://App.Example.com/login", "app.example.com"},
		{"app.example.com", "app.example.com"},
		{"App.Example.COM", "app.example.com"},
		{"HTTPS://EXAMPLE.COM", "example.com"},
		{"http://example.com:80", "example.com"},
		{"https://example.com:443/", "example.com"},
		{"ws://example.com:80", "example.com"},
		{"wss://example.com:443/v1/convai/conversation?agent_id=x", "example.com"},
		{"http://example.com:0080", "example.com"},
		{"http://example.com:443", "example.com:443"},
		{"https://example.com:80", "example.com:80"},
		{"ws://example.com:443", "example.com:443"},
		{"wss://example.com:80", "example.com:80"},
		{"https://example.com:8443", "example.com:8443"},
		{"wss://example.com:08080", "example.com:8080"},
		{"example.com:443", "example.com:443"},
		{"example.com:80", "example.com:80"},
		{"localhost:3000", "localhost:3000"},
		{"localhost:3000/path", "localhost:3000"},
		{"http://localhost:3000/path", "localhost:3000"},
		{"https://127.0.0.1:8443", "127.0.0.1:8443"},
		{"https://example.com.", "example.com"},
		{"https://example.com.:8443/", "example.com:8443"},
		{"example.com.", "example.com"},
		{"https://example.com/a/b?c=d#e", "example.com"},
		{"https://example.com?c=d", "example.com"},
		{"https://example.com#frag", "example.com"},
		{`https://example.com\path`, "example.com"},
		{"example.com/path", "example.com"},
		{"https://user:pass@example.com:8443/x", "example.com:8443"},
		{"user@example.com", "example.com"},
		{"  https://example.com \n", "example.com"},
		{"//example.com/x", "example.com"},
		{"example.com:", "example.com"},
		{"https://example.com:/", "example.com"},
		{"https://xn--bcher-kva.de", "xn--bcher-kva.de"},
		// browsers map the host with UTS #46 before they send the Origin
		{"https://bücher.example/", "xn--bcher-kva.example"},
		{"https://BÜCHER.example:8443/x", "xn--bcher-kva.example:8443"},
		{"https://пример.рф", "xn--e1afmkfd.xn--p1ai"},
		{"https://faß.de", "xn--fa-hia.de"},
		{"https://ａｐｐ.example.com", "app.example.com"},
		{"https://example。com", "example.com"},
		{"https://exa\u00admple.com", "example.com"},
		{"https://example.com\u200b/", "example.com"},
		{"https://\u212a.example.com", "k.example.com"},
		{"https://exa%6Dple.com", "example.com"},
		{"https://%C3%BC.de", "xn--tda.de"},
		{"https://my_app.example.com/", "my_app.example.com"},
		{"https://_preview.example.com", "_preview.example.com"},
		{"http://null:8080", "null:8080"},
		{"https://null:80", "null:80"},
	}
	for _, tt := range tests {
		got, err := FromURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("FromURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestFromURLErrors(t *testing.T) {
	const p = "cannot derive an allowlist hostname from "
	tests := []struct{ in, want string }{
		{"", p + `"": it is empty`},
		{"   ", p + `"   ": it is empty`},
		{"https://exa mple.com", p + `"https://exa mple.com": it contains whitespace`},
		{"ftp://example.com", p + `"ftp://example.com": unsupported scheme "ftp" (use http, https, ws or wss)`},
		{"file:///etc/passwd", p + `"file:///etc/passwd": unsupported scheme "file" (use http, https, ws or wss)`},
		{"://example.com", p + `"://example.com": it has "://" but no scheme`},
		{"https://", p + `"https://": the hostname is empty`},
		{"https:///path", p + `"https:///path": the hostname is empty`},
		{"https://user@:8080", p + `"https://user@:8080": the hostname is empty`},
		{"https://example.com:0", p + `"https://example.com:0": the port 0 is out of range (1-65535)`},
		{"https://example.com:65536", p + `"https://example.com:65536": the port 65536 is out of range (1-65535)`},
		{"https://example.com:abc", p + `"https://example.com:abc": the port "abc" is not a decimal number`},
		{"https://*.example.com", p + `"https://*.example.com": wildcards are not supported; list each hostname separately`},
		{"https://[::1]:3000", p + `"https://[::1]:3000": IPv6 addresses are not supported`},
		{"https://host:1:2", p + `"https://host:1:2": it contains more than one ":"`},
		{"https://a\u200db.com", p + `"https://a\u200db.com": it contains an invisible character (U+200D ZERO WIDTH JOINER) where browsers refuse it`},
		{"https://⒈.com", p + `"https://⒈.com": it contains "⒈" (U+2488 DIGIT ONE FULL STOP), which is not allowed in a hostname`},
		{"https://xn--zz.com", p + `"https://xn--zz.com": the label "xn--zz" starts with "xn--" but is not valid punycode, so browsers refuse the name`},
		{"https://%2A.example.com", p + `"https://%2A.example.com": wildcards are not supported; list each hostname separately`},
		{"https://%FF.example.com", p + `"https://%FF.example.com": the percent-encoding in "%FF.example.com" does not decode to UTF-8 text`},
		{"https://my+app.example.com", p + `"https://my+app.example.com": the label "my+app" contains "+"; only a-z, 0-9, "-" and "_" are allowed`},
		{"null", p + `"null": ` + null},
		{"https://NULL/", p + `"https://NULL/": ` + null},
		{"http://null:80/", p + `"http://null:80/": ` + null},
		{"https://example.com..", p + `"https://example.com..": the hostname ends with a dot`},
		{"https://1.2.3", p + `"https://1.2.3": the last label ("3") is all-numeric, which is only allowed in an IPv4 address`},
		{"https://256.0.0.1", p + `"https://256.0.0.1": the IPv4 address has a part greater than 255 ("256")`},
		{"https://0x7f.0.0.1", p + `"https://0x7f.0.0.1": the last label ("1") is all-numeric, which is only allowed in an IPv4 address`},
	}
	for _, tt := range tests {
		got, err := FromURL(tt.in)
		if err == nil {
			t.Errorf("FromURL(%q) = %q, nil; want error %s", tt.in, got, tt.want)
			continue
		}
		if got != "" || err.Error() != tt.want {
			t.Errorf("FromURL(%q) = %q,\n got %s\nwant %s", tt.in, got, err, tt.want)
		}
		var ue *URLError
		if !errors.As(err, &ue) || ue.Input != tt.in || ue.Reason == "" {
			t.Errorf("FromURL(%q): error %#v is not a *URLError with Input and Reason", tt.in, err)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"https://App.Example.com/login", "app.example.com", true},
		{"app.example.com", "app.example.com", true},
		{"example.com.", "example.com", true},
		{"EXAMPLE.com:080", "example.com:80", true},
		{" example.com\n", "example.com", true},
		{"wss://example.com:443", "example.com", true},
		{"user@localhost:3000", "localhost:3000", true},
		{"*.example.com", "", false},
		{"ftp://example.com", "", false},
		{"bücher.de", "xn--bcher-kva.de", true},
		{"example.com\u200b", "example.com", true},
		{"exa%6dple.com", "example.com", true},
		{"null", "", false},
		{"xn--zz.com", "", false},
		{"example.com:0", "", false},
		{"[::1]", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Suggest(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Suggest(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FromURL of a canonical entry is the entry itself, and a scheme in front of
// it changes it only by dropping the scheme's default port.
func TestFromURLRoundTrip(t *testing.T) {
	for _, e := range goodList {
		checkRoundTrip(t, e)
	}
}

func checkRoundTrip(t *testing.T, e string) {
	t.Helper()
	if got, err := FromURL(e); err != nil || got != e {
		t.Errorf("FromURL(%q) = %q, %v; want it unchanged", e, got, err)
	}
	if got, ok := Suggest(e); !ok || got != e {
		t.Errorf("Suggest(%q) = %q, %v; want it unchanged", e, got, ok)
	}
	for _, sc := range []struct{ scheme, port string }{{"https", "443"}, {"wss", "443"}, {"http", "80"}, {"ws", "80"}} {
		want := strings.TrimSuffix(e, ":"+sc.port)
		if want == "null" { // "null:80" from http is the opaque origin's text
			if got, err := FromURL(sc.scheme + "://" + e + "/path"); err == nil {
				t.Errorf("FromURL(%q) = %q, want an error", sc.scheme+"://"+e+"/path", got)
			}
			continue
		}
		if got, err := FromURL(sc.scheme + "://" + e + "/path"); err != nil || got != want {
			t.Errorf("FromURL(%q) = %q, %v; want %q", sc.scheme+"://"+e+"/path", got, err, want)
		}
	}
}

func FuzzValidate(f *testing.F) {
	for _, e := range goodList {
		f.Add(e)
	}
	for _, e := range []string{
		"", "https://App.Example.com/login", "*.example.com", "[::1]:3000", "bücher.de",
		"example.com.", "example.com:080", "example.com:65536", "user@host", "1.2.3",
		"256.1.1.1", "01.2.3.4", "example..com", "-a.com", "a_b.com", " example.com\t",
		"example.com:", "//example.com", "example.0x1f", "example.com:443",
		"null", "%2A.example.com", "exa%6dple.com", "example.com\u200b", "ａｐｐ.example.com",
		"xn--zz.com", "xn--a.com", "a\u200db.com", "example。com", "my_app.example.com",
	} {
		f.Add(e)
	}
	f.Fuzz(func(t *testing.T, e string) {
		err := Validate(e)
		if err == nil {
			checkRoundTrip(t, e)
			return
		}
		var ee *EntryError
		if !errors.As(err, &ee) {
			t.Fatalf("Validate(%q) returned %T, want *EntryError", e, err)
		}
		if ee.Entry != e || ee.Reason == "" {
			t.Fatalf("Validate(%q): EntryError fields %+v", e, *ee)
		}
		if ee.Suggestion != "" {
			if ee.Suggestion == e {
				t.Fatalf("Validate(%q): suggests the entry itself", e)
			}
			if err := Validate(ee.Suggestion); err != nil {
				t.Fatalf("Validate(%q): suggestion is not valid: %v", e, err)
			}
		}
		if _, err := FromURL(e); err == nil && ee.Suggestion == "" {
			t.Fatalf("Validate(%q): FromURL succeeds but no suggestion", e)
		}
	})
}

func FuzzFromURL(f *testing.F) {
	for _, s := range []string{
		"https://App.Example.com/login", "http://example.com:80", "wss://example.com:443/v1",
		"https://example.com:8443", "example.com:443", "localhost:3000/x", "https://example.com.",
		"https://user:pass@example.com/x?y#z", "ftp://example.com", "https://[::1]:3000",
		"https://*.example.com", "https://example.com:0", "//example.com", "", "  ",
		"https://bücher.de", "https://1.2.3", "HTTP://10.0.0.1:0080", `https://example.com\p`,
		"https://%2A.example.com", "https://exa%6Dple.com", "https://ａｐｐ.example.com", "null",
		"https://xn--zz.com", "https://my_app.example.com", "https://a\u200db.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out, err := FromURL(raw)
		if err != nil {
			var ue *URLError
			if out != "" || !errors.As(err, &ue) || ue.Input != raw || ue.Reason == "" {
				t.Fatalf("FromURL(%q) = %q, %#v", raw, out, err)
			}
			return
		}
		if err := Validate(out); err != nil {
			t.Fatalf("FromURL(%q) = %q, which does not pass Validate: %v", raw, out, err)
		}
		if again, err := FromURL(out); err != nil || again != out {
			t.Fatalf("FromURL(%q) = %q, but FromURL(%q) = %q, %v", raw, out, out, again, err)
		}
		if s, ok := Suggest(raw); !ok || s != out {
			t.Fatalf("Suggest(%q) = %q, %v; want %q", raw, s, ok, out)
		}
	})
}

func TestDefaultPortWarning(t *testing.T) {
	tests := []struct{ in, want string }{
		{"example.com:443", `"example.com:443" only matches pages served over http on port 443: browsers leave the default port out of the Origin, so a page at https://example.com sends the Origin https://example.com, which matches the entry "example.com". If the page is served over https, list "example.com" instead.`},
		{"localhost:80", `"localhost:80" only matches pages served over https on port 80: browsers leave the default port out of the Origin, so a page at http://localhost sends the Origin http://localhost, which matches the entry "localhost". If the page is served over http, list "localhost" instead.`},
		{"example.com", ""},
		{"example.com:8443", ""},
		{"example.com:4430", ""},
		{"example.com:080", ""}, // not valid: Validate reports it
		{"https://example.com:443", ""},
	}
	for _, tt := range tests {
		if got := DefaultPortWarning(tt.in); got != tt.want {
			t.Errorf("DefaultPortWarning(%q):\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}
