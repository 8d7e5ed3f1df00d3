locals {
  signed_url_mode = var.mode == "signed_url"

  # "https://app.example.com/support" -> "app.example.com",
  # "http://localhost:3000/"          -> "localhost:3000":
  # exactly the host the browser sends in its Origin header.
  allowlist = [for u in var.allowed_origins : provider::elevenlabs::hostname_from_url(u)]
}

# Manages only platform_settings.auth of the agent; every other setting is left
# alone. `destroy` resets auth to the ElevenLabs defaults (a public agent) and
# keeps the agent.
resource "elevenlabs_agent_auth" "this" {
  agent_id    = var.agent_id
  enable_auth = local.signed_url_mode
  allowlist   = local.signed_url_mode ? null : local.allowlist
}

# A signed conversation URL, valid 15 minutes to start a conversation. It is
# ephemeral: minted afresh in each plan and apply, never written to the state or
# a plan file. depends_on makes the apply mint it after the agent's auth is set.
ephemeral "elevenlabs_signed_url" "this" {
  count = local.signed_url_mode ? 1 : 0

  agent_id         = var.agent_id
  check_agent_auth = true # warn if the agent is not in signed-URL mode
  depends_on       = [elevenlabs_agent_auth.this]
}

# Hands the signed URL to a command through its environment. Ephemeral values may
# be used in provisioners; they stay out of the state (terraform_data stores only
# its input). The command runs when this resource is created, i.e. when the
# agent switches to signed-URL mode.
resource "terraform_data" "hand_off_signed_url" {
  count = local.signed_url_mode ? 1 : 0

  input = elevenlabs_agent_auth.this.id

  provisioner "local-exec" {
    command = var.signed_url_command
    environment = {
      ELEVENLABS_SIGNED_URL            = ephemeral.elevenlabs_signed_url.this[0].signed_url
      ELEVENLABS_SIGNED_URL_EXPIRES_AT = ephemeral.elevenlabs_signed_url.this[0].expires_at
    }
  }
}

output "agent_id" {
  description = "The agent whose auth is managed."
  value       = elevenlabs_agent_auth.this.agent_id
}

output "auth_method" {
  description = "How conversations with the agent are protected."
  value       = local.signed_url_mode ? "signed URLs" : "allowlist: ${join(", ", sort(local.allowlist))}"
}
