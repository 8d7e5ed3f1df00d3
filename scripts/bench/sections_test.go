package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func sectionByName(t *testing.T, name string) section {
	t.Helper()
	for _, s := range sections {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no section %q", name)
	return section{}
}

// testDoc is a whole report as a full run writes it, one line per section.
func testDoc(t *testing.T, bodies map[string]string) (string, map[string]string) {
	t.Helper()
	rendered := map[string]string{}
	for _, s := range sections {
		body, ok := bodies[s.name]
		if !ok {
			body = "## " + s.name + "\n\nold " + s.name + " figures\n"
		}
		rendered[s.name] = wrap(s, body)
	}
	doc, notes, err := mergeSections("", rendered)
	if err != nil || notes != nil {
		t.Fatalf("fresh document: %v %v", notes, err)
	}
	return doc, rendered
}

func TestMergeSectionsReplacesOnlyItsOwn(t *testing.T) {
	doc, old := testDoc(t, nil)
	audit := wrap(sectionByName(t, "audit"), "## audit\n\nnew audit figures\nover two lines\n")
	got, notes, err := mergeSections(doc, map[string]string{"audit": audit})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(doc, old["audit"], audit, 1); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// Every other section is byte-identical, and so is what lies between them.
	before, after, _ := strings.Cut(doc, old["audit"])
	if !strings.HasPrefix(got, before) || !strings.HasSuffix(got, after) {
		t.Fatalf("bytes outside the audit section changed:\n%s", got)
	}
	if len(notes) != 1 || notes[0] != "audit: replaced" {
		t.Fatalf("notes: %q", notes)
	}
	// Rendering the same section again changes nothing and says so.
	again, notes, err := mergeSections(got, map[string]string{"audit": audit})
	if err != nil || again != got || notes[0] != "audit: unchanged" {
		t.Fatalf("re-render of an unchanged section: %q %v\n%s", notes, err, again)
	}
}

func TestMergeSectionsSeveralAndHandEdits(t *testing.T) {
	doc, old := testDoc(t, nil)
	// Text outside the markers is kept, as is every section not rendered.
	doc = strings.Replace(doc, old["faults"], old["faults"]+"\nA stray hand-written line.\n", 1)
	fresh := map[string]string{
		"header":    wrap(sectionByName(t, "header"), "# Benchmarks, new header\n"),
		"ratelimit": wrap(sectionByName(t, "ratelimit"), "## ratelimit\n\nnew\n"),
		"notes":     wrap(sectionByName(t, "notes"), "## notes\n\nnew notes\n"),
	}
	got, _, err := mergeSections(doc, fresh)
	if err != nil {
		t.Fatal(err)
	}
	want := doc
	for name, text := range fresh {
		want = strings.Replace(want, old[name], text, 1)
	}
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(got, "\nA stray hand-written line.\n") {
		t.Fatal("text outside the markers was dropped")
	}
}

func TestMergeSectionsMissingSection(t *testing.T) {
	doc, old := testDoc(t, nil)
	// A file without the audit section gets it where a full run puts it,
	// between cycle and startup, and the note says so.
	without := strings.Replace(doc, old["audit"]+"\n", "", 1)
	audit := wrap(sectionByName(t, "audit"), "## audit\n\nold audit figures\n")
	got, notes, err := mergeSections(without, map[string]string{"audit": audit})
	if err != nil {
		t.Fatal(err)
	}
	if got != doc {
		t.Fatalf("inserted in the wrong place:\n%s\nwant\n%s", got, doc)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "audit: added") || !strings.Contains(notes[0], "after the cycle section") {
		t.Fatalf("notes: %q", notes)
	}
	// With nothing before it, a section goes before the first one after it.
	noHeader := strings.Replace(doc, old["header"]+"\n", "", 1)
	got, notes, err = mergeSections(noHeader, map[string]string{"header": old["header"]})
	if err != nil || got != doc || !strings.Contains(notes[0], "before the summary section") {
		t.Fatalf("header insert: %q %v\n%s", notes, err, got)
	}
}

func TestMergeSectionsRefusesBrokenMarkers(t *testing.T) {
	doc, old := testDoc(t, nil)
	audit := wrap(sectionByName(t, "audit"), "## audit\n\nnew\n")
	lineOf := func(marker string) string {
		before, _, _ := strings.Cut(doc, marker)
		return fmt.Sprintf("line %d", strings.Count(before, "\n")+1)
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"no end marker", strings.Replace(doc, endMarker("audit")+"\n", "", 1),
			"the audit section begins on " + lineOf(beginMarker("audit")) + " but has no end marker \"<!-- bench:end audit -->\""},
		{"no begin marker", strings.Replace(doc, strings.SplitAfter(old["audit"], "\n")[0], "", 1),
			"the audit section ends on line"},
		{"twice", doc + old["audit"], "the audit section's markers appear more than once"},
		{"end before begin", strings.Replace(doc, old["audit"], endMarker("audit")+"\n"+beginMarker("audit")+" x -->\n", 1),
			"the audit section ends on " + lineOf(old["audit"]) + " but has no begin marker"},
		{"overlap", strings.Replace(doc, endMarker("cycle")+"\n", "", 1) + endMarker("cycle") + "\n", "overlap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := mergeSections(tc.doc, map[string]string{"audit": audit})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q\n%s", err, tc.want, got)
			}
		})
	}
	// A file with no marker at all (hand-written, or from an older bench).
	if _, _, err := mergeSections("# Benchmarks\n\nold tables\n", map[string]string{"audit": audit}); !errors.Is(err, errNoMarkers) {
		t.Fatalf("file without markers: err = %v", err)
	}
}

