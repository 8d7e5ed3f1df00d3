// Command terraform-provider-elevenlabs is the ElevenLabs Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/provider"
)

// Generate the docs: `make docs` (see GNUmakefile).

// version is set at build time by goreleaser or `make build`.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	tuneProcess() // tuning.go: logs off unless asked, GOGC

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/voicegate/elevenlabs",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
