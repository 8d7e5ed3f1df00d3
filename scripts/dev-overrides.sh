# Sourced by scripts/docs.sh and scripts/examples-check.sh: points OpenTofu at the
# provider built in bin/ through a CLI configuration with dev_overrides, so that
# `tofu validate` and `tofu providers schema` work with no `init`, no registry and
# no network. Needs $root (the repository root).

# dev_cli_config DIR: writes DIR/dev.tfrc and exports TF_CLI_CONFIG_FILE to it.
# Both addresses are overridden: OpenTofu reads a bare `voicegate/elevenlabs`
# source (as users write it) as registry.opentofu.org/voicegate/elevenlabs.
dev_cli_config() {
  local dir=$1
  cat >"$dir/dev.tfrc" <<HCL
provider_installation {
  dev_overrides {
    "registry.terraform.io/voicegate/elevenlabs" = "$root/bin"
    "registry.opentofu.org/voicegate/elevenlabs" = "$root/bin"
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
