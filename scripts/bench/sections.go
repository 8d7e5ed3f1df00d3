package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// BENCHMARKS.md is a sequence of sections, each between two HTML comment
// markers on lines of their own:
//
//	<!-- bench:begin audit: ... -->
//	## Audit: ...
//	<!-- bench:end audit -->
//
// Every section is rendered by one function from its own results. A measured
// section (its scenarios take minutes) is written only when -sections names
// it, and replaces only its own lines of the file; a text section (the
// header, the hand-written summary, the method, how to reproduce, the
// hand-written notes) costs nothing and is rewritten by every run. `make bench` runs every section and writes
// the whole file.

// section is one part of BENCHMARKS.md.
type section struct {
	name     string // the -sections name and the marker's
	measured bool   // runs scenarios; else text, rewritten by every run
	// render measures (for a measured section) and renders the markdown
	// between the markers, headings included; failures are checks that failed
	// (the bench exits 1 after writing the report).
	render func(b *bencher) (body string, failures []string, err error)
}

// sections is the order of the sections in BENCHMARKS.md.
var sections = []section{
	{name: "header", render: (*bencher).headerSection},
	{name: "summary", render: (*bencher).summarySection},
	{name: "cycle", measured: true, render: (*bencher).cycleSection},
	{name: "audit", measured: true, render: (*bencher).auditSection},
	{name: "query", measured: true, render: (*bencher).querySection},
	{name: "startup", measured: true, render: (*bencher).startupSection},
	{name: "faults", measured: true, render: (*bencher).faultsSection},
	{name: "ratelimit", measured: true, render: (*bencher).rateLimitSection},
	{name: "method", render: (*bencher).methodSection},
	{name: "reproduce", render: (*bencher).reproduceSection},
	{name: "notes", render: (*bencher).notesSection},
}

// measuredNames lists the sections -sections accepts.
func measuredNames() []string {
	var names []string
	for _, s := range sections {
		if s.measured {
			names = append(names, s.name)
		}
	}
	return names
}

