# Terraform before 1.8 has no provider functions: look strings up in
# privilege_specs with contains() instead. Matching is exact, without
# wildcards or case folding: a key that may edit every source holds
# "PLATFORM/SOURCE/EDIT/*", not "PLATFORM/SOURCE/EDIT/mysourceid", so accept
# both. Postconditions need Terraform 1.2; on 1.0 and 1.1, put the same
# expressions in outputs.
data "coveo_token_privileges" "legacy_deployment_key" {
  lifecycle {
    postcondition {
      condition = anytrue([
        for spec in ["PLATFORM/SOURCE/EDIT/mysourceid", "PLATFORM/SOURCE/EDIT/*"] : contains(self.privilege_specs, spec)
      ])
      error_message = "The deployment key cannot edit the source mysourceid."
    }
    postcondition {
      condition     = contains(self.privilege_specs, "PLATFORM/FIELD/EDIT")
      error_message = "The deployment key cannot edit fields (PLATFORM/FIELD/EDIT)."
    }
  }
}
