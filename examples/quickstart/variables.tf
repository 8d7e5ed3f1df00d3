variable "agent_id" {
  description = "Id of an existing ElevenLabs agent, e.g. agent_3701k3ttaq12ewp8b7qv5rfyszkz (agent settings page or API)."
  type        = string
}

variable "mode" {
  description = <<-EOT
    Who may start conversations with the agent (ElevenLabs allows one method per agent):
      "signed_url" - only clients holding a URL minted with your API key (apps, back ends, telephony);
      "allowlist"  - browsers on the pages listed in allowed_origins (the embedded widget).
  EOT
  type        = string
  default     = "signed_url"

  validation {
    condition     = contains(["signed_url", "allowlist"], var.mode)
    error_message = "mode must be \"signed_url\" or \"allowlist\"."
  }
}

variable "allowed_origins" {
  description = "URLs of the pages that embed the agent (used in allowlist mode). Each becomes an allowlist hostname: scheme, path and default ports are dropped."
  type        = list(string)
  default     = ["https://app.example.com/support", "http://localhost:3000/"]
}

variable "signed_url_command" {
  description = <<-EOT
    Shell command run once, right after the agent switches to signed-URL mode, with a fresh
    signed URL in $ELEVENLABS_SIGNED_URL and its expiry (RFC 3339) in
    $ELEVENLABS_SIGNED_URL_EXPIRES_AT. Point it at your own hand-off: a script that stores the URL
    in a secret store or gives it to the client that starts the conversation. The CLI hides the
    command's output (it holds an ephemeral value); a non-zero exit fails the apply. The default
    only checks that a signed URL arrived.
  EOT
  type        = string
  default     = "case \"$ELEVENLABS_SIGNED_URL\" in wss://*conversation_signature=*) ;; *) exit 1 ;; esac"
}

variable "residency" {
  description = "Data-residency region of the workspace: global, us, eu, in or sg. null: the global API."
  type        = string
  default     = null
}
