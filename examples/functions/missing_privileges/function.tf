# The privileges of the provider's own token.
data "coveo_token_privileges" "key" {}

locals {
  # What a deployment of mysourceid needs. EDIT does not imply VIEW: list both.
  needed = [
    "PLATFORM/SOURCE/VIEW/mysourceid",
    "PLATFORM/SOURCE/EDIT/mysourceid",
    "PLATFORM/FIELD/EDIT",
  ]
  missing = provider::coveo::missing_privileges(data.coveo_token_privileges.key.privileges, local.needed)
}

resource "terraform_data" "deployment" {
  input = "mysourceid"

  lifecycle {
    precondition {
      condition     = length(local.missing) == 0
      error_message = "The key lacks ${join(", ", local.missing)}."
    }
  }
}
