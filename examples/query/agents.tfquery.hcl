# Find the agents of the workspace with `terraform query` (Terraform >= 1.15;
# OpenTofu has no query), and write the configuration that adopts them:
#
#   terraform query                                # every agent, one line each
#   terraform query -var auth_mode=public          # only the agents anyone can talk to
#   terraform query -generate-config-out=adopt.tf  # an import and a resource block per agent
#   terraform plan                                 # N to import, 0 to add, 0 to change
#
# The generated blocks mirror each agent's current settings, so the import
# changes nothing. An agent elevenlabs_agent_auth cannot mirror as it is (both
# methods on, require_origin_header without an allowlist, more than 10
# hostnames, a hostname it refuses, settings the API's answer does not let it
# read) gets no configuration: a warning names it with the reason.

variable "auth_mode" {
  description = "Only the agents in this auth mode: public, signed_url, allowlist, conflicting or unknown. Null: every agent."
  type        = string
  default     = null
}

list "elevenlabs_agent_auth" "agent" {
  provider = elevenlabs
  # terraform query stops at 100 results unless the list block says otherwise.
  limit = 1000

  config {
    auth_mode = var.auth_mode
  }
}
