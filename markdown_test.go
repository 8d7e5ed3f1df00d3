package main

import (
	"os"
	"os/exec"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The repository's Markdown is read on GitHub and in the registry: every
// relative link must reach a file or folder of the repository, and every
// #anchor a heading of that file.

// trackedFiles lists the repository's files as git knows them.
func trackedFiles(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("git", "ls-files").Output()
	if err != nil {
		t.Skipf("git ls-files: %v (needs a git checkout)", err)
	}
	return strings.Fields(string(out))
}

var (
	fence    = regexp.MustCompile("^\\s*(```|~~~)")
	codeSpan = regexp.MustCompile("`[^`]*`")
	link     = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	heading  = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)
	htmlID   = regexp.MustCompile(`<a (?:id|name)="([^"]+)"`)
)

// prose returns the lines of a Markdown document, those of fenced code
// blocks blanked.
func prose(doc string) []string {
	lines := strings.Split(doc, "\n")
	in := false
	for i, l := range lines {
		if fence.MatchString(l) {
			in = !in
			lines[i] = ""
		} else if in {
			lines[i] = ""
		}
	}
	return lines
}

// anchors returns the #fragments of doc: the ones GitHub gives its headings
// (lower case, punctuation dropped, spaces as hyphens, -1, -2... for
// repeats) and the ids of its <a id="..."> tags (tfplugindocs writes them).
func anchors(doc string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, l := range prose(doc) {
		for _, m := range htmlID.FindAllStringSubmatch(l, -1) {
			out[m[1]] = true
		}
		m := heading.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteRune('-')
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out[a+"-"+strconv.Itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

func TestMarkdownLinksResolve(t *testing.T) {
	files := trackedFiles(t)
	exists := map[string]bool{}
	for _, f := range files {
		for d := f; d != "."; d = path.Dir(d) {
			exists[d] = true
		}
	}
	checked := 0
	for _, file := range files {
		// templates/ becomes docs/, where its links resolve and are checked.
		if !strings.HasSuffix(file, ".md") || strings.HasPrefix(file, "templates/") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range prose(string(b)) {
			for _, m := range link.FindAllStringSubmatch(codeSpan.ReplaceAllString(l, ""), -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				checked++
				where, fragment, _ := strings.Cut(target, "#")
				dest := file
				if where != "" {
					dest = path.Join(path.Dir(file), where)
					if !exists[dest] {
						t.Errorf("%s:%d: link %q: no such file or folder in the repository", file, i+1, target)
						continue
					}
				}
				if fragment == "" {
					continue
				}
				doc, err := os.ReadFile(dest)
				if err != nil || !anchors(string(doc))[fragment] {
					t.Errorf("%s:%d: link %q: %s has no heading #%s", file, i+1, target, dest, fragment)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no relative link found in any Markdown file")
	}
}

// CONTRIBUTING.md's layout table names every folder of the repository: each
// top-level one, and each one under cmd/, internal/, scripts/ and tools/.
func TestContributingLayoutNamesEveryFolder(t *testing.T) {
	b, err := os.ReadFile("CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "\n## Layout\n")
	if !ok {
		t.Fatal(`CONTRIBUTING.md has no "## Layout" section`)
	}
	var named []string
	for _, l := range strings.Split(table, "\n") {
		if first, _, ok := strings.Cut(strings.TrimPrefix(l, "| "), " |"); ok && strings.HasPrefix(l, "| ") {
			for _, p := range strings.Split(first, ",") {
				named = append(named, strings.TrimSuffix(strings.Trim(strings.TrimSpace(p), "`"), "/"))
			}
		}
	}
	var missing []string
	for _, f := range trackedFiles(t) {
		parts := strings.Split(f, "/")
		var dir string
		switch {
		case len(parts) < 2:
			continue
		case slices.Contains([]string{"cmd", "internal", "scripts", "tools"}, parts[0]) && len(parts) > 2:
			dir = parts[0] + "/" + parts[1]
		case len(parts) >= 2 && !slices.Contains([]string{"cmd", "internal", "scripts", "tools"}, parts[0]):
			dir = parts[0]
		default:
			continue
		}
		if !slices.Contains(named, dir) && !slices.Contains(missing, dir) {
			missing = append(missing, dir)
		}
	}
	if len(missing) > 0 {
		t.Errorf("CONTRIBUTING.md, Layout: no row names %s", strings.Join(missing, ", "))
	}
}
