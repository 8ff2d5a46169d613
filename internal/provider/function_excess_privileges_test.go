package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi/coveotest"
)

// TestFunctionExcessPrivileges_run calls Run directly: nothing in excess is
// an empty list, not null, and spec errors are at argument 1.
func TestFunctionExcessPrivileges_run(t *testing.T) {
	privs := privilegesArgumentValue(t, fixturePrivilegeGrants()...)
	got, err := runFunction(t, newExcessPrivilegesFunction(), privs, stringList("SEARCH_API/EXECUTE_QUERY", "PLATFORM/SOURCE", "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT"))
	if err != nil || !got.Equal(stringList()) {
		t.Errorf("excess_privileges(covering allow-list) = %v, %v; want []", got, err)
	}
	got, err = runFunction(t, newExcessPrivilegesFunction(), privs, stringList("SEARCH_API/EXECUTE_QUERY", "PLATFORM/SOURCE/VIEW/src1", "PLATFORM/SOURCE/EDIT"))
	if err != nil || !got.Equal(stringList("PLATFORM/SOURCE/VIEW/*", "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT")) {
		t.Errorf("excess_privileges = %v, %v; want [PLATFORM/SOURCE/VIEW/* USAGE_ANALYTICS/ANALYTICS_DATA/EDIT]", got, err)
	}

	_, err = runFunction(t, newExcessPrivilegesFunction(), privs, stringList("A/B/C/"))
	want := function.NewArgumentFuncError(1, `excess_privileges: allowed_specs[0]: "A/B/C/" is not a privilege: expected `+
		`OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (the target is empty; use * for all resources)`)
	if !err.Equal(want) {
		t.Errorf("error = %q at %v, want %q at 1", err.Error(), argumentPosition(err), want.Text)
	}
}

// TestAccFunctionExcessPrivileges renders what the fixture token holds beyond
// each allow-list, sorted, with coverage the other way round from
// has_privilege.
func TestAccFunctionExcessPrivileges(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	excess := func(allowed string) string {
		return "provider::coveo::excess_privileges(local.privileges, " + allowed + ")"
	}
	resource.Test(t, functionTest(outputsStep(api, map[string]functionOutput{
		"nothing_allowed": {excess(`[]`), stringsExact(
			"PLATFORM/SOURCE/EDIT/src1",
			"PLATFORM/SOURCE/EDIT/src2",
			"PLATFORM/SOURCE/VIEW/*",
			"SEARCH_API/EXECUTE_QUERY",
			"USAGE_ANALYTICS/ANALYTICS_DATA/EDIT",
		)},
		// A specific target does not excuse a grant on *, nor other targets.
		"src1_is_not_star": {
			excess(`["SEARCH_API/EXECUTE_QUERY", "PLATFORM/SOURCE/EDIT/src1", "PLATFORM/SOURCE/VIEW/src1", "usage_analytics/analytics_data"]`),
			stringsExact("PLATFORM/SOURCE/EDIT/src2", "PLATFORM/SOURCE/VIEW/*"),
		},
		// EDIT does not cover VIEW; a grant without targets needs * or no target.
		"types_and_empty_targets": {
			excess(`["SEARCH_API/EXECUTE_QUERY//q1", "PLATFORM/SOURCE/EDIT", "PLATFORM/SOURCE/VIEW/*", "USAGE_ANALYTICS/ANALYTICS_DATA/VIEW"]`),
			stringsExact("SEARCH_API/EXECUTE_QUERY", "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT"),
		},
		"owner_matters": {
			excess(`["PLATFORM/EXECUTE_QUERY", "PLATFORM/ANALYTICS_DATA", "PLATFORM/SOURCE"]`),
			stringsExact("SEARCH_API/EXECUTE_QUERY", "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT"),
		},
		"all_covered": {
			excess(`["SEARCH_API/EXECUTE_QUERY//*", "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT", "PLATFORM/SOURCE/VIEW/*", "PLATFORM/SOURCE/EDIT/src1", "PLATFORM/SOURCE/EDIT/src2"]`),
			stringsExact(),
		},
		"target_case_matters": {excess(`["PLATFORM/SOURCE/EDIT/SRC1", "PLATFORM/SOURCE/VIEW", "SEARCH_API/EXECUTE_QUERY", "USAGE_ANALYTICS/ANALYTICS_DATA"]`),
			stringsExact("PLATFORM/SOURCE/EDIT/src1", "PLATFORM/SOURCE/EDIT/src2"),
		},
	})))
}

