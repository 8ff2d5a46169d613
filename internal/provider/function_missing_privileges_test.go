package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestFunctionMissingPrivileges_run calls Run directly: nothing missing is an
// empty list, not null, and spec errors are at argument 1.
func TestFunctionMissingPrivileges_run(t *testing.T) {
	privs := privilegesArgumentValue(t, fixturePrivilegeGrants()...)
	got, err := runFunction(t, newMissingPrivilegesFunction(), privs, stringList("SEARCH_API/EXECUTE_QUERY", "PLATFORM/SOURCE/VIEW/x"))
	if err != nil || !got.Equal(stringList()) {
		t.Errorf("missing_privileges(granted specs) = %v, %v; want []", got, err)
	}
	got, err = runFunction(t, newMissingPrivilegesFunction(), privs, stringList("PLATFORM/SOURCE/EDIT/src3", "SEARCH_API/EXECUTE_QUERY", "A/B"))
	if err != nil || !got.Equal(stringList("PLATFORM/SOURCE/EDIT/src3", "A/B")) {
		t.Errorf("missing_privileges = %v, %v; want [PLATFORM/SOURCE/EDIT/src3 A/B]", got, err)
	}

	_, err = runFunction(t, newMissingPrivilegesFunction(), privs,
		types.ListValueMust(types.StringType, []attr.Value{types.StringValue("A/B"), types.StringValue("A/B/")}))
	want := function.NewArgumentFuncError(1, `missing_privileges: specs[1]: "A/B/" is not a privilege: expected `+
		`OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (the type is empty; drop the trailing "/")`)
	if !err.Equal(want) {
		t.Errorf("error = %q at %v, want %q at 1", err.Error(), argumentPosition(err), want.Text)
	}
}

// TestAccFunctionMissingPrivileges lists what the fixture token lacks, as
// written and in input order.
func TestAccFunctionMissingPrivileges(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	missing := func(specs string) string {
		return "provider::coveo::missing_privileges(local.privileges, " + specs + ")"
	}
	resource.Test(t, functionTest(outputsStep(api, map[string]functionOutput{
		"all_granted": {
			missing(`["SEARCH_API/EXECUTE_QUERY", "platform/source/view/src9", "PLATFORM/SOURCE/EDIT/src2", "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT"]`),
			stringsExact(),
		},
		"some_missing": {
			missing(`["PLATFORM/SOURCE/EDIT/*", "SEARCH_API/EXECUTE_QUERY", "USAGE_ANALYTICS/ANALYTICS_DATA/VIEW", "PLATFORM/SOURCE/EDIT/Src1", "PLATFORM/SOURCE/EDIT/*"]`),
			stringsExact("PLATFORM/SOURCE/EDIT/*", "USAGE_ANALYTICS/ANALYTICS_DATA/VIEW", "PLATFORM/SOURCE/EDIT/Src1", "PLATFORM/SOURCE/EDIT/*"),
		},
		"as_written": {missing(`["platform/field/edit"]`), stringsExact("platform/field/edit")},
		"no_specs":   {missing(`[]`), stringsExact()},
		"from_a_set": {missing(`toset(["B/B", "A/A"])`), stringsExact("A/A", "B/B")},
	})))
}

// TestAccFunctionMissingPrivileges_precondition runs the deployment key
// example: the plan fails, listing what is missing, exactly when the key
// lacks a privilege the deployment needs.
func TestAccFunctionMissingPrivileges_precondition(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	grantDeploymentToken(api)
	body := example(t, "deployment-key.tf")
	resource.Test(t, functionTest(
		resource.TestStep{
			Config: api.config(providerFor(api, api.token), body),
			ExpectError: expectError(`(?s)Resource precondition failed.*` +
				regexp.QuoteMeta("The deployment key lacks PLATFORM/SOURCE/EDIT/mysourceid, PLATFORM/FIELD/EDIT.")),
		},
		resource.TestStep{
			Config: api.config(providerFor(api, deploymentToken), body),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("terraform_data.deployment", tfjsonpath.New("output"), knownvalue.StringExact("mysourceid")),
			},
		},
	))
}

// TestAccFunctionMissingPrivileges_argumentErrors names every malformed
// element of specs by its index.
func TestAccFunctionMissingPrivileges_argumentErrors(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	resource.Test(t, functionTest(resource.TestStep{
		Config: api.config(providerFor(api, api.token), keyData+`
output "missing" {
  value = provider::coveo::missing_privileges(local.privileges, ["SEARCH_API/EXECUTE_QUERY", null, "PLATFORM", " A/B"])
}
`),
		ExpectError: expectFunctionError("specs", `missing_privileges: specs[1]: null is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]]
missing_privileges: specs[2]: "PLATFORM" is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (the domain is missing)
missing_privileges: specs[3]: " A/B" is not a privilege`),
	}))
}
