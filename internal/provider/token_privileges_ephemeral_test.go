package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Ephemeral resources need Terraform 1.10. Their result never reaches the
// state, so these tests see it through the echo provider, which copies its
// (ephemeral) provider configuration to the state of its echo resource, and
// through conditions, which fail the run.

const echoAddr = "echo.test"

var skipBelowEphemeral = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}

// echoFactories serves the provider under test and the echo provider.
var echoFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"coveo": testAccProtoV6ProviderFactories["coveo"],
	"echo":  echoprovider.NewProviderServer(),
}

// withEcho adds the echo provider, configured with data, and its echo.test
// resource to a configuration that api.config rendered.
func withEcho(t *testing.T, cfg, data string) string {
	t.Helper()
	const coveo = `coveo = { source = "coveo-community/coveo" }`
	if !strings.Contains(cfg, coveo) {
		t.Fatalf("no %s to add the echo provider next to in:\n%s", coveo, cfg)
	}
	return strings.Replace(cfg, coveo, coveo+"\n    echo  = { source = \"coveo-community/echo\" }", 1) + `
provider "echo" {
  data = ` + data + `
}

resource "echo" "test" {}
`
}

// noTokenPrivilegesInState fails when the state holds any
// coveo_token_privileges block: an ephemeral resource never reaches it.
type noTokenPrivilegesInState struct{}

func (noTokenPrivilegesInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Type == tokenPrivilegesTypeName || strings.HasPrefix(r.Address, "ephemeral.") {
			resp.Error = fmt.Errorf("the state holds %s", r.Address)
			return
		}
	}
}

// privilegeSpecsCheck is the knownvalue check of the specs of grants,
// computed as the provider does.
func privilegeSpecsCheck(t *testing.T, api *accAPI) knownvalue.Check {
	t.Helper()
	specs, diags := privilegeSpecsValue(api.wantGrants)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var checks []knownvalue.Check
	for _, e := range specs.Elements() {
		s, ok := e.(types.String)
		if !ok {
			t.Fatalf("privilege_specs holds a %T", e)
		}
		checks = append(checks, knownvalue.StringExact(s.ValueString()))
	}
	return knownvalue.SetExact(checks)
}

// TestAccTokenPrivilegesEphemeral_explicitToken inspects a token from an
// ephemeral variable, with the provider's token, from another, as the
// caller: every computed attribute reaches the echo resource, and neither
// token nor the ephemeral resource reaches the state.
func TestAccTokenPrivilegesEphemeral_explicitToken(t *testing.T) {
	api := newAccAPI(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowEphemeral,
		ProtoV6ProviderFactories: echoFactories,
		Steps: []resource.TestStep{{
			Config: withEcho(t, api.config(map[string]string{"access_token": "var.caller"}, tokenVariables(true, "caller", "inspected")+fmt.Sprintf(`
ephemeral "coveo_token_privileges" "test" {
  organization_id = %q
  access_token    = var.inspected
}
`, api.org)), `{
    id              = ephemeral.coveo_token_privileges.test.id
    organization_id = ephemeral.coveo_token_privileges.test.organization_id
    privileges      = ephemeral.coveo_token_privileges.test.privileges
    privilege_specs = ephemeral.coveo_token_privileges.test.privilege_specs
  }`),
			ConfigVariables: config.Variables{
				"caller":    config.StringVariable(api.caller),
				"inspected": config.StringVariable(api.token),
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(echoAddr, tfjsonpath.New("data").AtMapKey("privileges"), privilegesCheck(api.wantGrants)),
				statecheck.ExpectKnownValue(echoAddr, tfjsonpath.New("data").AtMapKey("privilege_specs"), privilegeSpecsCheck(t, api)),
				statecheck.ExpectKnownValue(echoAddr, tfjsonpath.New("data").AtMapKey("id"), knownvalue.StringExact(api.org+"/"+fingerprint(api.token))),
				statecheck.ExpectKnownValue(echoAddr, tfjsonpath.New("data").AtMapKey("organization_id"), knownvalue.StringExact(api.org)),
				noTokenPrivilegesInState{},
				leakStateCheck{huntFor(map[string]string{"inspected token": api.token, "caller token": api.caller})},
			},
		}},
	})
	if api.server != nil {
		requireTokensSent(t, api.server, api.caller, api.token)
	}
}