// parseSections reads the -sections flag: "all", "none" (the text sections
// only) or a comma-separated list of measured sections.
func parseSections(spec string) (map[string]bool, error) {
	chosen := map[string]bool{}
	spec = strings.TrimSpace(spec)
	switch spec {
	case "", "all":
		for _, n := range measuredNames() {
			chosen[n] = true
		}
		return chosen, nil
	case "none":
		return chosen, nil
	}
	for _, f := range strings.Split(spec, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(measuredNames(), f) {
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
	case s.measured:
		how = "written by scripts/bench; `-sections " + s.name + "` rewrites only this section"
	}
	return beginMarker(s.name) + " " + how + " -->\n" + strings.TrimRight(body, "\n") + "\n\n" + endMarker(s.name) + "\n"
}

// span is where one section sits in a document: [begin, end), end just after
// the end marker's line.
type span struct{ begin, end int }

// findSections locates every section of doc. A section with neither marker is
// absent from the map; a marker without its partner, a marker found twice, an
// end before its begin or two sections overlapping is an error that says
// where, so that no run writes over a file it does not understand.
func findSections(doc string) (map[string]span, error) {
	found := map[string]span{}
	for _, s := range sections {
		begins, ends := markerLines(doc, beginMarker(s.name)), markerLines(doc, endMarker(s.name))
		switch {
		case len(begins) == 0 && len(ends) == 0:
			continue
		case len(begins) > 1 || len(ends) > 1:
			return nil, fmt.Errorf("the %s section's markers appear more than once (begin on lines %v, end on lines %v)",
				s.name, lineNumbers(doc, begins), lineNumbers(doc, ends))
		case len(ends) == 0:
			return nil, fmt.Errorf("the %s section begins on line %d but has no end marker %q",
				s.name, lineNumber(doc, begins[0]), endMarker(s.name))
		case len(begins) == 0:
			return nil, fmt.Errorf("the %s section ends on line %d but has no begin marker %q",
				s.name, lineNumber(doc, ends[0]), beginMarker(s.name)+" … -->")
		case ends[0] < begins[0]:
			return nil, fmt.Errorf("the %s section's end marker (line %d) comes before its begin marker (line %d)",
				s.name, lineNumber(doc, ends[0]), lineNumber(doc, begins[0]))
		}
		end := ends[0] + len(endMarker(s.name))
		if end < len(doc) && doc[end] == '\n' {
			end++
		}
		found[s.name] = span{begins[0], end}
	}
	for a, sa := range found {
		for b, sb := range found {
			if a < b && sa.begin < sb.end && sb.begin < sa.end {
				return nil, fmt.Errorf("the %s section (lines %d–%d) and the %s section (lines %d–%d) overlap",
					a, lineNumber(doc, sa.begin), lineNumber(doc, sa.end-1), b, lineNumber(doc, sb.begin), lineNumber(doc, sb.end-1))
			}
		}
	}
	return found, nil
}

// markerLines returns the offsets of marker where it starts a line.
func markerLines(doc, marker string) []int {
	var at []int
	for i := 0; ; {
		k := strings.Index(doc[i:], marker)
		if k < 0 {
			return at
		}
		if i+k == 0 || doc[i+k-1] == '\n' {
			at = append(at, i+k)
		}
		i += k + len(marker)
	}
}

func lineNumber(doc string, offset int) int { return strings.Count(doc[:offset], "\n") + 1 }

func lineNumbers(doc string, offsets []int) []int {
	out := make([]int, len(offsets))
	for i, o := range offsets {
		out[i] = lineNumber(doc, o)
	}
	return out
}

// errNoMarkers is mergeSections' answer for a non-empty document without a
// single section marker.
var errNoMarkers = errors.New("it has no section markers (<!-- bench:begin NAME: … -->)")

// mergeSections puts the rendered sections (name → wrapped text) into doc and
// leaves every other byte of it as it was. A rendered section replaces its
// markers and what lies between them; one that doc lacks is inserted after the
// nearest section before it in the order of sections that doc has (else
// before the nearest one after it), and a note says so. It returns the new
// document and one note per rendered section (replaced, unchanged or added).
func mergeSections(doc string, rendered map[string]string) (string, []string, error) {
	if strings.TrimSpace(doc) == "" {
		var sb strings.Builder
		for _, s := range sections {
			if text, ok := rendered[s.name]; ok {
				if sb.Len() > 0 {
					sb.WriteString("\n")
				}
				sb.WriteString(text)
			}
		}
		return sb.String(), nil, nil
	}
	found, err := findSections(doc)
	if err != nil {
		return "", nil, err
	}
	if len(found) == 0 {
		return "", nil, errNoMarkers
	}
	var notes []string
	for i, s := range sections {
		text, ok := rendered[s.name]
		if !ok {
			continue
		}
		if sp, ok := found[s.name]; ok {
			if doc[sp.begin:sp.end] == text {
				notes = append(notes, s.name+": unchanged")
				continue
			}
			doc = doc[:sp.begin] + text + doc[sp.end:]
			shift(found, sp, len(text)-(sp.end-sp.begin))
			found[s.name] = span{sp.begin, sp.begin + len(text)}
			notes = append(notes, s.name+": replaced")
			continue
		}
		// Absent: after the nearest earlier section present, else before the
		// nearest later one.
		at, where := -1, ""
		for j := i - 1; j >= 0 && at < 0; j-- {
			if sp, ok := found[sections[j].name]; ok {
				at, where = sp.end, "after the "+sections[j].name+" section"
				text = "\n" + text
			}
		}
		for j := i + 1; j < len(sections) && at < 0; j++ {
			if sp, ok := found[sections[j].name]; ok {
				at, where = sp.begin, "before the "+sections[j].name+" section"
				text += "\n"
			}
		}
		doc = doc[:at] + text + doc[at:]
		shift(found, span{at, at}, len(text))
		found[s.name] = span{at, at + len(text)}
		notes = append(notes, s.name+": added (the file had no such section), "+where)
	}
	return doc, notes, nil
}

// shift moves the spans at or after the old span by delta bytes.
func shift(found map[string]span, old span, delta int) {
	for name, sp := range found {
		if sp.begin >= old.end {
			found[name] = span{sp.begin + delta, sp.end + delta}
		}
	}
}

// measurement is what a measured section states about its own run: sections
// can be measured in different runs, so the header says nothing about when.
type measurement struct {
	began    time.Time
	took     time.Duration
	repeat   int
	latency  time.Duration
	quick    bool
	machine  machine
	failures []string
}

func (b *bencher) startMeasurement() measurement {
	return measurement{began: time.Now(), repeat: b.o.repeat, latency: b.o.latency, quick: b.o.quick, machine: b.machine}
}

// done records the section's run time and failed checks.
func (m measurement) done(failures []string) measurement {
	m.took, m.failures = time.Since(m.began), failures
	return m
}

// line is the sentence under a measured section's heading.
func (m measurement) line() string {
	var sb strings.Builder
	if m.quick {
		sb.WriteString("**Quick smoke run (`-quick`): not the published figures.**\n\n")
	}
	fmt.Fprintf(&sb, "Measured %s, provider commit %s, %s, %s, fake API latency %s, repeats: %d (times are medians, min–max in brackets)",
		m.began.UTC().Format("2006-01-02 15:04 MST"), m.machine.commit, m.machine.tofu, m.machine.goVersion, m.latency, m.repeat)
	if m.took > 0 {
		fmt.Fprintf(&sb, "; this section took %s", m.took.Round(time.Second))
	}
	sb.WriteString(".\n")
	return sb.String()
}

// failed lists the section's failed checks, if any, at its end.
func (m measurement) failed() string {
	if len(m.failures) == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\n**Failed checks** (the bench exited 1):\n\n")
	for _, f := range m.failures {
		fmt.Fprintf(&sb, "- %s\n", strings.ReplaceAll(f, "\n", " "))
	}
	return sb.String()
}
