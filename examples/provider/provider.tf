# The API key comes from the ELEVENLABS_API_KEY environment variable: keep it
# out of configuration files. Defaults: the global API host, 4 retries, 30s per
# request attempt.
provider "elevenlabs" {}

# A workspace with EU data residency, with more patience for a slow network.
# Residency workspaces are separate: they have their own keys and agents.
provider "elevenlabs" {
  alias           = "eu"
  residency       = "eu"
  max_retries     = 6
  request_timeout = "45s"
}
