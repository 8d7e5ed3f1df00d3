# Scheduled audit: `plan -detailed-exitcode` still exits 2 when a managed
# agent drifted (and 0 when nothing did), while a check block warns about
# every public agent in the workspace, managed or not, by name.

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
  public_agents = [for a in data.elevenlabs_agents.all.agents : "${a.name} (${a.agent_id})" if a.auth_mode == "public"]
}

check "no_public_agents" {
  assert {
    condition     = length(local.public_agents) == 0
    error_message = "${length(local.public_agents)} public agent(s): ${join(", ", local.public_agents)}."
  }
}
