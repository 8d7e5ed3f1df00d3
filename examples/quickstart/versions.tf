terraform {
  # Ephemeral resources are supported on Terraform >= 1.12 and OpenTofu >= 1.12.
  required_version = ">= 1.12"

  required_providers {
    elevenlabs = {
      source = "voicegate/elevenlabs"
    }
  }
}

provider "elevenlabs" {
  # The API key comes from the ELEVENLABS_API_KEY environment variable: keep it
  # out of the configuration. It needs the convai_read and convai_write scopes.
  #
  # residency picks the API host of a data-residency workspace ("eu", "in",
  # "sg", "us"); null means the global API (or ELEVENLABS_BASE_URL when set).
  residency = var.residency
}
