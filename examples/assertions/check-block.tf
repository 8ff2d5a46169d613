# A check block only warns: plan and apply go on, and the warning says what
# the key holds beyond its allow-list. Use it to roll a least-privilege policy
# out to existing keys before enforcing it with a postcondition.
locals {
  deployment_key_excess = provider::coveo::excess_privileges(data.coveo_token_privileges.deployment_key.privileges, [
    "PLATFORM/SOURCE/VIEW",
    "PLATFORM/SOURCE/EDIT/mysourceid",
    "PLATFORM/FIELD",
  ])
}

check "deployment_key_least_privilege" {
  assert {
    condition     = length(local.deployment_key_excess) == 0
    error_message = "The deployment key holds more than the deployment needs: ${join(", ", local.deployment_key_excess)}."
  }
}
