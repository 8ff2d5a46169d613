# `terraform test` reads the key's privileges during plan: nothing is created.
run "key_privileges" {
  command = plan

  assert {
    condition     = provider::coveo::has_privilege(data.coveo_token_privileges.key.privileges, "SEARCH_API/EXECUTE_QUERY")
    error_message = "The key cannot execute queries."
  }

  assert {
    condition     = length(output.missing) == 0
    error_message = "The key lacks ${join(", ", output.missing)}."
  }

  assert {
    condition     = length(output.excess) == 0
    error_message = "The key holds more than allowed: ${join(", ", output.excess)}."
  }
}
