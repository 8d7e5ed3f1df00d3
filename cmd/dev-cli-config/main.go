// Command dev-cli-config writes the CLI configuration that points OpenTofu or
// Terraform at a locally built provider through dev_overrides, and prints its
// path. It is how the bash scripts (scripts/dev-overrides.sh) reach the one
// writer of that file, internal/clirun.WriteConfig, which the CLI tests, the
// bench and the live check call directly.
//
//	go run ./cmd/dev-cli-config DIR PROVIDER_DIR   # writes DIR/dev.tfrc
package main

import (
	"fmt"
	"os"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: dev-cli-config DIR PROVIDER_DIR")
		os.Exit(2)
	}
	path, err := clirun.WriteConfig(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "dev-cli-config:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}
