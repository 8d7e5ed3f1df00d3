# make conformance: the provider mints a WebRTC conversation token
# (elevenlabs_conversation_token, ephemeral) and a local-exec hands it to
# handoff.mjs, which records its claims (never the token) for the check.
terraform {
  required_providers {
    elevenlabs = {
      source = "registry.terraform.io/voicegate/elevenlabs"
    }
  }
}

variable "agent_id" {
  type = string
}

variable "handoff_command" {
  type = string
}

provider "elevenlabs" {}

resource "elevenlabs_agent_auth" "this" {
  agent_id    = var.agent_id
  enable_auth = true
}

ephemeral "elevenlabs_conversation_token" "this" {
  agent_id   = var.agent_id
  depends_on = [elevenlabs_agent_auth.this]
}

resource "terraform_data" "handoff" {
  input = elevenlabs_agent_auth.this.id

  provisioner "local-exec" {
    command = var.handoff_command
    environment = {
      ELEVENLABS_CONVERSATION_TOKEN    = ephemeral.elevenlabs_conversation_token.this.token
      ELEVENLABS_CONVERSATION_ID       = ephemeral.elevenlabs_conversation_token.this.conversation_id
      ELEVENLABS_CONVERSATION_TOKEN_AT = coalesce(ephemeral.elevenlabs_conversation_token.this.expires_at, "null")
    }
  }
}
