variable "search_api_key" {
  type      = string
  sensitive = true
}

# The key is stored in the state: see the ephemeral resource for keys that
# must not be.
data "coveo_token_privileges" "search_key" {
  access_token = var.search_api_key
}

# Everything the key holds beyond what a public search page needs, sorted,
# one string per target: ["PLATFORM/SOURCE/VIEW/*"] for a key that may also
# view every source, since allowing mysourceid does not excuse *.
output "beyond_allow_list" {
  value = provider::coveo::excess_privileges(data.coveo_token_privileges.search_key.privileges, [
    "SEARCH_API/EXECUTE_QUERY",
    "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT",
    "PLATFORM/SOURCE/VIEW/mysourceid",
  ])
}
