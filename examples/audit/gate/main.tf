# Hard CI gate: `plan` fails (exit 1) unless every agent of the workspace is
# protected, and the error names every other agent with its mode. Run it on
# every pull request; it needs a key with the convai_read scope and no state.
#
# The condition lists the modes that pass, never the ones that fail: an agent
# the provider could not classify (auth_mode "unknown", with a warning naming
# it) fails the gate like a public one.
locals {
  protected_modes = ["signed_url", "allowlist", "conflicting"]
}

data "elevenlabs_agents" "all" {
  lifecycle {
    postcondition {
      condition = alltrue([for a in self.agents : contains(local.protected_modes, a.auth_mode)])
      error_message = format(
        "%d agent(s) not protected: %s. Turn on signed URLs (enable_auth) or an allowlist for a public agent; an unknown agent's auth settings could not be read (see the warning naming it).",
        length([for a in self.agents : a if !contains(local.protected_modes, a.auth_mode)]),
        join(", ", [for a in self.agents : "${a.name} (${a.agent_id}) is ${a.auth_mode}" if !contains(local.protected_modes, a.auth_mode)]),
      )
    }
  }
}
