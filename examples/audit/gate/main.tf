# Hard CI gate: `plan` fails (exit 1) while any agent of the workspace is
# public, and the error names every such agent. Run it on every pull request;
# it needs a key with the convai_read scope and no state.
data "elevenlabs_agents" "all" {
  lifecycle {
    postcondition {
      condition = alltrue([for a in self.agents : a.auth_mode != "public"])
      error_message = format(
        "%d public agent(s), which anyone who knows the agent id can talk to: %s. Turn on signed URLs (enable_auth) or an allowlist for each.",
        length([for a in self.agents : a if a.auth_mode == "public"]),
        join(", ", [for a in self.agents : "${a.name} (${a.agent_id})" if a.auth_mode == "public"]),
      )
    }
  }
}
