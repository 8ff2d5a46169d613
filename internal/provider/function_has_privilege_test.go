package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

// TestFunctionHasPrivilege_run calls Run directly: the spec error is at
// argument 1, and a privileges error at argument 0 wins over it.
func TestFunctionHasPrivilege_run(t *testing.T) {
	privs := privilegesArgumentValue(t, fixturePrivilegeGrants()...)
	got, err := runFunction(t, newHasPrivilegeFunction(), privs, types.StringValue("platform/source/edit/src2"))
	if err != nil || !got.Equal(types.BoolValue(true)) {
		t.Errorf("has_privilege(fixture, platform/source/edit/src2) = %v, %v; want true", got, err)
	}
	got, err = runFunction(t, newHasPrivilegeFunction(), privs, types.StringValue("PLATFORM/SOURCE/VIEW/src2"))
	if err != nil || !got.Equal(types.BoolValue(true)) {
		t.Errorf("has_privilege(fixture, PLATFORM/SOURCE/VIEW/src2) = %v, %v; want true", got, err)
	}

	_, err = runFunction(t, newHasPrivilegeFunction(), privs, types.StringValue("PLATFORM/"))
	want := function.NewArgumentFuncError(1, `has_privilege: spec: "PLATFORM/" is not a privilege: expected `+
		`OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (the domain is empty)`)
	if !err.Equal(want) {
		t.Errorf("error = %q at %v, want %q at 1", err.Error(), argumentPosition(err), want.Text)
	}

	bad := privilegesArgumentValue(t, privilege.Grant{Owner: "PLATFORM", Domain: ""})
	_, err = runFunction(t, newHasPrivilegeFunction(), bad, types.StringValue("PLATFORM"))
	if argumentPosition(err) != int64(0) {
		t.Errorf("error = %v at %v, want the privileges error at 0", err, argumentPosition(err))
	}
}

// TestAccFunctionHasPrivilege checks each matching rule on the fixture token
// through terraform, over the data source's privileges and over what users
// pass instead: a list from a for expression, hand-written objects, [].
func TestAccFunctionHasPrivilege(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	outputs := map[string]functionOutput{}
	for name, tc := range map[string]struct {
		privileges string
		spec       string
		want       bool
	}{
		"type_less":              {"local.privileges", "SEARCH_API/EXECUTE_QUERY", true},
		"case_insensitive":       {"local.privileges", "search_api/Execute_Query", true},
		"empty_type_with_target": {"local.privileges", "SEARCH_API/EXECUTE_QUERY//q1", true}, // targets [] are not limited
		"untyped_matches_typed":  {"local.privileges", "PLATFORM/SOURCE", true},
		"star_grants_any":        {"local.privileges", "PLATFORM/SOURCE/VIEW/anysource", true},
		"star_grants_star":       {"local.privileges", "PLATFORM/SOURCE/VIEW/*", true},
		"exact_target":           {"local.privileges", "PLATFORM/SOURCE/EDIT/src1", true},
		"target_case_matters":    {"local.privileges", "PLATFORM/SOURCE/EDIT/SRC1", false},
		"targets_are_not_star":   {"local.privileges", "PLATFORM/SOURCE/EDIT/*", false},
		"other_target":           {"local.privileges", "PLATFORM/SOURCE/EDIT/src3", false},
		"edit_is_not_view":       {"local.privileges", "USAGE_ANALYTICS/ANALYTICS_DATA/VIEW", false},
		"typed_vs_type_less":     {"local.privileges", "SEARCH_API/EXECUTE_QUERY/VIEW", false},
		"owner_matters":          {"local.privileges", "SEARCH_API/ANALYTICS_DATA/EDIT", false},
		"other_type":             {"local.privileges", "PLATFORM/SOURCE/CREATE", false},
		"for_expression_keeps":   {`[for p in local.privileges : p if p.owner == "PLATFORM"]`, "PLATFORM/SOURCE/EDIT/src2", true},
		"for_expression_drops":   {`[for p in local.privileges : p if p.owner == "PLATFORM"]`, "SEARCH_API/EXECUTE_QUERY", false},
		"empty_list":             {"[]", "SEARCH_API/EXECUTE_QUERY", false},
		"literal_untyped_spec": {
			`[{ owner = "PLATFORM", target_domain = "FIELD", type = null, target_ids = [] }]`, "PLATFORM/FIELD//f1", true,
		},
		"literal_typed_spec": {
			`[{ owner = "PLATFORM", target_domain = "FIELD", type = null, target_ids = [] }]`, "PLATFORM/FIELD/VIEW", false,
		},
	} {
		outputs[name] = functionOutput{
			expr: fmt.Sprintf("provider::coveo::has_privilege(%s, %q)", tc.privileges, tc.spec),
			want: knownvalue.Bool(tc.want),
		}
	}
	resource.Test(t, functionTest(outputsStep(api, outputs)))
}

