package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi"
	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi/coveotest"
)

// Acceptance tests run the real terraform binary (TF_ACC_TERRAFORM_PATH)
// against the provider served in this process. Offline (the default), they
// point it at the embedded Coveo API. With COVEO_LIVE=1 plus
// COVEO_ACCESS_TOKEN and COVEO_ORGANIZATION_ID (make testacc-live), the tests
// that make sense against any real token run against the Coveo Platform; the
// rest, which script the API's answers, are skipped.

// testAccProtoV6ProviderFactories serves the provider in-process to terraform.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"coveo": func() (tfprotov6.ProviderServer, error) { return NewProtocol6Server("test")(), nil },
}

// coveoEnvVars are the provider's environment fallbacks: offline tests clear
// them so that a developer's real credentials are never used by accident.
var coveoEnvVars = []string{
	envOrganizationID, envAccessToken, envAPIKey, envRegion, envEnvironment, envEndpoint,
	envRequestTimeout, envMaxRetries,
}

func TestMain(m *testing.M) {
	if !liveMode() {
		for _, name := range coveoEnvVars {
			_ = os.Unsetenv(name)
		}
	}
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		// The configurations name coveo-community/coveo, which the test
		// framework maps to this process only under that namespace.
		_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "coveo-community")
	}
	os.Exit(m.Run())
}

// openTofu reports whether the acceptance tests run OpenTofu, which
// scripts/with-terraform.sh says by mapping providers to OpenTofu's registry.
func openTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
}

// liveMode reports whether the user asked for tests against the real platform.
func liveMode() bool {
	return os.Getenv("COVEO_LIVE") == "1"
}

// accAPI is the Coveo API that one acceptance test talks to.
type accAPI struct {
	server   *coveotest.Server // nil against the real platform
	endpoint string            // "" against the real platform: region and environment decide
	org      string
	token    string // holds wantGrants in org
	caller   string // a second valid token with no privileges
	// wantGrants are the privileges token holds in org.
	wantGrants []coveoapi.Privilege
}

// The grants of the offline fixture token: both shapes, a merged grant, a
// type-less grant and an older-shape [] grant.
var fixtureEntries = []coveotest.Entry{
	coveotest.Legacy("SEARCH_API", "EXECUTE_QUERY", ""),
	coveotest.Legacy("USAGE_ANALYTICS", "ANALYTICS_DATA", "EDIT"),
	coveotest.Current("PLATFORM", "SOURCE", "VIEW", "*"),
	coveotest.Current("PLATFORM", "SOURCE", "EDIT", "src1"),
	coveotest.Current("PLATFORM", "SOURCE", "EDIT", "src2"),
}

var fixtureGrants = []coveoapi.Privilege{
	{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{}},
	{Owner: "USAGE_ANALYTICS", TargetDomain: "ANALYTICS_DATA", Type: "EDIT", TargetIDs: []string{}},
	{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{"*"}, Level: "NORMAL"},
	{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", TargetIDs: []string{"src1", "src2"}, Level: "NORMAL"},
}

const (
	fixtureOrg    = "testorg"
	fixtureToken  = "xx2c1fa0b6-0f5e-4a43-9a5e-2b8e7c6d5f41"
	fixtureCaller = "xx9d8e7f60-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
)

// newAccAPI starts the embedded Coveo API with the fixture, or, in live mode,
// reads the real privileges of the user's token to know what to expect.
func newAccAPI(t *testing.T) *accAPI {
	t.Helper()
	if liveMode() {
		org, token := os.Getenv(envOrganizationID), os.Getenv(envAccessToken)
		if org == "" || token == "" {
			t.Fatalf("COVEO_LIVE=1 needs %s and %s", envOrganizationID, envAccessToken)
		}
		base, err := coveoapi.PlatformURL(envOr(envEnvironment, coveoapi.DefaultEnvironment), envOr(envRegion, coveoapi.DefaultRegion))
		if ep := os.Getenv(envEndpoint); ep != "" {
			base, err = coveoapi.ValidateEndpoint(ep)
		}
		if err != nil {
			t.Fatal(err)
		}
		client, err := coveoapi.NewClient(coveoapi.Config{BaseURL: base, UserAgent: "terraform-provider-coveo/acceptance-test"})
		if err != nil {
			t.Fatal(err)
		}
		grants, err := client.TokenPrivileges(context.Background(), org, token)
		if err != nil {
			t.Fatalf("reading the live token's privileges: %v", err)
		}
		return &accAPI{org: org, token: token, caller: token, wantGrants: grants}
	}
	server := coveotest.NewServer()
	t.Cleanup(server.Close)
	server.Grant(fixtureOrg, fixtureToken, fixtureEntries...)
	server.AddToken(fixtureCaller)
	return &accAPI{
		server: server, endpoint: server.URL, org: fixtureOrg, token: fixtureToken, caller: fixtureCaller,
		wantGrants: fixtureGrants,
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// requireStub skips a test that scripts the API's answers when it runs
// against the real platform.
func (a *accAPI) requireStub(t *testing.T) *coveotest.Server {
	t.Helper()
	if a.server == nil {
		t.Skip("scripts the Coveo API's answers: runs only against the embedded API")
	}
	return a.server
}

// config renders the terraform block, a provider block with providerAttrs
// (HCL expressions; "" leaves an attribute out) plus the embedded API's
// endpoint and no retries unless given, and then body.
func (a *accAPI) config(providerAttrs map[string]string, body string) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    coveo = { source = \"coveo-community/coveo\" }\n  }\n}\n\n")
	b.WriteString("provider \"coveo\" {\n")
	if _, ok := providerAttrs["endpoint"]; !ok && a.endpoint != "" {
		fmt.Fprintf(&b, "  endpoint = %q\n", a.endpoint)
	}
	for _, k := range sortedKeys(providerAttrs) {
		v := providerAttrs[k]
		if v == "" {
			continue
		}
		fmt.Fprintf(&b, "  %s = %s\n", k, v)
	}
	if _, ok := providerAttrs["max_retries"]; !ok {
		// Error tests expect one answer per read, not a retried one.
		b.WriteString("  max_retries = 0\n")
	}
	b.WriteString("}\n\n")
	b.WriteString(body)
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// privilegesCheck is the knownvalue check of a `privileges` set holding
// exactly grants.
func privilegesCheck(grants []coveoapi.Privilege) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(grants))
	for _, g := range grants {
		targets := make([]knownvalue.Check, len(g.TargetIDs))
		for i, id := range g.TargetIDs {
			targets[i] = knownvalue.StringExact(id)
		}
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"owner":         knownvalue.StringExact(g.Owner),
			"target_domain": knownvalue.StringExact(g.TargetDomain),
			"type":          stringOrNull(g.Type),
			"target_ids":    knownvalue.SetExact(targets),
			"level":         stringOrNull(g.Level),
			"global":        knownvalue.Bool(g.Global),
		}))
	}
	return knownvalue.SetExact(checks)
}

func stringOrNull(s string) knownvalue.Check {
	if s == "" {
		return knownvalue.Null()
	}
	return knownvalue.StringExact(s)
}

// expectError compiles a diagnostic pattern in which each space matches any
// run of white space, since Terraform wraps diagnostic text to its width.
func expectError(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}
