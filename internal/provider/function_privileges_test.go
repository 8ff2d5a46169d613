package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi/coveotest"
	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

// TestFunctionGrantsArgument converts each element of a privileges argument:
// a null type is no type, empty target_ids are kept empty (not limited to
// specific resources), and what the data source never produces is refused.
func TestFunctionGrantsArgument(t *testing.T) {
	str := types.StringValue
	null := types.StringNull()
	targets := func(ids ...attr.Value) setValue { return setValue{SetValue: types.SetValueMust(types.StringType, ids)} }

	args := []*privilegeArgument{
		{Owner: str("SEARCH_API"), TargetDomain: str("EXECUTE_QUERY"), Type: null, TargetIDs: targets()},
		{Owner: str("PLATFORM"), TargetDomain: str("SOURCE"), Type: str("EDIT"), TargetIDs: targets(str("src1"), str("src2"))},
		{Owner: str("PLATFORM"), TargetDomain: str("FIELD"), Type: str(""), TargetIDs: targets(str("*"))},
	}
	got, err := grantsArgument("f", args)
	if err != nil {
		t.Fatal(err)
	}
	want := []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1", "src2"}},
		{Owner: "PLATFORM", Domain: "FIELD", Targets: []string{"*"}},
	}
	if len(got) != len(want) {
		t.Fatalf("grantsArgument = %#v, want %#v", got, want)
	}
	for i := range want {
		if got[i].Owner != want[i].Owner || got[i].Domain != want[i].Domain || got[i].Type != want[i].Type ||
			!slices.Equal(got[i].Targets, want[i].Targets) {
			t.Errorf("grant %d = %#v, want %#v", i, got[i], want[i])
		}
	}
	// Empty target_ids must stay "not limited", and a null type "any type".
	if !privilege.Has(got[:1], privilege.Spec{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Target: "q1"}) {
		t.Error("a grant with empty target_ids does not grant a specific target")
	}
	if privilege.Has(got[:1], privilege.Spec{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Type: "VIEW"}) {
		t.Error("a grant with a null type grants a typed spec")
	}

	if got, err := grantsArgument("f", nil); err != nil || len(got) != 0 {
		t.Errorf("grantsArgument(no elements) = %#v, %v; want no grants", got, err)
	}
}

func TestFunctionGrantsArgumentRefused(t *testing.T) {
	str := types.StringValue
	null := types.StringNull()
	targets := func(ids ...attr.Value) setValue { return setValue{SetValue: types.SetValueMust(types.StringType, ids)} }
	valid := func() *privilegeArgument {
		return &privilegeArgument{Owner: str("PLATFORM"), TargetDomain: str("SOURCE"), Type: str("VIEW"), TargetIDs: targets(str("*"))}
	}
	for name, tc := range map[string]struct {
		arg  *privilegeArgument
		want string
	}{
		"null element": {nil, "f: privileges: an element is null"},
		"null owner": {func() *privilegeArgument { a := valid(); a.Owner = null; return a }(),
			"f: privileges: a grant has a null or empty owner"},
		"empty owner": {func() *privilegeArgument { a := valid(); a.Owner = str(""); return a }(),
			"f: privileges: a grant has a null or empty owner"},
		"null target_domain": {func() *privilegeArgument { a := valid(); a.TargetDomain = null; return a }(),
			`f: privileges: a grant of owner "PLATFORM" has a null or empty target_domain`},
		"null target_ids": {func() *privilegeArgument {
			a := valid()
			a.TargetIDs = setValue{SetValue: types.SetNull(types.StringType)}
			return a
		}(),
			"f: privileges: the grant PLATFORM/SOURCE/VIEW has null target_ids: use [] for a grant not limited to specific resources"},
		"null target id": {func() *privilegeArgument { a := valid(); a.TargetIDs = targets(str("*"), null); return a }(),
			"f: privileges: the grant PLATFORM/SOURCE/VIEW has a null or empty target id: use * for all resources"},
		"empty target id": {func() *privilegeArgument { a := valid(); a.TargetIDs = targets(str("")); return a }(),
			"f: privileges: the grant PLATFORM/SOURCE/VIEW has a null or empty target id: use * for all resources"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := grantsArgument("f", []*privilegeArgument{valid(), tc.arg})
			if err == nil {
				t.Fatalf("grantsArgument = %#v, want an error", got)
			}
			if !err.Equal(function.NewArgumentFuncError(0, tc.want)) {
				t.Errorf("error = %q at argument %v, want %q at argument 0", err.Text, argumentPosition(err), tc.want)
			}
		})
	}
}

