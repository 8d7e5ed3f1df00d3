# Terraform >= 1.12 / OpenTofu >= 1.12: import by resource identity, an object
# with the agent id, instead of the id string. The CLI also records the
# identity in the state (see `terraform show -json`).
import {
  to = elevenlabs_agent_auth.widget
  identity = {
    agent_id = "agent_8401k3ttbq5xfvz2m9c0d7e6hjrn"
  }
}
