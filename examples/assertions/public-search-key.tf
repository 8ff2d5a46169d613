# A public search key ships in web pages: it must be able to query, and hold
# nothing beyond what a search page needs. The postconditions run when
# Terraform reads the key's privileges, so the plan stops before any change,
# and the second message lists every privilege to remove.
variable "public_search_key" {
  type      = string
  sensitive = true
}

locals {
  public_search_key_allowed = [
    "SEARCH_API/EXECUTE_QUERY",
    "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT", # send usage analytics events
  ]
}

# The data source stores access_token in the state. The ephemeral resource
# never does, and takes the same postconditions, but Terraform does not show
# an error_message that refers to its result: keep its messages static.
data "coveo_token_privileges" "public_search_key" {
  access_token = var.public_search_key

  lifecycle {
    postcondition {
      condition     = provider::coveo::has_privilege(self.privileges, "SEARCH_API/EXECUTE_QUERY")
      error_message = "The public search key cannot execute queries (SEARCH_API/EXECUTE_QUERY)."
    }
    postcondition {
      condition     = length(provider::coveo::excess_privileges(self.privileges, local.public_search_key_allowed)) == 0
      error_message = "The public search key holds more than a search page needs: ${join(", ", provider::coveo::excess_privileges(self.privileges, local.public_search_key_allowed))}."
    }
  }
}
