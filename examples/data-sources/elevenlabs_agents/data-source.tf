# Every agent of the workspace (archived agents left out, the API's default),
# with its auth settings and mode.
data "elevenlabs_agents" "all" {}

# Filter in HCL on anything the list returns.
locals {
  public_agents     = [for a in data.elevenlabs_agents.all.agents : a.agent_id if a.auth_mode == "public"]
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

output "public_agents" {
  value = local.public_agents
}