// TestFunctionSpecsArgument names each bad element by its index and reports
// them all, at the argument's position.
func TestFunctionSpecsArgument(t *testing.T) {
	got, err := specsArgument("f", "specs", []types.String{types.StringValue("A/B"), types.StringValue("PLATFORM/SOURCE/VIEW/*")})
	if err != nil {
		t.Fatal(err)
	}
	if want := []privilege.Spec{{Owner: "A", Domain: "B"}, {Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Target: "*"}}; !slices.Equal(got, want) {
		t.Errorf("specsArgument = %#v, want %#v", got, want)
	}

	_, err = specsArgument("f", "specs", []types.String{
		types.StringValue("A/B"), types.StringNull(), types.StringValue("PLATFORM"), types.StringValue("A/B/C/D/E"),
	})
	want := function.NewArgumentFuncError(1, strings.Join([]string{
		"f: specs[1]: null is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]]",
		`f: specs[2]: "PLATFORM" is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (the domain is missing)`,
		`f: specs[3]: "A/B/C/D/E" is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (5 parts, at most 4 are allowed)`,
	}, "\n"))
	if !err.Equal(want) {
		t.Errorf("error = %q at argument %v, want %q at argument 1", err.Error(), argumentPosition(err), want.Text)
	}

	if got, err := specsArgument("f", "specs", nil); err != nil || len(got) != 0 {
		t.Errorf("specsArgument(no specs) = %#v, %v; want no specs", got, err)
	}
}

func argumentPosition(err *function.FuncError) any {
	if err == nil || err.FunctionArgument == nil {
		return nil
	}
	return *err.FunctionArgument
}

// privilegesArgumentValue is a privileges argument as the framework passes
// it to Run: Terraform has already dropped level and global.
func privilegesArgumentValue(t *testing.T, grants ...privilege.Grant) setValue {
	t.Helper()
	elems := make([]attr.Value, len(grants))
	for i, g := range grants {
		ids := make([]attr.Value, len(g.Targets))
		for j, id := range g.Targets {
			ids[j] = types.StringValue(id)
		}
		typ := types.StringNull()
		if g.Type != "" {
			typ = types.StringValue(g.Type)
		}
		elems[i] = types.ObjectValueMust(privilegeArgumentType.AttrTypes, map[string]attr.Value{
			"owner":         types.StringValue(g.Owner),
			"target_domain": types.StringValue(g.Domain),
			"type":          typ,
			"target_ids":    setValue{SetValue: types.SetValueMust(types.StringType, ids)},
		})
	}
	return setValue{SetValue: types.SetValueMust(privilegeArgumentType, elems)}
}

// fixturePrivilegeGrants are fixtureGrants as the privilege package sees them.
func fixturePrivilegeGrants() []privilege.Grant {
	grants := make([]privilege.Grant, len(fixtureGrants))
	for i, p := range fixtureGrants {
		grants[i] = grantOf(p)
	}
	return grants
}

func stringList(ss ...string) types.List {
	elems := make([]attr.Value, len(ss))
	for i, s := range ss {
		elems[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, elems)
}

// runFunction calls f as the framework does, once Terraform has checked that
// no argument is null or unknown.
func runFunction(t *testing.T, f function.Function, args ...attr.Value) (attr.Value, *function.FuncError) {
	t.Helper()
	ctx := context.Background()
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	result, err := def.Definition.Return.NewResultData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp := function.RunResponse{Result: result}
	f.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData(args)}, &resp)
	return resp.Result.Value(), resp.Error
}

// Acceptance tests of the functions run terraform against the embedded Coveo
// API, where data.coveo_token_privileges.key reads the fixture token:
//
//	SEARCH_API/EXECUTE_QUERY             (no type, target_ids [])
//	USAGE_ANALYTICS/ANALYTICS_DATA/EDIT  (target_ids [])
//	PLATFORM/SOURCE/VIEW                 (target_ids ["*"])
//	PLATFORM/SOURCE/EDIT                 (target_ids ["src1", "src2"])

// functionTest is the test case of an acceptance test that calls provider
// functions, which Terraform has from 1.8.
func functionTest(steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps:                    steps,
	}
}

// providerFor configures the provider to inspect token itself.
func providerFor(api *accAPI, token string) map[string]string {
	return map[string]string{
		"organization_id": fmt.Sprintf("%q", api.org),
		"access_token":    fmt.Sprintf("%q", token),
	}
}

