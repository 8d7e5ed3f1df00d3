package redact

import (
	"bytes"
	"encoding/json"
	"sync"
)

// Bounds of what a Secrets set keeps of the values it learns.
const (
	// MaxLearned is how many learned values a set keeps: past it, the value
	// learned first is forgotten first. A long apply that mints a credential per
	// ephemeral resource per plan and apply stays far below it; a hostile server
	// that floods answers with secret-looking values can only push its own
	// older values out. Pinned values are never forgotten.
	MaxLearned = 512
	// MinLearned is the shortest value a set learns: a shorter one is no
	// credential (the API's are 20 characters and more), and masking it
	// everywhere would mask ordinary words. The name rules still mask it where
	// it appears under a secret's name.
	MinLearned = 8
	// MaxSecretLen is the longest value a set keeps (pinned or learned); a
	// longer one is masked by the name rules only. With MaxLearned it bounds
	// a set to about 1 MiB of values, and its matcher to about 20 times that.
	MaxSecretLen = 2048
)

// Secrets is the set of secret values one process knows: pinned ones (the API
// key, proxy credentials), kept for its life, and learned ones (each minted
// token and signature, each shareable_token seen), at most MaxLearned of
// them, the oldest forgotten first. String masks every form of each of them
// (see encodings) and then applies the name rules. A nil *Secrets knows nothing
// and still applies the name rules. It is safe for concurrent use: the
// provider reads up to 10 agents at a time.
type Secrets struct {
	mu      sync.Mutex
	pinned  []string
	learned []string // oldest first
	known   map[string]bool
	forms   map[string][]string // forms of each known value, computed once
	m       *matcher            // nil when a value was added or forgotten since it was built
}

// NewSecrets returns a set that pins the given values (empty ones are ignored).
func NewSecrets(pinned ...string) *Secrets {
	s := &Secrets{known: map[string]bool{}, forms: map[string][]string{}}
	s.Pin(pinned...)
	return s
}

// Pin adds values that are never forgotten, whatever their length (at most
// MaxSecretLen): the API key and the proxy credentials, which the user gave.
func (s *Secrets) Pin(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if v == "" || len(v) > MaxSecretLen {
			continue
		}
		if s.isPinned(v) {
			continue
		}
		if s.known[v] {
			s.unlearn(v) // learned before: pinned from now on
		}
		s.pinned = append(s.pinned, v)
		s.remember(v)
	}
}

// Add learns values the process has seen (a minted token, a signature, a
// shareable_token). Values shorter than MinLearned or longer than
// MaxSecretLen are not kept; past MaxLearned the oldest learned value is
// forgotten.
func (s *Secrets) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < MinLearned || len(v) > MaxSecretLen || s.known[v] {
			continue
		}
		if len(s.learned) == MaxLearned {
			s.unlearn(s.learned[0])
		}
		s.learned = append(s.learned, v)
		s.remember(v)
	}
}

// LearnString is LearnText followed by String: the text learned, then masked.
func (s *Secrets) LearnString(text string) string { return s.LearnText(text).String() }

// String returns text with every form of every known value masked, and the
// name rules applied (see the package documentation).
func (s *Secrets) String(text string) string {
	return Learned{s: s, text: text, spans: nameSpans(text, nil)}.String()
}

// LearnText adds every value that the name rules would mask in text (the
// values of JSON members and query parameters named like secrets, also
// decoded, sensitive header values, credentials in URLs, and JWTs with their
// signature segment) and keeps what they mask in text: the HTTP log learns
// each body as it reads it, and masks it (String) once every answer
// that arrived before it is learned, so a secret that an answer carries under
// its name is also masked where the same answer, or a later one, echoes it
// under another name or in another form.
func (s *Secrets) LearnText(text string) Learned {
	var values []string
	spans := nameSpans(text, &values)
	s.Add(values...)
	return Learned{s: s, text: text, spans: spans}
}

// Learned is a text that a set has learned (LearnText).
type Learned struct {
	s     *Secrets
	text  string
	spans []span // what the name rules mask
}

// String masks the text: what the name rules mask and every form of every
// value the set knows now, as one union, so that no rule leaves a part of
// what another masks.
func (l Learned) String() string {
	if l.text == "" {
		return ""
	}
	return maskSpans(l.text, append(l.spans[:len(l.spans):len(l.spans)], l.s.matcher().spans(l.text)...))
}

// Pinned returns the pinned values.
func (s *Secrets) Pinned() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.pinned...)
}

// matcher returns the matcher of the known values, building it when stale.
func (s *Secrets) matcher() *matcher {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil && len(s.known) > 0 {
		var patterns []string
		for _, f := range s.forms {
			patterns = append(patterns, f...)
		}
		s.m = newMatcher(patterns)
	}
	return s.m
}

func (s *Secrets) isPinned(v string) bool {
	for _, p := range s.pinned {
		if p == v {
			return true
		}
	}
	return false
}

// remember and unlearn keep known, forms and the matcher in step; s.mu is held.
func (s *Secrets) remember(v string) {
	s.known[v] = true
	s.forms[v] = encodings(v)
	s.m = nil
}

func (s *Secrets) unlearn(v string) {
	for i, l := range s.learned {
		if l == v {
			s.learned = append(s.learned[:i], s.learned[i+1:]...)
			break
		}
	}
	delete(s.known, v)
	delete(s.forms, v)
	s.m = nil
}

// LearnMembers adds the string values of the JSON members called one of names
// in body: a scan for each quoted name, at the speed of a byte search, that
// the client runs on every answer it decodes (the name rules' regular
// expressions would cost far more on a large agent answer). Escapes are
// decoded; a member whose value is not a string is skipped.
func (s *Secrets) LearnMembers(body []byte, names ...string) {
	if s == nil {
		return
	}
	var found []string
	for _, name := range names {
		key := []byte(`"` + name + `"`)
		for rest := body; ; {
			i := bytes.Index(rest, key)
			if i < 0 {
				break
			}
			rest = rest[i+len(key):]
			v := bytes.TrimLeft(rest, " \t\r\n")
			if len(v) == 0 || v[0] != ':' {
				continue
			}
			v = bytes.TrimLeft(v[1:], " \t\r\n")
			if len(v) == 0 || v[0] != '"' {
				continue
			}
			if end := closingQuote(v); end > 0 {
				var str string
				if json.Unmarshal(v[:end+1], &str) == nil {
					found = append(found, str)
				}
			}
		}
	}
	s.Add(found...)
}

// closingQuote returns the index of the quote that ends the JSON string v
// starts with, or -1.
func closingQuote(v []byte) int {
	for i := 1; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}
