# Mints a conversation token and hands its facts to the testlive binary.
ephemeral "elevenlabs_conversation_token" "this" {
  agent_id = var.agent_id
}

resource "terraform_data" "handoff" {
  input = var.agent_id

  provisioner "local-exec" {
    command = var.handoff_command
    environment = {
      ELEVENLABS_CONVERSATION_TOKEN            = ephemeral.elevenlabs_conversation_token.this.token
      ELEVENLABS_CONVERSATION_ID               = ephemeral.elevenlabs_conversation_token.this.conversation_id
      ELEVENLABS_CONVERSATION_TOKEN_EXPIRES_AT = coalesce(ephemeral.elevenlabs_conversation_token.this.expires_at, "")
    }
  }
}
