# A module whose only job is to describe a key, for `terraform test`: CI runs
# `terraform test` in this directory with the key to check as the provider's
# token (COVEO_ACCESS_TOKEN and COVEO_ORGANIZATION_ID), and fails when the key
# lacks a required privilege or holds one beyond the allow-list.
terraform {
  required_version = ">= 1.8" # provider functions
  required_providers {
    coveo = {
      source = "coveo-community/coveo"
    }
  }
}

variable "required" {
  description = "Privileges the key must hold."
  type        = list(string)
  default     = ["SEARCH_API/EXECUTE_QUERY"]
}

variable "allowed" {
  description = "Privileges the key may hold: anything else is excess."
  type        = list(string)
  default     = ["SEARCH_API/EXECUTE_QUERY", "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT"]
}

# The data source, not the ephemeral resource: `terraform test` cannot assert
# on ephemeral values, and the assertions' messages list what is wrong.
data "coveo_token_privileges" "key" {}

output "missing" {
  value = provider::coveo::missing_privileges(data.coveo_token_privileges.key.privileges, var.required)
}

output "excess" {
  value = provider::coveo::excess_privileges(data.coveo_token_privileges.key.privileges, var.allowed)
}
