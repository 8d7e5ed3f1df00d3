package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFinderFindsEveryForm: each form of the value, inside a JSON text, is
// found; so is the value spelled with escapes no encoder writes, which a
// JSON decoder turns back into it. Other text, and other values, are not.
func TestFinderFindsEveryForm(t *testing.T) {
	const v = "sk_live/0123+4567&89<ab>cdef"
	f := NewFinder(v, "")
	every := ""
	for _, r := range v {
		every += fmt.Sprintf(`\u%04X`, r)
	}
	forms := append(encodings(v),
		every,                                // every character as \uXXXX
		strings.Replace(v, "/", `\/`, 1),     // some slashes as \/
		`sk_live\/0123+4567&89\u003cab>cdef`, // mixed
		base64.StdEncoding.EncodeToString([]byte("xx:"+v+":yy")),
	)
	for _, form := range forms {
		if !f.In([]byte(`{"name":"` + form + `","n":1}`)) {
			t.Errorf("%q not found", form)
		}
	}
	for _, text := range []string{
		`{"name":"sk_live/0123+4567&89<ab>cdeX"}`,
		`{"name":"` + strings.ToUpper(v) + `"}`,
		`{"name":"\\u0073k_live/0123+4567&89<ab>cdef"}`, // an escaped backslash, then "u0073": no "s"
		"",
	} {
		if f.In([]byte(text)) {
			t.Errorf("found in %q", text)
		}
	}
	var none *Finder
	if none.In([]byte(v)) || NewFinder("") != nil {
		t.Error("a Finder of nothing finds something")
	}
}

// FuzzUnescapeJSON: for the content of any valid JSON string, unescapeJSON
// gives what encoding/json decodes it to.
func FuzzUnescapeJSON(f *testing.F) {
	for _, seed := range []string{`a\u0062c`, `\ud83d\ude00`, `\ud83d`, `\ud83dx`, `\\u0041`, `\/\"\\\b\f\n\r\t`, `\u00e9t\u00E9`, `x\ud800\u0041`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want string
		if !utf8.ValidString(s) || json.Unmarshal([]byte(`"`+s+`"`), &want) != nil {
			return
		}
		if got := string(unescapeJSON([]byte(s))); got != want {
			t.Errorf("unescapeJSON(%q) = %q, encoding/json gives %q", s, got, want)
		}
	})
}

// BenchmarkFinderIn searches a 100 KiB agent answer for the API key: plain,
// with the escapes the API writes (\n, \"), and with \u escapes, which add
// a decoded pass.
func BenchmarkFinderIn(b *testing.B) {
	f := NewFinder("sk_" + strings.Repeat("0123456789abcdef", 3))
	prompt := `You are a helpful support agent. Answer in two sentences.\n\"Be kind.\" `
	for name, unit := range map[string]string{
		"plain":      `{"agent_id":"agent_01jz","name":"Support","platform_settings":{"auth":{"enable_auth":true}}} `,
		"escapes":    prompt,
		"\\u escape": `Caf\u00e9 au lait, s'il vous pla\u00eet. ` + prompt,
	} {
		body := []byte(strings.Repeat(unit, 100<<10/len(unit)))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if f.In(body) {
					b.Fatal("found")
				}
			}
		})
	}
}