// example reads files of examples/assertions, which the data source's docs
// show, so that the tests prove what the docs promise.
func example(t *testing.T, files ...string) string {
	t.Helper()
	var b strings.Builder
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join("..", "..", "examples", "assertions", f))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(src)
		b.WriteByte('\n')
	}
	return b.String()
}

// deploymentToken holds what examples/assertions/deployment-key.tf needs,
// plus PLATFORM/API_KEY/EDIT/*, which its check block does not allow.
const deploymentToken = "xx-deployment-token"

func grantDeploymentToken(api *accAPI) {
	api.server.Grant(api.org, deploymentToken,
		coveotest.Current("PLATFORM", "SOURCE", "VIEW", "*"),
		coveotest.Current("PLATFORM", "SOURCE", "EDIT", "mysourceid"),
		coveotest.Current("PLATFORM", "FIELD", "EDIT", "*"),
		coveotest.Current("PLATFORM", "API_KEY", "EDIT", "*"),
	)
}

// keyData reads the fixture token into local.privileges.
const keyData = `data "coveo_token_privileges" "key" {}

locals {
  privileges = data.coveo_token_privileges.key.privileges
}
`

// functionOutput is an output whose value is expr, and the value it must have
// after apply.
type functionOutput struct {
	expr string
	want knownvalue.Check
}

// outputsStep applies keyData and one output per entry, named by its key,
// and checks every output's value.
func outputsStep(api *accAPI, outputs map[string]functionOutput) resource.TestStep {
	var body strings.Builder
	body.WriteString(keyData)
	checks := make([]statecheck.StateCheck, 0, len(outputs))
	for _, name := range slices.Sorted(maps.Keys(outputs)) {
		fmt.Fprintf(&body, "\noutput %q {\n  value = %s\n}\n", name, outputs[name].expr)
		checks = append(checks, statecheck.ExpectKnownOutputValue(name, outputs[name].want))
	}
	return resource.TestStep{Config: api.config(providerFor(api, api.token), body.String()), ConfigStateChecks: checks}
}

// stringsExact checks a list of exactly ss, in order.
func stringsExact(ss ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ss))
	for i, s := range ss {
		checks[i] = knownvalue.StringExact(s)
	}
	return knownvalue.ListExact(checks)
}

// expectFunctionError matches Terraform's diagnostic for an argument error
// of a provider function: the parameter it names, then the message, quoted
// literally apart from white space (line breaks included), which Terraform
// rewraps.
func expectFunctionError(parameter, message string) *regexp.Regexp {
	return expectError(`Invalid function argument (?s:.*)Invalid value for "` + parameter + `" parameter: ` +
		regexp.QuoteMeta(strings.ReplaceAll(message, "\n", " ")))
}

// TestAccFunctionFallback_privilegeSpecsContains is the Terraform 1.0–1.7
// fallback to the functions: contains() on privilege_specs, exact strings.
func TestAccFunctionFallback_privilegeSpecsContains(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	outputs := map[string]functionOutput{}
	for name, tc := range map[string]struct {
		spec string
		want bool
	}{
		"type_less":           {"SEARCH_API/EXECUTE_QUERY", true},
		"typed":               {"PLATFORM/SOURCE/EDIT", true},
		"each_target":         {"PLATFORM/SOURCE/EDIT/src2", true},
		"star":                {"PLATFORM/SOURCE/VIEW/*", true},
		"no_wildcard":         {"PLATFORM/SOURCE/VIEW/src1", false},
		"no_star_for_targets": {"PLATFORM/SOURCE/EDIT/*", false},
		"no_case_folding":     {"search_api/execute_query", false},
		"empty_targets":       {"USAGE_ANALYTICS/ANALYTICS_DATA/EDIT", true},
	} {
		outputs[name] = functionOutput{
			expr: fmt.Sprintf("contains(data.coveo_token_privileges.key.privilege_specs, %q)", tc.spec),
			want: knownvalue.Bool(tc.want),
		}
	}
	// No version check: this is what Terraform before 1.8 can run.
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{outputsStep(api, outputs)},
	})
}

