// Package mdtable writes Markdown tables, the one way the support tools do:
// the bench's sections of BENCHMARKS.md (scripts/bench) and the live check's
// report (scripts/testlive).
package mdtable

import "strings"

// Column is a table's column: its header, and whether its cells (numbers)
// are aligned right.
type Column struct {
	Head  string
	Right bool
}

// String renders the header, the alignment row and the rows. A cell's pipes
// are escaped and its line breaks become <br>, so a cell never breaks the table.
func String(cols []Column, rows [][]string) string {
	var b strings.Builder
	line := func(cells []string) {
		for _, c := range cells {
			b.WriteString(strings.TrimRight("| "+cell.Replace(c), " ") + " ")
		}
		b.WriteString("|\n")
	}
	heads, align := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		heads[i], align[i] = c.Head, "---"
		if c.Right {
			align[i] = "---:"
		}
	}
	line(heads)
	line(align)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

var cell = strings.NewReplacer("\r", "", "\n", "<br>", "|", `\|`)
