package main

import (
	"strings"
	"testing"
)

func TestReplaceRateLimitSection(t *testing.T) {
	section := "\n" + rateBegin + "\n## Rate limits\nnew\n" + rateEnd + "\n"
	full := "# Benchmarks\n\n## 429 scenario\n\nx\n\n" + whatHeading + "\n\nrows\n"
	got := replaceRateLimitSection(full, section)
	if want := "# Benchmarks\n\n## 429 scenario\n\nx\n\n" + rateBegin + "\n## Rate limits\nnew\n" + rateEnd + "\n\n" + whatHeading + "\n\nrows\n"; got != want {
		t.Fatalf("insert:\n%q\nwant\n%q", got, want)
	}
	again := replaceRateLimitSection(got, "\n"+rateBegin+"\nnewer\n"+rateEnd+"\n")
	if strings.Contains(again, "\nnew\n") || strings.Count(again, rateBegin) != 1 || !strings.Contains(again, "\nnewer\n") ||
		!strings.HasSuffix(again, rateEnd+"\n\n"+whatHeading+"\n\nrows\n") {
		t.Fatalf("replace:\n%q", again)
	}
}

func TestRefreshNotes(t *testing.T) {
	first, _, _ := strings.Cut(strings.TrimLeft(notes, "\n"), "\n")
	doc := "# Benchmarks\n\ntables\n\n" + first + "\n\nold notes\n"
	got := refreshNotes(doc)
	if got != "# Benchmarks\n\ntables\n\n"+strings.TrimLeft(notes, "\n") {
		t.Fatalf("refreshNotes did not put notes.md in place of the old notes:\n%s", got)
	}
	if refreshNotes("no notes here\n") != "no notes here\n" {
		t.Fatal("a doc without the notes heading changed")
	}
}
