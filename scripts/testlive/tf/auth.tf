# The main configuration: var.mode picks signed URLs or the allowlist; in
# signed-URL mode a local-exec hands the minted URL to the testlive binary,
# which starts a conversation with it.
variable "mode" {
  type = string
}

resource "elevenlabs_agent_auth" "this" {
  agent_id              = var.agent_id
  enable_auth           = var.mode == "signed_url"
  allowlist             = var.mode == "signed_url" ? null : ["testlive.example.com", "localhost:3000"]
  require_origin_header = var.mode == "allowlist"
}

ephemeral "elevenlabs_signed_url" "this" {
  count      = var.mode == "signed_url" ? 1 : 0
  agent_id   = var.agent_id
  depends_on = [elevenlabs_agent_auth.this]
}

resource "terraform_data" "handoff" {
  count = var.mode == "signed_url" ? 1 : 0
  input = elevenlabs_agent_auth.this.id

  provisioner "local-exec" {
    command = var.handoff_command
    environment = {
      ELEVENLABS_SIGNED_URL = ephemeral.elevenlabs_signed_url.this[0].signed_url
    }
  }
}
