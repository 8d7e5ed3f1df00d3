# Every configuration of the live check: the provider's address (served by
# dev_overrides, no init), configured from variables and the environment
# (ELEVENLABS_API_KEY, ELEVENLABS_BASE_URL).
terraform {
  required_providers {
    elevenlabs = { source = "voicegate/elevenlabs" }
  }
}

variable "agent_id" {
  type = string
}

variable "residency" {
  type    = string
  default = null
}

variable "handoff_command" {
  type    = string
  default = null
}

provider "elevenlabs" {
  residency = var.residency
}
