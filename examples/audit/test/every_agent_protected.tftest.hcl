# `tofu test` / `terraform test`: fails while any agent is not protected
# (public, or unknown). A plan is enough: the data source is read during plan,
# and nothing is created.
run "every_agent_protected" {
  command = plan

  assert {
    condition     = length(output.unprotected_agents) == 0
    error_message = "Agents not protected: ${join(", ", output.unprotected_agents)}."
  }
}
