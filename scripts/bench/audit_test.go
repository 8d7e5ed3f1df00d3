package main

import (
	"strings"
	"testing"
)

func TestReplaceAuditSection(t *testing.T) {
	section := auditBegin + "\nnew\n" + auditEnd + "\n"
	full := "# Benchmarks\n\n## Targets\n\n" + startupHeading + "\n\nstart-up\n"
	got := replaceAuditSection(full, section)
	if want := "# Benchmarks\n\n## Targets\n\n" + section + "\n" + startupHeading + "\n\nstart-up\n"; got != want {
		t.Fatalf("insert:\n%q\nwant\n%q", got, want)
	}
	again := replaceAuditSection(got, auditBegin+"\nnewer\n"+auditEnd+"\n")
	if strings.Contains(again, "\nnew\n") || strings.Count(again, auditBegin) != 1 || !strings.Contains(again, "\nnewer\n") ||
		!strings.HasSuffix(again, startupHeading+"\n\nstart-up\n") {
		t.Fatalf("replace:\n%s", again)
	}
	if got := replaceAuditSection("", section); got != "\n\n"+section {
		t.Fatalf("empty doc: %q", got)
	}
}
