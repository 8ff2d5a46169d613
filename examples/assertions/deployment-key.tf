# The pipeline's key (the provider's own token) must hold what the deployment
# does. The precondition fails the plan before anything changes, and its
# message lists the privileges to add to the key.
data "coveo_token_privileges" "deployment_key" {}

locals {
  deployment_needs = [
    "PLATFORM/SOURCE/VIEW/mysourceid",
    "PLATFORM/SOURCE/EDIT/mysourceid", # EDIT does not imply VIEW: list both
    "PLATFORM/FIELD/EDIT",
  ]
  deployment_missing = provider::coveo::missing_privileges(data.coveo_token_privileges.deployment_key.privileges, local.deployment_needs)
}

# Stands for whatever the pipeline deploys with this key.
resource "terraform_data" "deployment" {
  input = "mysourceid"

  lifecycle {
    precondition {
      condition     = length(local.deployment_missing) == 0
      error_message = "The deployment key lacks ${join(", ", local.deployment_missing)}."
    }
  }
}
