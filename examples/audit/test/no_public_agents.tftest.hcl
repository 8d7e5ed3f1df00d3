# `tofu test` / `terraform test`: fails while any agent is public. A plan is
# enough: the data source is read during plan, and nothing is created.
run "no_public_agents" {
  command = plan

  assert {
    condition     = length(output.public_agents) == 0
    error_message = "Public agents: ${join(", ", output.public_agents)}."
  }
}