func TestParseSections(t *testing.T) {
	all, err := parseSections("all")
	if err != nil || len(all) != len(measuredNames()) {
		t.Fatalf("all: %v %v", all, err)
	}
	none, err := parseSections("none")
	if err != nil || len(none) != 0 {
		t.Fatalf("none: %v %v", none, err)
	}
	some, err := parseSections("audit, ratelimit")
	if err != nil || len(some) != 2 || !some["audit"] || !some["ratelimit"] {
		t.Fatalf("audit, ratelimit: %v %v", some, err)
	}
	for _, bad := range []string{"notes", "header", "audits", "audit,"} {
		if _, err := parseSections(bad); err == nil || !strings.Contains(err.Error(), "unknown section") {
			t.Fatalf("%q: err = %v", bad, err)
		}
	}
}

func TestReadReport(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/BENCHMARKS.md"
	doc, _ := testDoc(t, nil)
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if content, err := readReport(path); err != nil || content != doc {
		t.Fatalf("readReport: %v", err)
	}
	// A partial run refuses, before measuring, a file it cannot read.
	broken := strings.Replace(doc, endMarker("cycle")+"\n", "", 1)
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := readReport(path)
	if err == nil || !strings.Contains(err.Error(), path+": the cycle section begins on line") ||
		!strings.Contains(err.Error(), "run every section (make bench)") {
		t.Fatalf("err = %v", err)
	}
	if err := os.WriteFile(path, []byte("# Benchmarks\n\nby hand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readReport(path); err == nil || !strings.Contains(err.Error(), "no section markers") {
		t.Fatalf("err = %v", err)
	}
	// No file yet: a partial run starts one.
	if content, err := readReport(dir + "/none.md"); err != nil || content != "" {
		t.Fatalf("missing file: %q %v", content, err)
	}
}

func TestTextSections(t *testing.T) {
	b := &bencher{machine: machine{CPUs: "2", Memory: "1.0 GiB", CPU: "test CPU"}}
	for _, name := range []string{"notes", "summary"} {
		text, _ := os.ReadFile(name + ".md")
		if body, _, err := b.render(sectionByName(t, name)); err != nil || body != strings.Trim(string(text), "\n")+"\n" {
			t.Fatalf("the %s section is not %s.md as written: %v\n%s", name, name, err, body)
		}
	}
	body, _, err := b.render(sectionByName(t, "reproduce"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range measuredNames() {
		if !strings.Contains(body, "`"+name+"`") {
			t.Errorf("How to reproduce does not name the %s section:\n%s", name, body)
		}
	}
	// A section's body never holds a marker of its own, at a line start.
	for _, s := range sections {
		if s.measured() {
			continue
		}
		body, _, err := b.render(s)
		if err != nil {
			t.Fatal(err)
		}
		if parts, err := splitSections(body); err != nil || len(parts) != 1 {
			t.Errorf("the %s section's text holds markers: %v", s.name, err)
		}
	}
}

// TestMeasuredTemplates renders every measured section's template from a
// page, as the bench fills it, without measuring: each says what it was
// given and nothing is missing.
func TestMeasuredTemplates(t *testing.T) {
	p := page{Machine: machine{CPUs: "2"}, Latency: 50 * time.Millisecond, Repeat: 3, Line: "LINE.\n", N: 7,
		Tables: []string{"| TABLE0 |\n", "| TABLE1 |\n"}, Target: "TARGET. ", Failed: "\n**Failed checks** (the bench exited 1):\n\n- F\n"}
	for _, s := range sections {
		if !s.measured() {
			continue
		}
		var sb strings.Builder
		if err := tmpl.ExecuteTemplate(&sb, s.name, p); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		body := sb.String()
		for _, want := range []string{"## ", "\nLINE.\n\n", "| TABLE0 |\n\n", "- F\n"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: no %q in\n%s", s.name, want, body)
			}
		}
		if strings.Contains(body, "<no value>") || strings.HasSuffix(body, "\n\n") {
			t.Errorf("%s: a missing value or a trailing blank line:\n%s", s.name, body)
		}
	}
}

func TestMeasuredLine(t *testing.T) {
	b := &bencher{o: options{repeat: 3, latency: 50 * time.Millisecond}, machine: machine{commit: "abc1234", goVersion: "go1.26.8"}}
	began := time.Date(2026, 11, 29, 1, 27, 0, 0, time.UTC)
	want := "Measured 2026-11-29 01:27 UTC, provider commit abc1234, OpenTofu v1.12.6, go1.26.8, fake API latency 50ms, " +
		"repeats: 3 (times are medians, min–max in brackets); this section took 1m15s.\n"
	if got := b.measuredLine(began, 75*time.Second, "OpenTofu v1.12.6"); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	b.o.quick = true
	if got := b.measuredLine(began, 0, ""); !strings.HasPrefix(got, "**Quick smoke run") {
		t.Fatalf("a quick run's line does not say so: %q", got)
	}
	if failedList(nil) != "" {
		t.Fatal("no failures, yet a failed-checks list")
	}
	if got := failedList([]string{"N=10 plan (run 1): GET: 9, want 10\nmore"}); !strings.Contains(got, "- N=10 plan (run 1): GET: 9, want 10 more\n") {
		t.Fatalf("failed checks: %q", got)
	}
}