// TestAccFunctionExcessPrivileges_postcondition runs the public search key
// example: the read fails when the key cannot query, or when it holds more
// than the allow-list, listing the excess; it passes for a search key.
func TestAccFunctionExcessPrivileges_postcondition(t *testing.T) {
	api := newAccAPI(t)
	server := api.requireStub(t)
	const noQueryToken, searchToken = "xx-no-query-token", "xx-search-token"
	server.Grant(api.org, noQueryToken, coveotest.Current("PLATFORM", "SOURCE", "VIEW", "*"))
	server.Grant(api.org, searchToken,
		coveotest.Legacy("SEARCH_API", "EXECUTE_QUERY", ""),
		coveotest.Legacy("USAGE_ANALYTICS", "ANALYTICS_DATA", "EDIT"),
	)
	cfg := api.config(providerFor(api, api.caller), example(t, "public-search-key.tf"))
	key := func(token string) config.Variables {
		return config.Variables{"public_search_key": config.StringVariable(token)}
	}
	resource.Test(t, functionTest(
		resource.TestStep{
			Config:          cfg,
			ConfigVariables: key(noQueryToken),
			ExpectError: expectError(`(?s)Resource postcondition failed.*` +
				regexp.QuoteMeta("The public search key cannot execute queries (SEARCH_API/EXECUTE_QUERY).")),
		},
		resource.TestStep{
			Config:          cfg,
			ConfigVariables: key(api.token),
			ExpectError: expectError(`(?s)Resource postcondition failed.*` + regexp.QuoteMeta(
				"The public search key holds more than a search page needs: PLATFORM/SOURCE/EDIT/src1, PLATFORM/SOURCE/EDIT/src2, PLATFORM/SOURCE/VIEW/*.")),
		},
		resource.TestStep{
			Config:          cfg,
			ConfigVariables: key(searchToken),
		},
	))
}

// expectCheckFailed asserts that the check block name ran and failed with a
// message matching message: Terraform reported a warning, not an error.
type expectCheckFailed struct {
	name    string
	message *regexp.Regexp
}

func (e expectCheckFailed) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, c := range req.State.Checks {
		if c.Address.Kind != "check" || c.Address.Name != e.name {
			continue
		}
		if c.Status != "fail" {
			resp.Error = fmt.Errorf("check block %q: status %q, want fail", e.name, c.Status)
			return
		}
		for _, instance := range c.Instances {
			for _, p := range instance.Problems {
				if e.message.MatchString(p.Message) {
					return
				}
			}
		}
		resp.Error = fmt.Errorf("check block %q failed without a message matching %s: %+v", e.name, e.message, c.Instances)
		return
	}
	resp.Error = fmt.Errorf("check block %q not found in the state's check results", e.name)
}

// TestAccFunctionExcessPrivileges_checkBlock runs the check block example:
// its assertion is false, yet the plan and apply succeed with a warning.
func TestAccFunctionExcessPrivileges_checkBlock(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	grantDeploymentToken(api)
	resource.Test(t, functionTest(resource.TestStep{
		Config: api.config(providerFor(api, deploymentToken), example(t, "deployment-key.tf", "check-block.tf")+`
output "excess" {
  value = local.deployment_key_excess
}
`),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("terraform_data.deployment", plancheck.ResourceActionCreate)},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			expectCheckFailed{name: "deployment_key_least_privilege", message: regexp.MustCompile(regexp.QuoteMeta(
				"The deployment key holds more than the deployment needs: PLATFORM/API_KEY/EDIT/*."))},
			statecheck.ExpectKnownOutputValue("excess", stringsExact("PLATFORM/API_KEY/EDIT/*")),
			statecheck.ExpectKnownValue("terraform_data.deployment", tfjsonpath.New("output"), knownvalue.StringExact("mysourceid")),
		},
	}))
}

// TestAccFunctionExcessPrivileges_argumentErrors names the malformed element
// of allowed_specs.
func TestAccFunctionExcessPrivileges_argumentErrors(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	resource.Test(t, functionTest(resource.TestStep{
		Config: api.config(providerFor(api, api.token), keyData+`
output "excess" {
  value = provider::coveo::excess_privileges(local.privileges, ["SEARCH_API/EXECUTE_QUERY", "PLATFORM/SOURCE/EDIT/a/b"])
}
`),
		ExpectError: expectFunctionError("allowed_specs", `excess_privileges: allowed_specs[1]: "PLATFORM/SOURCE/EDIT/a/b" is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (5 parts, at most 4 are allowed)`),
	}))
}
