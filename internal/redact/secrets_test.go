package redact

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Secrets as the provider meets them: an API key, a proxy password with the
// characters that change under each encoding, a minted token and a signature.
const (
	apiKey    = "sk_live_0123456789abcdef"
	proxyPass = `p@ss/w:rd&1"<é>+ %`
	token     = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjb252XzEifQ.dG9rZW4tc2lnbmF0dXJlLXZhbHVl"
	signature = "sig-0f3c9a7b1e5d4c2a8b7e"
)

// echoes puts v in every place and form a hostile server or proxy could echo
// it: under keys and headers the name rules do not know, deep in arrays and
// after the first element, in each encoding, and inside longer base64 blobs.
func echoes(v string) map[string]string {
	b := []byte(v)
	blob := func(prefix string, enc *base64.Encoding) string {
		return enc.EncodeToString(append(append([]byte(prefix), b...), "|trailing bytes"...))
	}
	return map[string]string{
		"raw":                 "echo " + v,
		"unknown key":         `{"tokens":"` + jsonEscape(v, true) + `"}`,
		"unknown header":      "X-Share: " + v,
		"array in array":      `{"token":[["` + jsonEscape(v, true) + `"]]}`,
		"after first element": `{"token":["first","` + jsonEscape(v, true) + `","` + jsonEscape(v, false) + `"]}`,
		"query escaped":       "https://h/x?next=" + url.QueryEscape(v),
		"path escaped":        "https://h/" + url.PathEscape(v) + "/x",
		"lower-case hex":      lowerHex(url.QueryEscape(v)),
		"JSON escaped":        `{"m":"` + jsonEscape(v, true) + `"}`,
		"JSON without HTML":   `{"m":"` + jsonEscape(v, false) + `"}`,
		"JSON slash-escaped":  `{"m":"` + strings.ReplaceAll(jsonEscape(v, true), "/", `\/`) + `"}`,
		"JSON in JSON":        `{"m":"{\"x\":\"` + jsonEscape(jsonEscape(v, false), false) + `\"}"}`,
		"base64":              "b=" + base64.StdEncoding.EncodeToString(b),
		"base64 raw":          "b=" + base64.RawStdEncoding.EncodeToString(b) + ".",
		"base64url":           "b=" + base64.URLEncoding.EncodeToString(b),
		"base64url raw":       "b=" + base64.RawURLEncoding.EncodeToString(b) + ".",
		"basic auth":          "Proxy-Echo: Basic " + base64.StdEncoding.EncodeToString([]byte("ci:"+v)),
		"blob offset 0":       "blob " + blob("abc", base64.StdEncoding),
		"blob offset 1":       "blob " + blob("abcd", base64.StdEncoding),
		"blob offset 2":       "blob " + blob("abcde", base64.URLEncoding),
		"blob url offset 1":   "blob " + blob("a", base64.RawURLEncoding),
	}
}

func TestSecretsMaskEveryEchoedForm(t *testing.T) {
	s := NewSecrets(apiKey, proxyPass)
	s.Add(token, signature)
	for _, v := range []string{apiKey, proxyPass, token, signature} {
		for where, text := range echoes(v) {
			out := s.String(text)
			for _, f := range encodings(v) {
				if strings.Contains(out, f) {
					t.Errorf("%.12s… %s: %q keeps the form %q", v, where, out, f)
				}
			}
			if !strings.Contains(out, Mask) {
				t.Errorf("%.12s… %s: nothing masked in %q", v, where, out)
			}
		}
	}
}

// TestSecretsBlobCore: a secret inside a longer base64 blob is masked exactly
// over the characters that encode its bytes; at most one character at each
// end (4 bits of the secret at most) stays, and the rest of the blob stays
// readable.
func TestSecretsBlobCore(t *testing.T) {
	s := NewSecrets(signature)
	n := len(signature)
	for p := range 6 {
		prefix := strings.Repeat("x", 10+p)
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			e := enc.EncodeToString([]byte(prefix + signature + "|tail of the blob"))
			start, end := (8*len(prefix)+5)/6, 8*(len(prefix)+n)/6
			want := e[:start] + Mask + e[end:]
			if got := s.String(e); got != want {
				t.Errorf("offset %d:\n got %s\nwant %s", len(prefix), got, want)
			}
		}
	}
	// Shorter secrets are masked only in their full encodings: their cores
	// would be too short to tell from other base64 text.
	short := NewSecrets("1234567")
	if got := short.String(base64.StdEncoding.EncodeToString([]byte("abc1234567def"))); strings.Contains(got, Mask) {
		t.Errorf("a 7-byte secret masked inside a blob: %s", got)
	}
	if got := short.String(base64.StdEncoding.EncodeToString([]byte("1234567"))); got != Mask {
		t.Errorf("a 7-byte secret's own base64 not masked: %s", got)
	}
}

