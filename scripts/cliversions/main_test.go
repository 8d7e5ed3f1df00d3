package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/cliversions"
)

func TestParseLine(t *testing.T) {
	for line, want := range map[string]string{
		"Terraform v1.15.0":        "Terraform 1.15.0",
		"OpenTofu v1.12.6":         "OpenTofu 1.12.6",
		"OpenTofu v1.12.0-beta1\n": "OpenTofu 1.12.0-beta1",
		"terraform v1.15.0":        "",
		"Terraform 1.15.0":         "",
		"OpenTofu v":               "",
		"":                         "",
	} {
		cli, v, err := parseLine(line)
		if want == "" {
			if err == nil {
				t.Errorf("parseLine(%q) = %s %s, want an error", line, cli, v)
			}
			continue
		}
		if err != nil || string(cli)+" "+v.String() != want {
			t.Errorf("parseLine(%q) = %s %v, %v; want %s", line, cli, v, err, want)
		}
	}
}

// docs -check passes on the repository as committed, and fails on a copy whose
// table is stale, naming the file.
func TestDocsCheck(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	if err := run([]string{"docs", "-check"}); err != nil {
		t.Fatalf("docs -check on the repository: %v (run make docs)", err)
	}

	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	pinned, err := cliversions.ReadPins(root)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range docFiles {
		files = append(files, f.path)
	}
	for _, p := range pinned {
		files = append(files, p.File)
	}
	dir := t.TempDir()
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "README.md" {
			b = []byte(strings.Replace(string(b), cliversions.BeginMarker+"\n", cliversions.BeginMarker+"\n| stale |\n", 1))
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	if err := run([]string{"docs", "-check"}); err == nil || !strings.Contains(err.Error(), "README.md") || strings.Contains(err.Error(), "index.md.tmpl") {
		t.Errorf("docs -check with a stale README: %v, want an error naming README.md only", err)
	}
	if err := run([]string{"docs"}); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"docs", "-check"}); err != nil {
		t.Errorf("docs -check after docs: %v", err)
	}
}
