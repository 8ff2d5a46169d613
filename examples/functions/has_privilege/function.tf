# The privileges of the provider's own token.
data "coveo_token_privileges" "key" {}

output "can_query" {
  value = provider::coveo::has_privilege(data.coveo_token_privileges.key.privileges, "SEARCH_API/EXECUTE_QUERY")
}

# False unless the key may edit every source: a grant on some sources only
# does not grant PLATFORM/SOURCE/EDIT/*.
output "can_edit_all_sources" {
  value = provider::coveo::has_privilege(data.coveo_token_privileges.key.privileges, "PLATFORM/SOURCE/EDIT/*")
}

# Any list of privilege objects works, such as a for expression that keeps
# some of them.
output "platform_can_view_mysource" {
  value = provider::coveo::has_privilege(
    [for p in data.coveo_token_privileges.key.privileges : p if p.owner == "PLATFORM"],
    "PLATFORM/SOURCE/VIEW/mysourceid",
  )
}
