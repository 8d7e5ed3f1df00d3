# The one place that writes the CLI configuration pointing OpenTofu or Terraform at
# a locally built provider through dev_overrides, so that plain CLI runs need no
# `init`, no registry and no network. Everything that runs the CLI that way uses
# it: scripts/docs.sh, scripts/examples-check.sh, scripts/demo.sh and
# scripts/conformance.sh source it; the CLI tests (internal/provider), `make bench`
# and `make testlive` run it as a program.
#
#   . scripts/dev-overrides.sh; dev_cli_config DIR [PROVIDER_DIR]
#       writes DIR/dev.tfrc and exports TF_CLI_CONFIG_FILE (and a quiet CLI
#       environment); PROVIDER_DIR defaults to $root/bin ($root: the repository).
#   scripts/dev-overrides.sh DIR PROVIDER_DIR
#       writes DIR/dev.tfrc and prints its path.

# dev_cli_config DIR [PROVIDER_DIR]: writes DIR/dev.tfrc and exports
# TF_CLI_CONFIG_FILE to it. Both registry addresses are overridden: OpenTofu reads
# a bare `voicegate/elevenlabs` source (as users write it) as
# registry.opentofu.org/voicegate/elevenlabs, Terraform as registry.terraform.io.
dev_cli_config() {
  local dir=$1 provider_dir=${2:-$root/bin}
  cat >"$dir/dev.tfrc" <<HCL
provider_installation {
  dev_overrides {
    "registry.terraform.io/voicegate/elevenlabs" = "$provider_dir"
    "registry.opentofu.org/voicegate/elevenlabs" = "$provider_dir"
  }
  direct {}
}
HCL
  export TF_CLI_CONFIG_FILE="$dir/dev.tfrc"
  export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
  unset TF_LOG TF_LOG_PATH
}

# required_providers_tf FILE: writes the terraform block that ties the
# `elevenlabs` local name to this provider's registry address.
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

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  [ $# -eq 2 ] || { echo "usage: $0 DIR PROVIDER_DIR" >&2; exit 2; }
  dev_cli_config "$1" "$2"
  echo "$1/dev.tfrc"
fi
