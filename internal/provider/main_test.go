package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestMain makes terraform-plugin-testing work with the pinned OpenTofu (or any
// CLI named by TF_ACC_TERRAFORM_PATH) on a machine without network:
//   - TF_ACC_TERRAFORM_PATH defaults to the repo's bin/tofu (built by `make tofu`);
//   - TF_ACC_PROVIDER_HOST=registry.opentofu.org when the CLI is OpenTofu, never for terraform;
//   - TF_CLI_CONFIG_FILE points at an existing, empty file when it is unset or missing;
//   - TF_ACC_TERRAFORM_VERSION is refused: it would download a CLI.
//
// With ELEVENLABS_REQUIRE_ACC=1 (set by `make test`) a missing TF_ACC or CLI is an
// error instead of a silent skip.
func TestMain(m *testing.M) {
	if err := setupCLI(); err != nil {
		fmt.Fprintln(os.Stderr, "acceptance test setup:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func setupCLI() error {
	require := os.Getenv("ELEVENLABS_REQUIRE_ACC") != ""
	if os.Getenv("TF_ACC") == "" {
		if require {
			return fmt.Errorf("ELEVENLABS_REQUIRE_ACC is set but TF_ACC is not: the acceptance tests would skip")
		}
		return nil
	}
	if os.Getenv("TF_ACC_TERRAFORM_VERSION") != "" {
		return fmt.Errorf("TF_ACC_TERRAFORM_VERSION is set: it makes terraform-plugin-testing download a CLI, which this project never does; unset it")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		cli, _ = filepath.Abs(filepath.Join("..", "..", "bin", "tofu"))
	}
	if _, err := exec.LookPath(cli); err != nil {
		return fmt.Errorf("no Terraform CLI at %s: run `make tofu`, or set TF_ACC_TERRAFORM_PATH (%v)", cli, err)
	}
	os.Setenv("TF_ACC_TERRAFORM_PATH", cli)
	if isOpenTofu(cli) {
		os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	} else {
		os.Unsetenv("TF_ACC_PROVIDER_HOST")
	}
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f == "" || !fileExists(f) {
		dir, err := os.MkdirTemp("", "elevenlabs-acc-cli")
		if err != nil {
			return err
		}
		path := filepath.Join(dir, "cli.tfrc")
		if err := os.WriteFile(path, []byte("# empty CLI config for acceptance tests\n"), 0o600); err != nil {
			return err
		}
		os.Setenv("TF_CLI_CONFIG_FILE", path)
	}
	return nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
