package main

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/mdtable"
)

// Markdown renders the report as two tables: the lifecycle steps, and the
// unconfirmed points of CONTRACT.md with what the API answered (for the
// contract document).
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Live check, %s, %s, %s\n\n", r.Started.Format("2006-01-02"), r.Host, r.CLIVersion)
	fmt.Fprintf(&b, "Throwaway agent %s, deleted afterwards: %v.\n\n", cell(r.AgentID), r.Deleted)
	var rows [][]string
	for _, s := range r.Steps {
		rows = append(rows, []string{cell(s.Name), s.Status, cell(s.Detail)})
	}
	b.WriteString(mdtable.String([]mdtable.Column{{Head: "step"}, {Head: "result"}, {Head: "detail"}}, rows))
	if len(r.Probes) > 0 {
		fmt.Fprintf(&b, "\n### Unconfirmed points, as %s answered (%s)\n\n", r.Host, r.Started.Format("2006-01-02"))
		rows = nil
		for _, p := range r.Probes {
			rows = append(rows, []string{cell(p.Point), cell(p.Request), cell(p.Status), cell(p.Answer), cell(p.After), cell(p.Decision)})
		}
		b.WriteString(mdtable.String([]mdtable.Column{{Head: "point"}, {Head: "request"}, {Head: "status"}, {Head: "answer"},
			{Head: "afterwards"}, {Head: "our decision (CONTRACT.md)"}}, rows))
	}
	return b.String()
}

// cell shortens s for a table cell, and shows an empty one as "-".
func cell(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return cmp.Or(s, "-")
}