// TestAccFunctionFallback_example runs the Terraform 1.0–1.7 example: a key
// with a grant on the one source, or on every source, passes; one with other
// sources only fails.
func TestAccFunctionFallback_example(t *testing.T) {
	api := newAccAPI(t)
	server := api.requireStub(t)
	grantDeploymentToken(api)
	const allSourcesToken = "xx-all-sources-token"
	server.Grant(api.org, allSourcesToken,
		coveotest.Current("PLATFORM", "SOURCE", "EDIT", "*"),
		coveotest.Current("PLATFORM", "FIELD", "EDIT", "myfield"),
	)
	body := example(t, "terraform-1.0.tf")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_2_0)}, // postconditions
		Steps: []resource.TestStep{
			{
				Config:      api.config(providerFor(api, api.token), body),
				ExpectError: expectError(`(?s)Resource postcondition failed.*The deployment key cannot edit the source mysourceid\.`),
			},
			{Config: api.config(providerFor(api, deploymentToken), body)},
			{Config: api.config(providerFor(api, allSourcesToken), body)},
		},
	})
}

// TestAccFunctionTerraformTestExample runs examples/terraform-test with
// `terraform test`, as a team gating CI on it would, against this process's
// provider and the embedded Coveo API: it fails on the fixture token, which
// holds PLATFORM privileges beyond the example's allow-list, naming them, and
// passes once they are allowed.
func TestAccFunctionTerraformTestExample(t *testing.T) {
	binary := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || binary == "" {
		t.Skip("runs terraform: set TF_ACC and TF_ACC_TERRAFORM_PATH (scripts/with-terraform.sh does)")
	}
	api := newAccAPI(t)
	api.requireStub(t)
	if openTofu() {
		// OpenTofu 1.12.6 panics (evalContextProviderFunction) when a test
		// file calls a provider function.
		t.Skip("tofu test crashes on provider functions in OpenTofu 1.12.6")
	}
	if major, minor := terraformVersion(t, binary); major == 1 && minor < 8 {
		t.Skipf("provider functions need Terraform 1.8, this is %d.%d", major, minor)
	}

	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "examples", "terraform-test"))); err != nil {
		t.Fatal(err)
	}
	// The provider serves from this process: its environment is this test's.
	t.Setenv(envEndpoint, api.endpoint)
	t.Setenv(envOrganizationID, api.org)
	t.Setenv(envAccessToken, api.token)
	t.Setenv(envMaxRetries, "0")
	env := append(os.Environ(), "TF_REATTACH_PROVIDERS="+serveProvider(t))

	terraform := func(args ...string) (string, error) {
		cmd := exec.Command(binary, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := terraform("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out)
	}

	out, err := terraform("test", "-no-color")
	if err == nil {
		t.Fatalf("terraform test passed on a key with privileges beyond the allow-list:\n%s", out)
	}
	want := expectError(regexp.QuoteMeta("The key holds more than allowed: PLATFORM/SOURCE/EDIT/src1, PLATFORM/SOURCE/EDIT/src2, PLATFORM/SOURCE/VIEW/*."))
	if !want.MatchString(out) || strings.Contains(out, "The key lacks") || strings.Contains(out, "cannot execute queries") {
		t.Errorf("terraform test did not fail on the excess privileges alone:\n%s", out)
	}

	out, err = terraform("test", "-no-color",
		`-var=allowed=["SEARCH_API/EXECUTE_QUERY", "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT", "PLATFORM/SOURCE"]`)
	if err != nil || !strings.Contains(out, "1 passed, 0 failed") {
		t.Errorf("terraform test with every privilege allowed: %v\n%s", err, out)
	}
}

// terraformVersion is the version the binary reports, OpenTofu included.
func terraformVersion(t *testing.T, binary string) (major, minor int) {
	t.Helper()
	out, err := exec.Command(binary, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", binary, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", binary, err)
	}
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("%s version %q: %v", binary, v.Version, err)
	}
	return major, minor
}

// serveProvider serves the provider from this process until the test ends
// and returns the TF_REATTACH_PROVIDERS value that points terraform at it,
// under the provider's address on both registries.
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve("registry.terraform.io/coveo-community/coveo", NewProtocol6Server("test"),
			tf6server.WithDebug(ctx, configCh, closeCh), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	var config *plugin.ReattachConfig
	select {
	case config = <-configCh:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})

	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	r := reattach{
		Protocol: string(config.Protocol), ProtocolVersion: config.ProtocolVersion, Pid: config.Pid, Test: true,
		Addr: addr{config.Addr.Network(), config.Addr.String()},
	}
	b, err := json.Marshal(map[string]reattach{
		"registry.terraform.io/coveo-community/coveo": r,
		"registry.opentofu.org/coveo-community/coveo": r,
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