// TestSecretsLearn: what an answer carries under a secret's name is learned,
// and masked when it is echoed anywhere else later.
func TestSecretsLearn(t *testing.T) {
	s := NewSecrets(apiKey)
	s.LearnText(`{"signed_url":"wss://h/v1/convai/conversation?agent_id=a\u0026conversation_signature=` + signature + `",` +
		`"token":"` + token + `","auth":{"shareable_token":"shr_a\/b_0123456789"}}`)
	s.LearnText(`Set-Cookie: session=cookie_value_0123; Path=/`)
	s.LearnText(`{"message":"echo {\"password\": \"escaped_pass_0123\"}"}`)
	s.LearnText("proxyconnect http://ci-user:proxy_pass_0123@proxy:3128")
	for _, v := range []string{signature, token, "dG9rZW4tc2lnbmF0dXJlLXZhbHVl", "shr_a/b_0123456789", "session=cookie_value_0123",
		"escaped_pass_0123", "ci-user:proxy_pass_0123", "proxy_pass_0123"} {
		if got := s.String("later: " + v + " and " + base64.StdEncoding.EncodeToString([]byte(v))); got != "later: *** and ***" {
			t.Errorf("%s was not learned: %s", v, got)
		}
	}
	// Short values are not learned (they would mask ordinary words); names
	// still mask them where they appear under their name.
	s.LearnText(`{"token":"short","next_token":"1234567"}`)
	if got := s.String(`short 1234567 {"token":"short"}`); got != `short 1234567 {"token":"***"}` {
		t.Errorf("short values: %s", got)
	}
}

// TestSecretsLearnText: a text learned now is masked when it is written, with
// what it carries under a secret's name and every value learned by then: an
// echo of a value that another answer carried, learned after this one.
func TestSecretsLearnText(t *testing.T) {
	s := NewSecrets(apiKey)
	text := s.LearnText(`{"token":"` + token + `","seen":"shr_learned_later_0123"}`)
	s.LearnText(`{"shareable_token":"shr_learned_later_0123"}`)
	if got, want := text.String(), `{"token":"***","seen":"***"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := s.String(token); got != Mask {
		t.Errorf("the token LearnText saw was not learned: %s", got)
	}
}

// TestSecretsBounded: past MaxLearned the oldest learned value is forgotten
// (masked by name only from then on); pinned values never are.
func TestSecretsBounded(t *testing.T) {
	s := NewSecrets(apiKey)
	value := func(i int) string { return fmt.Sprintf("minted_token_%06d", i) }
	for i := range MaxLearned + 10 {
		s.Add(value(i))
	}
	if got := knownLen(s); got != MaxLearned+1 {
		t.Errorf("the set holds %d values, want %d (the bound and the key)", got, MaxLearned+1)
	}
	for i, want := range map[int]string{0: value(0), 9: value(9), 10: Mask, MaxLearned + 9: Mask} {
		if got := s.String(value(i)); got != want {
			t.Errorf("value %d: got %q, want %q", i, got, want)
		}
	}
	if got := s.String(apiKey); got != Mask {
		t.Errorf("the pinned key was forgotten: %q", got)
	}
	s.Add(strings.Repeat("x", MaxSecretLen+1))
	s.Pin(strings.Repeat("y", MaxSecretLen+1))
	if got := knownLen(s); got != MaxLearned+1 {
		t.Errorf("a value longer than MaxSecretLen was kept: %d values", got)
	}
	// A learned value pinned later is never forgotten.
	s.Pin(value(20))
	for i := range MaxLearned {
		s.Add(value(1000 + i))
	}
	if got := s.String(value(20)); got != Mask {
		t.Errorf("a value pinned after it was learned was forgotten: %q", got)
	}
	// Pinned twice (the provider, then the client, pin the key): still masked.
	s.Pin(apiKey)
	if got := s.String(apiKey); got != Mask {
		t.Errorf("the key pinned twice is no longer masked: %q", got)
	}
}

// TestSecretsConcurrent learns and masks from many goroutines at once (run
// with -race, as make unit does).
func TestSecretsConcurrent(t *testing.T) {
	s := NewSecrets(apiKey)
	var wg sync.WaitGroup
	for g := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				v := fmt.Sprintf("token_%02d_%04d_abcdef", g, i)
				s.LearnText(`{"token":"` + v + `"}`)
				if got := s.String("echo " + v + " " + apiKey); got != "echo *** ***" {
					t.Errorf("got %q", got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := knownLen(s); got != 1+10*50 {
		t.Errorf("the set holds %d values, want %d", got, 1+10*50)
	}
}

func TestNilSecretsAppliesNames(t *testing.T) {
	var s *Secrets
	s.Add("anything_0123")
	s.LearnText(`{"token":"t_0123456789"}`)
	if got := s.String(`{"token":"t_0123456789"} anything_0123`); got != `{"token":"***"} anything_0123` {
		t.Errorf("got %q", got)
	}
}

// TestMatcherOverlaps: overlapping and nested matches are masked as one run,
// so no part of a secret survives another's match.
func TestMatcherOverlaps(t *testing.T) {
	m := newMatcher([]string{"12345678", "5678abcdefgh", "ab", "zz"})
	for in, want := range map[string]string{
		"x12345678abcdefghy": "x***y",
		"ab 12345678 zzz":    "*** *** ***",
		"no match here":      "no match here",
		"":                   "",
	} {
		if got := maskSpans(in, m.spans(in)); got != want {
			t.Errorf("mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkSecretsString masks a 16 KiB body (the HTTP log's limit) against a
// full set: MaxLearned learned tokens and a key.
func BenchmarkSecretsString(b *testing.B) {
	s := NewSecrets(apiKey)
	for i := range MaxLearned {
		s.Add(fmt.Sprintf("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIlMDZkIn0.%043d", i))
	}
	body := strings.Repeat(`{"agent_id":"agent_01jz","name":"Support","platform_settings":{"auth":{"enable_auth":true}}}`, 16<<10/96)
	s.String(body) // build the matcher once
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for range b.N {
		s.String(body)
	}
}

// knownLen returns how many values s knows (pinned and learned).
func knownLen(s *Secrets) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.known)
}
