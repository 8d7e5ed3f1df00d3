# Scheduled audit: `plan -detailed-exitcode` still exits 2 when a managed
# agent drifted (and 0 when nothing did), while a check block warns about
# every agent of the workspace that is not protected, managed or not, by name:
# public ones, and any the provider could not classify (auth_mode "unknown").

# The agents this configuration manages.
variable "signed_url_agents" {
  type        = set(string)
  description = "Ids of the agents that must require signed URLs."
  default     = []
}

resource "elevenlabs_agent_auth" "managed" {
  for_each    = var.signed_url_agents
  agent_id    = each.key
  enable_auth = true
}

# Every agent of the workspace. Declared outside the check block, so that a
# failed read (a revoked key, say) fails the job instead of becoming a warning.
data "elevenlabs_agents" "all" {}

locals {
  # The modes that pass: anything else, "unknown" included, is reported.
  protected_modes = ["signed_url", "allowlist", "conflicting"]
  unprotected_agents = [
    for a in data.elevenlabs_agents.all.agents : "${a.name} (${a.agent_id}) is ${a.auth_mode}"
    if !contains(local.protected_modes, a.auth_mode)
  ]
}

check "every_agent_protected" {
  assert {
    condition     = length(local.unprotected_agents) == 0
    error_message = "${length(local.unprotected_agents)} agent(s) not protected: ${join(", ", local.unprotected_agents)}."
  }
}
