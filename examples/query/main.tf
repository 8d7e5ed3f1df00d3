# The configuration `terraform query` runs the list blocks of agents.tfquery.hcl
# with: the provider reads ELEVENLABS_API_KEY (a key with the convai_read
# scope). After `terraform query -generate-config-out=adopt.tf`, the generated
# import and resource blocks join this configuration, and `terraform plan`
# imports the agents.

provider "elevenlabs" {}
