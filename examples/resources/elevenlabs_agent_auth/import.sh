# Import the auth settings of an existing agent by its agent id.
terraform import elevenlabs_agent_auth.example agent_3701k3ttaq12ewp8b7qv5rfyszkz
