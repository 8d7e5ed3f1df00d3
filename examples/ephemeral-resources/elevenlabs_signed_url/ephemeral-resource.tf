# A fresh signed URL for an agent with enable_auth = true, minted in every plan
# and apply and never written to the state or a plan file.
ephemeral "elevenlabs_signed_url" "support" {
  agent_id = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"

  # One more API call: warn when the agent does not actually require signed URLs.
  check_agent_auth = true
}

# Hand the URL to a program through the environment, for example a smoke test
# that opens one conversation after each change of the agent. The CLI hides the
# provisioner's output, since its configuration holds an ephemeral value.
resource "terraform_data" "smoke_test" {
  triggers_replace = [var.agent_revision]

  provisioner "local-exec" {
    command = "echo \"signed URL valid until $SIGNED_URL_EXPIRES_AT\" && test -n \"$ELEVENLABS_SIGNED_URL\""
    environment = {
      ELEVENLABS_SIGNED_URL = ephemeral.elevenlabs_signed_url.support.signed_url
      SIGNED_URL_EXPIRES_AT = ephemeral.elevenlabs_signed_url.support.expires_at
    }
  }
}

variable "agent_revision" {
  description = "Change this to run the smoke test again."
  type        = string
  default     = "1"
}
