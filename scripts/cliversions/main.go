// Command cliversions answers from the one table of supported CLI versions
// (internal/cliversions), run from the repository root:
//
//	go run ./scripts/cliversions clis          the pinned CLIs make test runs: "LABEL BIN" lines
//	go run ./scripts/cliversions lacks LINE    the features the CLI lacks, one a line
//	go run ./scripts/cliversions skips LINE    the tests allowed to skip with that CLI, one a line
//	go run ./scripts/cliversions docs          writes the table into README.md, templates/index.md.tmpl and CONTRIBUTING.md
//	go run ./scripts/cliversions docs -check   fails when a file's table is stale
//	go run ./scripts/cliversions matrix        the pinned CLIs as a GitHub Actions matrix (JSON)
//	go run ./scripts/cliversions version LABEL the version of one pinned CLI ("opentofu": 1.12.6)
//
// LINE is the first line of the CLI's `version` output: "Terraform v1.15.0" or
// "OpenTofu v1.12.6". scripts/test.sh, scripts/docs.sh and .github/workflows/test.yml use it.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/go-version"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/cliversions"
)

// The files that hold the table, and whether each gets the contributors'
// version (with the pins).
var docFiles = []struct {
	path            string
	forContributors bool
}{
	{"README.md", false},
	{"templates/index.md.tmpl", false},
	{"CONTRIBUTING.md", true},
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cliversions:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: cliversions clis | lacks LINE | skips LINE | docs [-check] | matrix | version LABEL")
	}
	switch cmd := args[0]; {
	case cmd == "lacks" && len(args) == 2, cmd == "skips" && len(args) == 2:
		cli, v, err := parseLine(args[1])
		if err != nil {
			return err
		}
		if cmd == "skips" {
			for _, name := range cliversions.AllowedSkips(cli, v) {
				fmt.Println(name)
			}
			return nil
		}
		for _, f := range cliversions.Lacking(cli, v) {
			fmt.Println(f.Name)
		}
		return nil
	case cmd == "clis" && len(args) == 1:
		pinned, err := cliversions.ReadPins(".")
		if err != nil {
			return err
		}
		for _, p := range pinned {
			fmt.Println(p.Label, p.Bin)
		}
		return nil
	case cmd == "matrix" && len(args) == 1:
		return matrix()
	case cmd == "version" && len(args) == 2:
		pinned, err := cliversions.ReadPins(".")
		if err != nil {
			return err
		}
		for _, p := range pinned {
			if p.Label == args[1] {
				fmt.Println(p.Version)
				return nil
			}
		}
		return fmt.Errorf("no pinned CLI is labelled %q", args[1])
	case cmd == "docs" && (len(args) == 1 || len(args) == 2 && args[1] == "-check"):
		return docs(len(args) == 2)
	}
	return fmt.Errorf("unknown arguments %q", args)
}

// parseLine reads "Terraform v1.15.0" or "OpenTofu v1.12.6".
func parseLine(line string) (cliversions.CLI, *version.Version, error) {
	name, v, ok := strings.Cut(strings.TrimSpace(line), " v")
	cli := cliversions.CLI(name)
	if !ok || cli != cliversions.Terraform && cli != cliversions.OpenTofu {
		return "", nil, fmt.Errorf("%q is not a `version` line such as \"Terraform v1.15.0\" or \"OpenTofu v1.12.6\"", line)
	}
	parsed, err := version.NewVersion(v)
	if err != nil {
		return "", nil, fmt.Errorf("%q: %w", line, err)
	}
	return cli, parsed, nil
}

func docs(check bool) error {
	pinned, err := cliversions.ReadPins(".")
	if err != nil {
		return err
	}
	var stale []string
	for _, f := range docFiles {
		b, err := os.ReadFile(f.path)
		if err != nil {
			return err
		}
		text, err := cliversions.Replace(string(b), cliversions.Markdown(pinned, f.forContributors))
		if err != nil {
			return fmt.Errorf("%s: %w", f.path, err)
		}
		if text == string(b) {
			continue
		}
		if check {
			stale = append(stale, f.path)
			continue
		}
		if err := os.WriteFile(f.path, []byte(text), 0o644); err != nil {
			return err
		}
		fmt.Println("cliversions: wrote the table of supported CLI versions into", f.path)
	}
	if len(stale) > 0 {
		return fmt.Errorf("the table of supported CLI versions in %s differs from internal/cliversions and the pinned CLIs: run `make docs` and commit the result", strings.Join(stale, " and "))
	}
	return nil
}

// matrix prints {"include":[{"cli":"terraform","version":"1.15.0"},...]}: one
// acceptance job per pinned CLI, with the released binary of that version.
func matrix() error {
	pinned, err := cliversions.ReadPins(".")
	if err != nil {
		return err
	}
	type job struct {
		CLI     string `json:"cli"`
		Version string `json:"version"`
	}
	var m struct {
		Include []job `json:"include"`
	}
	for _, p := range pinned {
		m.Include = append(m.Include, job{strings.ToLower(string(p.CLI)), p.Version.String()})
	}
	return json.NewEncoder(os.Stdout).Encode(m)
}
