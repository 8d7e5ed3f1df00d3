# make conformance: the provider (bin/, dev_overrides, no init) switches the
# agent to signed URLs and mints one; a local-exec hands it, through its
# environment, to handoff.mjs, which starts a conversation with the official
# @elevenlabs/client. Ephemeral values may be used in provisioners (Terraform
# >= 1.10, OpenTofu >= 1.11) and never reach the state: terraform_data stores
# only its input, and the CLI hides the command's output.
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

provider "elevenlabs" {} # key and base URL from ELEVENLABS_API_KEY and ELEVENLABS_BASE_URL

resource "elevenlabs_agent_auth" "this" {
  agent_id    = var.agent_id
  enable_auth = true
}

ephemeral "elevenlabs_signed_url" "this" {
  agent_id   = var.agent_id
  depends_on = [elevenlabs_agent_auth.this]
}

resource "terraform_data" "handoff" {
  input = elevenlabs_agent_auth.this.id

  provisioner "local-exec" {
    command = var.handoff_command
    environment = {
      ELEVENLABS_SIGNED_URL = ephemeral.elevenlabs_signed_url.this.signed_url
    }
  }
}
