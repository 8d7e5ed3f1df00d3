package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// BENCHMARKS.md is a sequence of sections, each between two HTML comment
// markers on lines of their own (beginMarker, endMarker). A run rewrites the
// text sections and the measured ones -sections names, and no other byte.

// section is one part of BENCHMARKS.md. Its text comes from the template of
// its name in sections.md.tmpl, or from summary.md and notes.md.
type section struct {
	name string // the -sections name, the marker's and the template's
	// measure runs a measured section's scenarios (nil: a text section) and
	// fills the page its template renders; failed checks go to b.fail.
	measure func(b *bencher, p *page) error
}

func (s section) measured() bool { return s.measure != nil }

// sections is the order of the sections in BENCHMARKS.md.
var sections = []section{
	{name: "header"},
	{name: "summary"},
	{name: "cycle", measure: (*bencher).cycleSection},
	{name: "audit", measure: (*bencher).auditSection},
	{name: "query", measure: (*bencher).querySection},
	{name: "startup", measure: (*bencher).startupSection},
	{name: "faults", measure: (*bencher).faultsSection},
	{name: "ratelimit", measure: (*bencher).rateLimitSection},
	{name: "method"},
	{name: "reproduce"},
	{name: "notes"},
}

// measuredNames lists the sections -sections accepts.
func measuredNames() []string {
	var names []string
	for _, s := range sections {
		if s.measured() {
			names = append(names, s.name)
		}
	}
	return names
}

// parseSections reads the -sections flag: "all", "none" (the text sections
// only) or a comma-separated list of measured sections.
func parseSections(spec string) (map[string]bool, error) {
	chosen := map[string]bool{}
	switch spec = strings.TrimSpace(spec); spec {
	case "", "all":
		spec = strings.Join(measuredNames(), ",")
	case "none":
		return chosen, nil
	}
	for _, f := range strings.Split(spec, ",") {
		if f = strings.TrimSpace(f); !slices.Contains(measuredNames(), f) {
			return nil, fmt.Errorf("-sections: unknown section %q; use all, none or a comma-separated list of %s",
				f, strings.Join(measuredNames(), ", "))
		}
		chosen[f] = true
	}
	return chosen, nil
}

func beginMarker(name string) string { return "<!-- bench:begin " + name + ":" }
func endMarker(name string) string   { return "<!-- bench:end " + name + " -->" }

// wrap puts body between the section's markers; the result ends in a newline.
// A blank line ends the body, so that a table never runs into the end marker.
func wrap(s section, body string) string {
	how := "every scripts/bench run rewrites this section"
	switch {
	case s.name == "summary" || s.name == "notes":
		how = "hand-written in scripts/bench/" + s.name + ".md; every scripts/bench run copies it here"
	case s.measured():
		how = "written by scripts/bench; `-sections " + s.name + "` rewrites only this section"
	}
	return beginMarker(s.name) + " " + how + " -->\n" + strings.TrimRight(body, "\n") + "\n\n" + endMarker(s.name) + "\n"
}

// part is a piece of a document: a section, markers included (name set), or
// the text between two sections.
type part struct{ name, text string }

// errNoMarkers is mergeSections' answer for a non-empty document without a
// single section marker.
var errNoMarkers = errors.New("it has no section markers (<!-- bench:begin NAME: … -->)")

// splitSections cuts doc into parts. A marker without its partner, a section
// found twice, or one section's marker inside another is an error that says
// on which line, so that no run writes over a file it does not understand.
func splitSections(doc string) ([]part, error) {
	var parts []part
	var text strings.Builder
	open, openLine := "", 0
	seen := map[string]int{} // section -> line of its begin marker
	for i, line := range strings.SplitAfter(doc, "\n") {
		begin, end := "", ""
		for _, s := range sections {
			if strings.HasPrefix(line, beginMarker(s.name)) {
				begin = s.name
			} else if strings.HasPrefix(line, endMarker(s.name)) {
				end = s.name
			}
		}
		switch {
		case begin != "" && seen[begin] > 0, end != "" && seen[end] > 0 && open != end:
			name := begin + end
			return nil, fmt.Errorf("the %s section's markers appear more than once (line %d and line %d)", name, seen[name], i+1)
		case open != "" && (begin != "" || end != "" && end != open) && strings.Contains(doc, endMarker(open)):
			return nil, fmt.Errorf("the %s section (from line %d) and the %s section (line %d) overlap", open, openLine, begin+end, i+1)
		case open != "" && (begin != "" || end != "" && end != open):
			return nil, noEnd(open, openLine)
		case end != "" && open == "":
			return nil, fmt.Errorf("the %s section ends on line %d but has no begin marker %q before it", end, i+1, beginMarker(end)+" … -->")
		case begin != "":
			parts = append(parts, part{text: text.String()})
			text.Reset()
			open, openLine, seen[begin] = begin, i+1, i+1
		}
		text.WriteString(line)
		if end != "" {
			parts = append(parts, part{name: end, text: text.String()})
			text.Reset()
			open = ""
		}
	}
	if open != "" {
		return nil, noEnd(open, openLine)
	}
	return append(parts, part{text: text.String()}), nil
}

func noEnd(name string, line int) error {
	return fmt.Errorf("the %s section begins on line %d but has no end marker %q", name, line, endMarker(name))
}

// mergeSections puts the rendered sections (name → wrapped text) into doc and
// leaves every other byte of it as it was. A rendered section replaces its
// markers and what lies between them; one that doc lacks is inserted after the
// nearest section before it in the order of sections that doc has (else
// before the nearest one after it), and a note says so. It returns the new
// document and one note per rendered section (replaced, unchanged or added).
func mergeSections(doc string, rendered map[string]string) (string, []string, error) {
	if strings.TrimSpace(doc) == "" {
		var texts []string
		for _, s := range sections {
			if text, ok := rendered[s.name]; ok {
				texts = append(texts, text)
			}
		}
		return strings.Join(texts, "\n"), nil, nil
	}
	parts, err := splitSections(doc)
	if err != nil {
		return "", nil, err
	}
	if len(parts) == 1 {
		return "", nil, errNoMarkers
	}
	at := func(name string) int { return slices.IndexFunc(parts, func(p part) bool { return p.name == name }) }
	var notes []string
	for i, s := range sections {
		text, ok := rendered[s.name]
		if !ok {
			continue
		}
		if k := at(s.name); k >= 0 {
			notes = append(notes, s.name+": "+map[bool]string{true: "unchanged", false: "replaced"}[parts[k].text == text])
			parts[k].text = text
			continue
		}
		// Absent: after the nearest earlier section present, else before the
		// nearest later one.
		k, where := -1, ""
		for j := i - 1; j >= 0 && k < 0; j-- {
			if k = at(sections[j].name); k >= 0 {
				parts = slices.Insert(parts, k+1, part{name: s.name, text: "\n" + text})
				where = "after the " + sections[j].name + " section"
			}
		}
		for j := i + 1; j < len(sections) && k < 0; j++ {
			if k = at(sections[j].name); k >= 0 {
				parts = slices.Insert(parts, k, part{name: s.name, text: text + "\n"})
				where = "before the " + sections[j].name + " section"
			}
		}
		notes = append(notes, s.name+": added (the file had no such section), "+where)
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.text)
	}
	return b.String(), notes, nil
}
