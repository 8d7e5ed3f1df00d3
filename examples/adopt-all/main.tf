# Adopt every agent of the workspace in HCL only: the first plan imports each
# agent with its current auth settings and changes nothing; after the apply
# the plan is empty. Then edit the settings here (or replace the mirror with
# the protection you want) and review the changes as a normal plan.
# Terraform >= 1.7 / OpenTofu >= 1.7 (for_each in import blocks).

data "elevenlabs_agents" "all" {}

locals {
  # The agents elevenlabs_agent_auth can mirror exactly, keyed by agent id.
  # adoption_blocker says why the resource refuses an agent's current
  # settings (both methods on, require_origin_header without an allowlist,
  # more than 10 hostnames, a hostname it refuses, or settings that could not
  # be read: auth_mode "unknown"); null when it can hold them.
  adoptable = {
    for a in data.elevenlabs_agents.all.agents : a.agent_id => a
    if a.adoption_blocker == null
  }
}

import {
  for_each = local.adoptable
  to       = elevenlabs_agent_auth.all[each.key]
  id       = each.key
}

resource "elevenlabs_agent_auth" "all" {
  for_each = local.adoptable

  agent_id              = each.key
  enable_auth           = each.value.enable_auth
  allowlist             = length(each.value.allowlist) > 0 ? each.value.allowlist : null
  require_origin_header = each.value.require_origin_header
}

output "not_adopted" {
  description = "Agents left out because elevenlabs_agent_auth cannot hold their current settings, each with the reason: fix them in the dashboard, then plan again."
  value = [
    for a in data.elevenlabs_agents.all.agents : "${a.name} (${a.agent_id}): ${a.adoption_blocker}"
    if a.adoption_blocker != null
  ]
}
