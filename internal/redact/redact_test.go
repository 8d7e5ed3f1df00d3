package redact

import (
	"strings"
	"testing"
)

const key = "sk_live_0123456789abcdef"

func TestString(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjb252In0.c2lnbmF0dXJl"
	for in, want := range map[string]string{
		// The API key, anywhere.
		"key " + key + " twice " + key:                                  "key *** twice ***",
		"Xi-Api-Key: sk_other_123":                                      "Xi-Api-Key: ***",
		"headers: xi-api-key: sk_other; user-agent: tf":                 "headers: xi-api-key: ***; user-agent: tf",
		"Authorization: Bearer abc.def":                                 "Authorization: Bearer ***",
		"Proxy-Authorization: Basic dXNlcjpwYXNz":                       "Proxy-Authorization: Basic ***",
		`{"Xi-Api-Key":["sk_other_123"],"Accept":["application/json"]}`: `{"Xi-Api-Key":["***"],"Accept":["application/json"]}`,
		// Signatures and tokens in URLs and forms.
		"wss://h/v1/convai/conversation?agent_id=a&conversation_signature=abc.def-1": "wss://h/v1/convai/conversation?agent_id=a&conversation_signature=***",
		"GET /x?conversation_signature=abc&agent_id=a":                               "GET /x?conversation_signature=***&agent_id=a",
		"https://h/x?shareable_token=s1&token=t1&a=b":                                "https://h/x?shareable_token=***&token=***&a=b",
		"https://h/x?conversation_signature%3Dabc":                                   "https://h/x?conversation_signature%3D***",
		// JSON members, plain and inside an escaped JSON string.
		`{"signed_url":"wss://h/c?conversation_signature=s1&x=1"}`:   `{"signed_url":"***"}`,
		`{"signed_url" : "a\"b"}`:                                    `{"signed_url" : "***"}`,
		`{"token":"t1","conversation_id":"conv_1"}`:                  `{"token":"***","conversation_id":"conv_1"}`,
		`{"shareable_token": "s1", "shareable_token2": null}`:        `{"shareable_token": "***", "shareable_token2": null}`,
		`{"auth":{"shareable_token":null,"enable_auth":true}}`:       `{"auth":{"shareable_token":null,"enable_auth":true}}`,
		`{"conversation_signature": "c1"}`:                           `{"conversation_signature": "***"}`,
		`{"message":"echo {\"token\": \"t1\", \"x\": \"y\"}"}`:       `{"message":"echo {\"token\": \"***\", \"x\": \"y\"}"}`,
		`{"max_tokens": "12", "tokenizer": "a", "next_cursor": "c"}`: `{"max_tokens": "12", "tokenizer": "a", "next_cursor": "c"}`,
		// JWTs, bare.
		"bearer " + jwt + " end": "bearer *** end",
		"a.b.c and eyJ alone":    "a.b.c and eyJ alone",
		// Credentials in URLs (HTTPS_PROXY=http://user:pass@proxy:3128).
		`proxyconnect "http://user:s3cret@proxy.corp:3128": refused`: `proxyconnect "http://***@proxy.corp:3128": refused`,
		"https://api.elevenlabs.io/v1/convai/agents/a":               "https://api.elevenlabs.io/v1/convai/agents/a",
		// Nothing to mask.
		"nothing here": "nothing here",
		"":             "",
	} {
		if got := String(in, key); got != want {
			t.Errorf("String(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestStringSecretsLongestFirst(t *testing.T) {
	if got := String("ab abcd", "ab", "abcd", ""); got != "*** ***" {
		t.Errorf("got %q", got)
	}
}

// forms are the ways a secret value reaches text: each must be masked.
var forms = []func(string) string{
	func(s string) string { return s }, // the API key itself
	func(s string) string { return "xi-api-key: " + s },
	func(s string) string { return "Authorization: Bearer " + s },
	func(s string) string { return "wss://h/v1/convai/conversation?agent_id=a&conversation_signature=" + s },
	func(s string) string { return "?shareable_token=" + s + "&x=1" },
	func(s string) string { return "token=" + s },
	func(s string) string { return `"token":"` + s + `"` },
	func(s string) string { return `"token" : [ "` + s + `" ]` },
	func(s string) string { return `"shareable_token": "` + s + `"` },
	func(s string) string { return `"conversation_signature":"` + s + `"` },
	func(s string) string { return `"signed_url":"wss://h/c?agent_id=a&x=` + s + `"` },
	func(s string) string { return `{\"token\": \"` + s + `\"}` },
	func(s string) string { return "eyJhbGciOiJIUzI1NiJ9.eyJ" + s + "." + s },
	func(s string) string { return "http://user:" + s + "@proxy:3128" },
}

// FuzzString puts a secret in each form between arbitrary text: the secret
// never survives, nothing panics, and masking twice changes nothing more.
func FuzzString(f *testing.F) {
	f.Add("", "s3cretValue42", "")
	f.Add(`{"detail":{"message":"`, "tok_1a2b3c4d", `"}}`)
	f.Add(`\`, "AbCdEfGh_-12", `\"`)
	f.Add("conversation_signature=", "sig-0f3c9a7b1e5d", "&agent_id=a")
	f.Add(`"`, "ZZZZZZZZ", `"`)
	f.Add("eyJx.", "payload_part", ".tail")
	f.Fuzz(func(t *testing.T, prefix, secret, suffix string) {
		// Secrets are opaque base64url values of some length: map the fuzzed
		// bytes onto that alphabet rather than skip most inputs.
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
		b := []byte(secret)
		for len(b) < 8 {
			b = append(b, 'x')
		}
		for i := range b {
			b[i] = alphabet[int(b[i])%len(alphabet)]
		}
		secret = string(b)
		if strings.Contains(prefix, secret) || strings.Contains(suffix, secret) || strings.Contains(key, secret) {
			return
		}
		for i, form := range forms {
			in := prefix + form(secret) + suffix
			var out string
			if i == 0 {
				out = String(in, secret)
			} else {
				out = String(in, key)
			}
			if strings.Contains(out, secret) {
				t.Fatalf("form %d: String(%q) = %q keeps the secret", i, in, out)
			}
			if again := String(out, key); again != out {
				t.Fatalf("form %d: masking twice changed %q to %q", i, out, again)
			}
		}
	})
}

// FuzzSecrets puts a secret, pinned or learned from an answer, in every form
// and place echoes lists (unknown keys and headers, nested arrays, each URL,
// JSON and base64 encoding, inside longer base64 blobs) between arbitrary
// text: none of its forms survives, nothing panics, and masking twice changes
// nothing more.
func FuzzSecrets(f *testing.F) {
	f.Add("", `p@ss/w:rd&1"<é>+ %`, "", false)
	f.Add(`{"detail":"`, "tok_1a2b3c4d5e6f", `"}`, true)
	f.Add(`\`, "AbCdEfGh_-12", `\"`, true)
	f.Add("eyJx.", "payload_part\x00\xff", ".tail", false)
	f.Fuzz(func(t *testing.T, prefix, secret, suffix string, learn bool) {
		// A secret has no '*' (the mask itself could rebuild it) and at least
		// minCoreSecret bytes, so that its base64 cores are masked too.
		secret = strings.ReplaceAll(secret, "*", "x")
		if learn {
			secret = strings.ToValidUTF8(secret, "x") // as JSON carries it
		}
		for len(secret) < minCoreSecret {
			secret += "x"
		}
		if len(secret) > 64 {
			secret = secret[:64]
		}
		s := NewSecrets()
		if learn {
			// Learned from an answer that carries it under its name.
			s.LearnText(`{"conversation_token":"` + jsonEscape(secret, true) + `"}`)
		} else {
			s.Pin(secret)
		}
		if knownLen(s) == 0 {
			t.Fatalf("%q was not learned", secret)
		}
		for where, echo := range echoes(secret) {
			out := s.String(prefix + echo + suffix)
			for _, form := range encodings(secret) {
				if strings.Contains(out, form) {
					t.Fatalf("%s: %q keeps the form %q of the secret", where, out, form)
				}
			}
			if again := s.String(out); again != out {
				t.Fatalf("%s: masking twice changed %q to %q", where, out, again)
			}
		}
	})
}
