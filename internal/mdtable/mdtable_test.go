package mdtable

import "testing"

func TestString(t *testing.T) {
	got := String([]Column{{Head: "name"}, {Head: "n", Right: true}, {Head: "note"}},
		[][]string{{"a", "1", "two\r\nlines"}, {"b|c", "22", ""}})
	want := "| name | n | note |\n| --- | ---: | --- |\n| a | 1 | two<br>lines |\n| b\\|c | 22 | |\n"
	if got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}
