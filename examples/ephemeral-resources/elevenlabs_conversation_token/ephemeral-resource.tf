# A fresh WebRTC conversation token for an agent with enable_auth = true,
# minted in every plan and apply and never written to the state or a plan file.
ephemeral "elevenlabs_conversation_token" "support" {
  agent_id         = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"
  participant_name = "release-smoke-test"
}

# Hand the token to a program through the environment, for example a smoke test
# that joins one voice conversation over WebRTC after each change of the agent.
# The CLI hides the provisioner's output, since its configuration holds an
# ephemeral value. expires_at is null when the token carries no readable expiry.
resource "terraform_data" "webrtc_smoke_test" {
  triggers_replace = [var.agent_revision]

  provisioner "local-exec" {
    command = "echo \"conversation $CONVERSATION_ID, token valid until $TOKEN_EXPIRES_AT\" && test -n \"$ELEVENLABS_CONVERSATION_TOKEN\""
    environment = {
      ELEVENLABS_CONVERSATION_TOKEN = ephemeral.elevenlabs_conversation_token.support.token
      CONVERSATION_ID               = ephemeral.elevenlabs_conversation_token.support.conversation_id
      TOKEN_EXPIRES_AT              = coalesce(ephemeral.elevenlabs_conversation_token.support.expires_at, "unknown")
    }
  }
}

variable "agent_revision" {
  description = "Change this to run the smoke test again."
  type        = string
  default     = "1"
}
