# Signed URLs: conversations start only from a URL that a server holding the
# API key mints for each conversation (mobile apps, back ends, telephony).
resource "elevenlabs_agent_auth" "example" {
  agent_id    = "agent_3701k3ttaq12ewp8b7qv5rfyszkz"
  enable_auth = true
}

# Hostname allowlist: a browser widget embedded on known sites. Each entry is
# compared exactly with the host of the browser's Origin header;
# hostname_from_url() turns page URLs into such entries.
variable "widget_pages" {
  type = list(string)
  default = [
    "https://www.example.com/",
    "https://Help.Example.com:443/support?ref=footer",
    "http://localhost:3000/",
  ]
}

resource "elevenlabs_agent_auth" "widget" {
  agent_id              = "agent_8401k3ttbq5xfvz2m9c0d7e6hjrn"
  allowlist             = [for page in var.widget_pages : provider::elevenlabs::hostname_from_url(page)]
  require_origin_header = true
}