// TestAccTokenPrivilegesEphemeral_providerToken inspects the provider's own
// token when no access_token is set.
func TestAccTokenPrivilegesEphemeral_providerToken(t *testing.T) {
	api := newAccAPI(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowEphemeral,
		ProtoV6ProviderFactories: echoFactories,
		Steps: []resource.TestStep{{
			Config: withEcho(t, api.config(map[string]string{
				"organization_id": fmt.Sprintf("%q", api.org),
				"access_token":    "var.token",
			}, tokenVariables(true, "token")+`
ephemeral "coveo_token_privileges" "test" {}
`), `ephemeral.coveo_token_privileges.test.privileges`),
			ConfigVariables: config.Variables{"token": config.StringVariable(api.token)},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(echoAddr, tfjsonpath.New("data"), privilegesCheck(api.wantGrants)),
				noTokenPrivilegesInState{},
				leakStateCheck{huntFor(map[string]string{"provider token": api.token})},
			},
		}},
	})
	if api.server != nil {
		requireTokensSent(t, api.server, api.token, api.token)
	}
}

// TestAccTokenPrivilegesEphemeral_example runs the documentation's example:
// a search key passes its preconditions, and a key that can edit stops the
// apply with the condition's message. The run never stores the key.
func TestAccTokenPrivilegesEphemeral_example(t *testing.T) {
	api := newAccAPI(t)
	server := api.requireStub(t)
	example, err := os.ReadFile("../../examples/ephemeral-resources/coveo_token_privileges/ephemeral-resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	const searchKey = "xx-ephemeral-search-key-5d2e8a"
	server.Grant(api.org, searchKey, fixtureEntries[0])
	cfg := api.config(map[string]string{"organization_id": fmt.Sprintf("%q", api.org), "access_token": fmt.Sprintf("%q", api.caller)}, string(example))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowEphemeral,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: config.Variables{"search_api_key": config.StringVariable(searchKey)},
				ConfigStateChecks: []statecheck.StateCheck{
					noTokenPrivilegesInState{},
					leakStateCheck{huntFor(map[string]string{"search key": searchKey})},
				},
			},
			{
				Config:          cfg,
				ConfigVariables: config.Variables{"search_api_key": config.StringVariable(api.token)}, // holds USAGE_ANALYTICS/ANALYTICS_DATA/EDIT
				ExpectError:     expectError(`(?s)Resource precondition failed.*The public search key can edit the organization`),
			},
		},
	})
}

// TestAccTokenPrivilegesEphemeral_postconditions fails the ephemeral
// resource's own postconditions: the condition's message is shown, unless it
// refers to the ephemeral result, which Terraform then withholds. Only
// failing conditions can be tested here: Terraform 1.11's
// `terraform show -json`, which the test framework runs on every saved plan,
// crashes on the condition results of an ephemeral resource.
func TestAccTokenPrivilegesEphemeral_postconditions(t *testing.T) {
	api := newAccAPI(t)
	key := func(postcondition string) string {
		return api.config(map[string]string{"organization_id": fmt.Sprintf("%q", api.org), "access_token": fmt.Sprintf("%q", api.caller)},
			tokenVariables(true, "key")+`
ephemeral "coveo_token_privileges" "test" {
  access_token = var.key

  lifecycle {
    postcondition {
`+postcondition+`
    }
  }
}
`)
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowEphemeral,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: key(`
      condition     = length(self.privileges) == 0
      error_message = "The key holds privileges."`),
				ConfigVariables: config.Variables{"key": config.StringVariable(api.token)},
				ExpectError:     expectError(`(?s)Resource postcondition failed.*The key holds privileges`),
			},
			{
				Config: key(`
      condition     = length(self.privileges) == 0
      error_message = "The key holds ${join(", ", self.privilege_specs)}."`),
				ConfigVariables: config.Variables{"key": config.StringVariable(api.token)},
				ExpectError:     expectError(`(?s)Resource postcondition failed.*has an invalid error message`),
			},
		},
	})
}

