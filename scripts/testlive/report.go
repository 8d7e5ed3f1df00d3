package main

import (
	"fmt"
	"strings"
)

// cell makes s safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "\n", "<br>")
	s = strings.ReplaceAll(s, "|", `\|`)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	if s == "" {
		return "-"
	}
	return s
}

// Markdown renders the report as two tables: the lifecycle steps, and the
// unconfirmed points of CONTRACT.md with what the API answered (for the
// contract document).
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Live check, %s, %s, %s\n\n", r.Started.Format("2006-01-02"), r.Host, r.CLIVersion)
	fmt.Fprintf(&b, "Throwaway agent %s, deleted afterwards: %v.\n\n", cell(r.AgentID), r.Deleted)
	b.WriteString("| step | result | detail |\n| --- | --- | --- |\n")
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(s.Name), s.Status, cell(s.Detail))
	}
	if len(r.Probes) > 0 {
		fmt.Fprintf(&b, "\n### Unconfirmed points, as %s answered (%s)\n\n", r.Host, r.Started.Format("2006-01-02"))
		b.WriteString("| point | request | status | answer | afterwards | our decision (CONTRACT.md) |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, p := range r.Probes {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", cell(p.Point), cell(p.Request), cell(p.Status), cell(p.Answer), cell(p.After), cell(p.Decision))
		}
	}
	return b.String()
}
