# Sourced by the bash scripts that run the CLI with a locally built provider
# (scripts/docs.sh, scripts/examples-check.sh, scripts/demo.sh and
# scripts/conformance.sh): plain CLI runs with dev_overrides need no `init`, no
# registry and no network. The CLI configuration itself has one writer,
# internal/clirun (WriteConfig), which the Go tools call directly and these
# scripts through cmd/dev-cli-config. Needs $root, the repository.
#
#   . scripts/dev-overrides.sh; dev_cli_config DIR [PROVIDER_DIR]

# dev_cli_config DIR [PROVIDER_DIR]: writes DIR/dev.tfrc, pointing this
# provider's addresses at PROVIDER_DIR (default $root/bin), exports
# TF_CLI_CONFIG_FILE to it and a quiet CLI environment.
dev_cli_config() {
  local dir=$1 provider_dir=${2:-$root/bin} rc
  rc=$(cd "$root" && "${GO:-go}" run ./cmd/dev-cli-config "$dir" "$provider_dir") || return 1
  export TF_CLI_CONFIG_FILE=$rc
  export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
  unset TF_LOG TF_LOG_PATH
}

# required_providers_tf FILE: writes the terraform block that ties the
# `elevenlabs` local name to this provider's registry address (a full address:
# the docs rename its key in the schema JSON).
required_providers_tf() {
  cat >"$1" <<'HCL'
terraform {
  required_providers {
    elevenlabs = {
      source = "registry.terraform.io/voicegate/elevenlabs"
    }
  }
}
HCL
}
