package clirun

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ConfigFile is the name of the CLI configuration WriteConfig writes.
const ConfigFile = "dev.tfrc"

// RequiredProviders is the terraform block that ties the elevenlabs local
// name to this provider, written as users write it: a bare source, which
// OpenTofu reads as registry.opentofu.org/voicegate/elevenlabs and Terraform
// as registry.terraform.io/voicegate/elevenlabs (WriteConfig overrides both).
const RequiredProviders = `terraform {
  required_providers {
    elevenlabs = { source = "voicegate/elevenlabs" }
  }
}
`

// WriteConfig writes dir/dev.tfrc, the CLI configuration that points this
// provider's two registry addresses at the binary terraform-provider-elevenlabs
// in providerDir through dev_overrides (so plain CLI runs need no init, no
// registry and no network; other providers install as usual), and returns its
// path. It is the one writer of that file: the Go tools call it, the bash
// scripts through cmd/dev-cli-config.
func WriteConfig(dir, providerDir string) (string, error) {
	abs, err := filepath.Abs(providerDir)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		fmt.Fprintf(&b, "    %q = %q\n", host+"/voicegate/elevenlabs", abs)
	}
	b.WriteString("  }\n  direct {}\n}\n")
	path := filepath.Join(dir, ConfigFile)
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}

// steering are the prefixes of the variables that steer the CLI (TF_*), the
// provider (ELEVENLABS_*) or the live check (TESTLIVE_*): no run inherits them.
var steering = []string{"TF_", "ELEVENLABS_", "TESTLIVE_"}

// CleanEnv is this process's environment without any variable that steers
// the CLI, the provider or the live check.
func CleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		clean := true
		for _, p := range steering {
			clean = clean && !strings.HasPrefix(k, p)
		}
		if clean {
			env = append(env, kv)
		}
	}
	return env
}

// Env is the environment of a CLI run: CleanEnv, the CLI configuration at
// config, TF_IN_AUTOMATION=1 and CHECKPOINT_DISABLE=1 (no version check over
// the network), then extra ("KEY=value"; a later entry wins over an earlier
// one with the same key).
func Env(config string, extra ...string) []string {
	env := append(CleanEnv(), "TF_CLI_CONFIG_FILE="+config, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return append(env, extra...)
}
