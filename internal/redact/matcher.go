package redact

import (
	"sort"
	"strings"
)

// matcher finds every occurrence of a set of patterns in a text in one pass:
// at each position, a 64 Kbit table of the patterns' first two bytes rules
// out almost every position at once, and a map from the first four bytes to
// the patterns that start with them gives the few candidates to compare.
// Patterns shorter than four bytes are searched one by one. It is immutable
// once built, so any number of goroutines may use it.
type matcher struct {
	first2  [(1 << 16) / 64]uint64
	byFirst map[uint32][]string
	short   []string
}

func newMatcher(patterns []string) *matcher {
	m := &matcher{byFirst: map[uint32][]string{}}
	for _, p := range patterns {
		if len(p) < 4 {
			m.short = append(m.short, p)
			continue
		}
		k2 := key2(p)
		m.first2[k2/64] |= 1 << (k2 % 64)
		k4 := key4(p)
		m.byFirst[k4] = append(m.byFirst[k4], p)
	}
	return m
}

func key2(s string) uint32 { return uint32(s[0])<<8 | uint32(s[1]) }

func key4(s string) uint32 {
	return uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])
}

// span is the half-open byte range [start, end) of a match.
type span struct{ start, end int }

// spans returns every match of a pattern in s, in no particular order.
func (m *matcher) spans(s string) []span {
	var spans []span
	scan(m, s, func(sp span) bool {
		spans = append(spans, sp)
		return true
	})
	return spans
}

// scan hands each match of a pattern in s to yield, in no particular order,
// until yield returns false. It reads s in place, a string or a []byte
// alike, so that a body the client holds is searched without a copy.
func scan[T string | []byte](m *matcher, s T, yield func(span) bool) {
	if m == nil || len(s) == 0 {
		return
	}
	if len(m.byFirst) > 0 {
		for i := 0; i+4 <= len(s); i++ {
			k2 := uint32(s[i])<<8 | uint32(s[i+1])
			if m.first2[k2/64]&(1<<(k2%64)) == 0 {
				continue
			}
			k4 := k2<<16 | uint32(s[i+2])<<8 | uint32(s[i+3])
			for _, p := range m.byFirst[k4] {
				if len(s)-i >= len(p) && string(s[i:i+len(p)]) == p && !yield(span{i, i + len(p)}) {
					return
				}
			}
		}
	}
	for _, p := range m.short {
		for i := 0; ; {
			j := strings.Index(string(s[i:]), p)
			if j < 0 {
				break
			}
			if !yield(span{i + j, i + j + len(p)}) {
				return
			}
			i += j + 1
		}
	}
}

// maskSpans replaces each span of s with Mask; overlapping spans are masked
// as one run, so no part of one survives another. An empty span inserts Mask
// (an empty value under a secret's name reads as masked).
func maskSpans(s string, spans []span) string {
	if len(spans) == 0 {
		return s
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	last := 0 // end of the text written so far
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && (spans[i].start < end || spans[i].end <= end); i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(s[last:start])
		b.WriteString(Mask)
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}
