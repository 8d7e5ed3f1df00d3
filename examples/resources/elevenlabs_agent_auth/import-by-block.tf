# Any supported CLI: import during plan and apply, reviewed
# like any other change. The id is the agent id.
import {
  to = elevenlabs_agent_auth.example
  id = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"
}
