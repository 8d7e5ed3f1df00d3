# The module under test: every agent of the workspace. The assertions live in
# no_public_agents.tftest.hcl; run them with `tofu test` or `terraform test`.
data "elevenlabs_agents" "all" {}

output "public_agents" {
  description = "Name and id of every public agent."
  value       = [for a in data.elevenlabs_agents.all.agents : "${a.name} (${a.agent_id})" if a.auth_mode == "public"]
}