// TestAccFunctionHasPrivilege_unknown: while the privileges are unknown (a
// token known only after apply), the result is unknown, then known.
func TestAccFunctionHasPrivilege_unknown(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	resource.Test(t, functionTest(resource.TestStep{
		Config: api.config(map[string]string{"access_token": fmt.Sprintf("%q", api.caller)}, fmt.Sprintf(`
resource "terraform_data" "token" {
  input = %q
}

data "coveo_token_privileges" "key" {
  organization_id = %q
  access_token    = terraform_data.token.output
}

output "can_query" {
  value = provider::coveo::has_privilege(data.coveo_token_privileges.key.privileges, "SEARCH_API/EXECUTE_QUERY")
}
`, api.token, api.org)),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownOutputValue("can_query")},
		},
		ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("can_query", knownvalue.Bool(true))},
	}))
}

// TestAccFunctionHasPrivilege_ephemeral: the function accepts the ephemeral
// resource's privileges, and a precondition on them passes or fails the plan.
// (The ephemeral resource's own postcondition would do too, but Terraform
// 1.11 crashes rendering such a plan as JSON, which the test framework does.)
func TestAccFunctionHasPrivilege_ephemeral(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	config := func(spec string) string {
		return api.config(map[string]string{"access_token": fmt.Sprintf("%q", api.caller)}, fmt.Sprintf(`
ephemeral "coveo_token_privileges" "key" {
  organization_id = %q
  access_token    = %q
}

resource "terraform_data" "deploy" {
  lifecycle {
    precondition {
      condition     = provider::coveo::has_privilege(ephemeral.coveo_token_privileges.key.privileges, %q)
      error_message = "The key lacks %s."
    }
  }
}
`, api.org, api.token, spec, spec))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		Steps: []resource.TestStep{
			{Config: config("PLATFORM/SOURCE/EDIT/src1")},
			{
				Config:      config("PLATFORM/SOURCE/EDIT/*"),
				ExpectError: expectError(`(?s)Resource precondition failed.*The key lacks PLATFORM/SOURCE/EDIT/\*\.`),
			},
		},
	})
}

// TestAccFunctionHasPrivilege_argumentErrors: a malformed spec, a null
// argument and an element the data source never produces are argument errors
// that name the argument.
func TestAccFunctionHasPrivilege_argumentErrors(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	for name, tc := range map[string]struct {
		args      string
		parameter string
		message   string
	}{
		"malformed spec": {`local.privileges, "PLATFORM"`, "spec",
			`has_privilege: spec: "PLATFORM" is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (the domain is missing)`},
		"too many parts": {`local.privileges, "PLATFORM/SOURCE/EDIT/a/b"`, "spec",
			`has_privilege: spec: "PLATFORM/SOURCE/EDIT/a/b" is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]]`},
		"null spec":       {`local.privileges, null`, "spec", "argument must not be null"},
		"null privileges": {`null, "PLATFORM/SOURCE"`, "privileges", "argument must not be null"},
		"null target_ids": {`[{ owner = "A", target_domain = "B", type = null, target_ids = null }], "A/B"`, "privileges",
			"has_privilege: privileges: the grant A/B has null target_ids: use [] for a grant not limited to specific resources"},
		"null element": {`[null], "A/B"`, "privileges", "has_privilege: privileges: an element is null"},
	} {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, functionTest(resource.TestStep{
				Config:      api.config(providerFor(api, api.token), keyData+fmt.Sprintf("\noutput \"o\" {\n  value = provider::coveo::has_privilege(%s)\n}\n", tc.args)),
				ExpectError: expectFunctionError(tc.parameter, tc.message),
			}))
		})
	}
}
