# Reads the fleet data source, narrowed to the throwaway agent.
variable "agent_name" {
  type = string
}

data "elevenlabs_agents" "mine" {
  search = var.agent_name
}

output "found" {
  value = [for a in data.elevenlabs_agents.mine.agents : a.auth_mode if a.agent_id == var.agent_id]
}
