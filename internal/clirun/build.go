package clirun

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// BuildProvider builds the provider of the repository at root into a
// temporary directory, once per process, and returns that directory (for
// WriteConfig). Only tests call it (the tools take the binary make built),
// but tests of two packages do (internal/provider's CLI tests and
// scripts/testlive's), and a _test.go file cannot be imported: so it lives
// here, once.
func BuildProvider(root string) (string, error) {
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "elevenlabs-provider-bin-"); buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(buildDir, "terraform-provider-elevenlabs"), root).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	return buildDir, buildErr
}
