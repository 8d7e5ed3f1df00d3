# Every agent of the workspace (archived agents left out, the API's default),
# with its auth settings and mode.
data "elevenlabs_agents" "all" {}

# Filter in HCL on anything the list returns. auth_mode is "unknown" for an
# agent whose auth settings could not be read (a warning names it): to find
# the agents at risk, keep those outside the protected modes, not only "public".
locals {
  protected_modes   = ["signed_url", "allowlist", "conflicting"]
  unprotected       = [for a in data.elevenlabs_agents.all.agents : a.agent_id if !contains(local.protected_modes, a.auth_mode)]
  prod_agents       = [for a in data.elevenlabs_agents.all.agents : a if contains(a.tags, "prod")]
  agents_by_mode    = { for a in data.elevenlabs_agents.all.agents : a.auth_mode => a.name... }
  created_this_year = [for a in data.elevenlabs_agents.all.agents : a.name if startswith(a.created_at, "2026-")]
}

# The list API's own filters: a name search, archived agents only.
data "elevenlabs_agents" "support" {
  search = "support"
}

data "elevenlabs_agents" "archived" {
  archived = true
}

output "unprotected_agents" {
  value = local.unprotected
}
