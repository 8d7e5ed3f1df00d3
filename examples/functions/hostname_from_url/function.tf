# The allowlist entry for a page URL: lower case, default port, path and query dropped.
output "allowlist_entry" {
  value = provider::elevenlabs::hostname_from_url("https://App.Example.com:443/login?x=1") # "app.example.com"
}

# A non-default port is kept.
output "local_dev_entry" {
  value = provider::elevenlabs::hostname_from_url("http://localhost:3000/") # "localhost:3000"
}
