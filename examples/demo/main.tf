# The configuration `make demo` plans and applies: it reads the privileges of
# the provider's own token (COVEO_ACCESS_TOKEN) in COVEO_ORGANIZATION_ID.
terraform {
  required_providers {
    coveo = {
      source = "coveo-community/coveo"
    }
  }
}

provider "coveo" {}

data "coveo_token_privileges" "self" {}

check "cannot_edit_api_keys" {
  assert {
    condition     = !contains(data.coveo_token_privileges.self.privilege_specs, "PLATFORM/API_KEY/EDIT")
    error_message = "This token can edit API keys: keep such tokens out of pipelines."
  }
}

output "organization_id" {
  value = data.coveo_token_privileges.self.organization_id
}

output "privilege_specs" {
  value = data.coveo_token_privileges.self.privilege_specs
}

output "privileges" {
  value = data.coveo_token_privileges.self.privileges
}
