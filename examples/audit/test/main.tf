# The module under test: every agent of the workspace. The assertions live in
# every_agent_protected.tftest.hcl; run them with `tofu test` or `terraform test`.
data "elevenlabs_agents" "all" {}

locals {
  # The modes that pass: anything else, "unknown" included, fails the test.
  protected_modes = ["signed_url", "allowlist", "conflicting"]
}

output "unprotected_agents" {
  description = "Name, id and mode of every agent that is neither signed-URL nor allowlist protected: public, or unknown (settings that could not be read)."
  value = [
    for a in data.elevenlabs_agents.all.agents : "${a.name} (${a.agent_id}) is ${a.auth_mode}"
    if !contains(local.protected_modes, a.auth_mode)
  ]
}
