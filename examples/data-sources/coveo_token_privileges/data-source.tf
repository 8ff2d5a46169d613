# Inspect the provider's own token, so that a pipeline checks the key it runs
# with. Nothing secret reaches the state.
data "coveo_token_privileges" "pipeline" {}

# Inspect another key, with the provider's token as the caller. The key is
# stored in the state: prefer the ephemeral resource for secrets.
variable "search_api_key" {
  type      = string
  sensitive = true
}

data "coveo_token_privileges" "search_key" {
  access_token = var.search_api_key
}

locals {
  search_key = data.coveo_token_privileges.search_key.privileges

  can_query = anytrue([
    for p in local.search_key : p.owner == "SEARCH_API" && p.target_domain == "EXECUTE_QUERY"
  ])
  # Everything the key may change: a public search key must hold none.
  can_change = sort([
    for p in local.search_key : "${p.owner}/${p.target_domain}/${p.type}"
    if contains(["EDIT", "CREATE"], coalesce(p.type, "-"))
  ])
}

resource "terraform_data" "search_page" {
  input = data.coveo_token_privileges.search_key.id

  lifecycle {
    precondition {
      condition     = local.can_query
      error_message = "The search key cannot execute queries (SEARCH_API/EXECUTE_QUERY)."
    }
    precondition {
      condition     = length(local.can_change) == 0
      error_message = "The public search key can change the organization: ${join(", ", local.can_change)}."
    }
  }
}
