package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

// TestAccFunction_consistentWithTheToken holds for any token, so it also runs
// against the real platform (make testacc-live): every privilege the token's
// privilege_specs name is granted and none is missing, and allowing each
// grant's owner and domain leaves no excess.
func TestAccFunction_consistentWithTheToken(t *testing.T) {
	api := newAccAPI(t)
	grants := make([]privilege.Grant, len(api.wantGrants))
	domains := make([]string, len(api.wantGrants))
	for i, g := range api.wantGrants {
		grants[i] = grantOf(g)
		domains[i] = fmt.Sprintf("%q", g.Owner+"/"+g.TargetDomain)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps: []resource.TestStep{{
			Config: api.config(map[string]string{
				"organization_id": fmt.Sprintf("%q", api.org),
				"access_token":    fmt.Sprintf("%q", api.token),
			}, fmt.Sprintf(`
data "coveo_token_privileges" "test" {}

locals {
  privileges = data.coveo_token_privileges.test.privileges
  specs      = data.coveo_token_privileges.test.privilege_specs
}

output "specs" {
  value = length(local.specs)
}

output "all_granted" {
  value = alltrue([for s in local.specs : provider::coveo::has_privilege(local.privileges, s)])
}

output "missing" {
  value = provider::coveo::missing_privileges(local.privileges, tolist(local.specs))
}

output "excess" {
  value = provider::coveo::excess_privileges(local.privileges, [%s])
}
`, strings.Join(domains, ", "))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("specs", knownvalue.Int64Exact(int64(len(privilege.RenderAll(grants))))),
				statecheck.ExpectKnownOutputValue("all_granted", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("missing", knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownOutputValue("excess", knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}