// TestAccTokenPrivilegesEphemeral_unknownToken opens the ephemeral resource
// with a token that is only known during apply: Terraform opens it then.
func TestAccTokenPrivilegesEphemeral_unknownToken(t *testing.T) {
	api := newAccAPI(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowEphemeral,
		ProtoV6ProviderFactories: echoFactories,
		Steps: []resource.TestStep{{
			Config: withEcho(t, api.config(map[string]string{"organization_id": fmt.Sprintf("%q", api.org), "access_token": "var.caller"},
				tokenVariables(false, "caller", "token")+`
resource "terraform_data" "token" {
  input = var.token
}

ephemeral "coveo_token_privileges" "test" {
  access_token = terraform_data.token.output
}
`), `ephemeral.coveo_token_privileges.test.privileges`),
			ConfigVariables: config.Variables{
				"caller": config.StringVariable(api.caller),
				"token":  config.StringVariable(api.token),
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(echoAddr, tfjsonpath.New("data"), privilegesCheck(api.wantGrants)),
				noTokenPrivilegesInState{},
			},
		}},
	})
}

// TestAccTokenPrivilegesEphemeral_missingOrganization names both places an
// organization can be set, as the data source does.
func TestAccTokenPrivilegesEphemeral_missingOrganization(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   skipBelowEphemeral,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      api.config(map[string]string{"access_token": fmt.Sprintf("%q", api.token)}, `ephemeral "coveo_token_privileges" "test" {}`),
			ExpectError: expectError(`(?s)Missing organization ID.*organization_id here.*provider block.*COVEO_ORGANIZATION_ID`),
		}},
	})
}

// TestTokenPrivilegesSchemasAgree keeps the ephemeral resource's schema the
// same as the data source's (the framework's two schema packages cannot
// share attribute values): same type, and per attribute the same flags and
// description.
func TestTokenPrivilegesSchemasAgree(t *testing.T) {
	ctx := context.Background()
	var dsResp datasource.SchemaResponse
	newTokenPrivilegesDataSource().Schema(ctx, datasource.SchemaRequest{}, &dsResp)
	var ephResp ephemeral.SchemaResponse
	newTokenPrivilegesEphemeral().Schema(ctx, ephemeral.SchemaRequest{}, &ephResp)

	if !dsResp.Schema.Type().Equal(ephResp.Schema.Type()) {
		t.Fatalf("types differ:\n data source %s\n ephemeral   %s", dsResp.Schema.Type(), ephResp.Schema.Type())
	}
	type attribute interface {
		GetMarkdownDescription() string
		IsOptional() bool
		IsComputed() bool
		IsSensitive() bool
	}
	compare := func(name string, d, e attribute) {
		if d.GetMarkdownDescription() != e.GetMarkdownDescription() && name != "access_token" {
			t.Errorf("%s: descriptions differ", name)
		}
		if d.IsOptional() != e.IsOptional() || d.IsComputed() != e.IsComputed() || d.IsSensitive() != e.IsSensitive() {
			t.Errorf("%s: optional/computed/sensitive differ", name)
		}
	}
	for name, d := range dsResp.Schema.Attributes {
		e, ok := ephResp.Schema.Attributes[name]
		if !ok {
			t.Errorf("the ephemeral resource lacks %s", name)
			continue
		}
		compare(name, d, e)
	}
	dPrivileges, dOK := dsResp.Schema.Attributes["privileges"].(dsschema.SetNestedAttribute)
	ePrivileges, eOK := ephResp.Schema.Attributes["privileges"].(ephschema.SetNestedAttribute)
	if !dOK || !eOK {
		t.Fatal("privileges is not a set nested attribute in both schemas")
	}
	dNested, eNested := dPrivileges.NestedObject.Attributes, ePrivileges.NestedObject.Attributes
	for name, d := range dNested {
		compare("privileges."+name, d, eNested[name])
	}
}
