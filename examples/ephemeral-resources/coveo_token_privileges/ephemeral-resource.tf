# Check a public search key before a search page ships with it. The key comes
# from an ephemeral variable (a secret manager's ephemeral resource works the
# same way), so it reaches neither the state nor a saved plan.
# Needs Terraform 1.10 or later.
variable "search_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "coveo_token_privileges" "search_key" {
  access_token = var.search_api_key
}

locals {
  # Ephemeral too: usable in conditions, never stored.
  search_key = ephemeral.coveo_token_privileges.search_key

  can_query = contains(local.search_key.privilege_specs, "SEARCH_API/EXECUTE_QUERY")
  can_edit  = anytrue([for p in local.search_key.privileges : p.type == "EDIT"])
}

# The resource that publishes the search page checks the key before it is
# created or changed. The messages do not quote the ephemeral result:
# Terraform would withhold them.
resource "terraform_data" "search_page" {
  input = "search-page-v1"

  lifecycle {
    precondition {
      condition     = local.can_query
      error_message = "The search key cannot execute queries (SEARCH_API/EXECUTE_QUERY)."
    }
    precondition {
      condition     = !local.can_edit
      error_message = "The public search key can edit the organization: give the page a key without EDIT privileges."
    }
  }
}
