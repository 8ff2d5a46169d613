package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi"
	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi/coveotest"
)

const dataSourceAddr = "data.coveo_token_privileges.test"

// TestAccTokenPrivilegesDataSource_providerToken inspects the provider's own
// token: nothing secret is written to the state.
func TestAccTokenPrivilegesDataSource_providerToken(t *testing.T) {
	api := newAccAPI(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: api.config(map[string]string{
				"organization_id": fmt.Sprintf("%q", api.org),
				"access_token":    fmt.Sprintf("%q", api.token),
			}, `data "coveo_token_privileges" "test" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(api.wantGrants)),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(api.org)),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(api.org+"/"+fingerprint(api.token))),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("access_token"), knownvalue.Null()),
			},
		}},
	})
	if api.server != nil {
		for _, r := range api.server.Requests() {
			if r.Authorization != "Bearer "+api.token || r.AccessToken != api.token {
				t.Errorf("self-inspection sent Authorization %q for token %q; want the token as its own caller", r.Authorization, r.AccessToken)
			}
		}
	}
}

// TestAccTokenPrivilegesDataSource_explicitToken inspects a token given to
// the data source, with the provider's token as the caller.
func TestAccTokenPrivilegesDataSource_explicitToken(t *testing.T) {
	api := newAccAPI(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: api.config(map[string]string{"access_token": fmt.Sprintf("%q", api.caller)}, fmt.Sprintf(`
data "coveo_token_privileges" "test" {
  organization_id = %q
  access_token    = %q
}`, api.org, api.token)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(api.wantGrants)),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(api.org+"/"+fingerprint(api.token))),
			},
		}},
	})
	if api.server != nil {
		reqs := api.server.Requests()
		if len(reqs) == 0 {
			t.Fatal("the embedded API received no request")
		}
		for _, r := range reqs {
			if r.Authorization != "Bearer "+api.caller || r.AccessToken != api.token || r.Organization != api.org {
				t.Errorf("request: Authorization %q, accessToken %q, organization %q; want the caller's bearer and the inspected token", r.Authorization, r.AccessToken, r.Organization)
			}
			if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "terraform-provider-coveo/test ") || !strings.Contains(ua, " Terraform/") {
				t.Errorf("User-Agent %q: want the provider's and Terraform's versions", ua)
			}
		}
	}
}

// TestAccTokenPrivilegesDataSource_environment configures the provider from
// environment variables only, with COVEO_API_KEY as the token.
func TestAccTokenPrivilegesDataSource_environment(t *testing.T) {
	api := newAccAPI(t)
	server := api.requireStub(t)
	t.Setenv(envEndpoint, server.URL)
	t.Setenv(envOrganizationID, api.org)
	t.Setenv(envAPIKey, api.token)
	t.Setenv(envMaxRetries, "0")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `data "coveo_token_privileges" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(api.wantGrants)),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("organization_id"), knownvalue.StringExact(api.org)),
			},
		}},
	})
}

// TestAccTokenPrivilegesDataSource_shapes reads each response shape, and a
// mix with duplicates and unknown fields.
func TestAccTokenPrivilegesDataSource_shapes(t *testing.T) {
	for name, tc := range map[string]struct {
		entries []coveotest.Entry
		want    []coveoapi.Privilege
	}{
		"older shape from Coveo's docs": {
			entries: []coveotest.Entry{
				coveotest.Legacy("SEARCH_API", "EXECUTE_QUERY", ""),
				coveotest.Legacy("USAGE_ANALYTICS", "ANALYTICS_DATA", "EDIT"),
			},
			want: []coveoapi.Privilege{
				{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{}},
				{Owner: "USAGE_ANALYTICS", TargetDomain: "ANALYTICS_DATA", Type: "EDIT", TargetIDs: []string{}},
			},
		},
		"current shape merged by grant": {
			entries: []coveotest.Entry{
				coveotest.Current("PLATFORM", "SOURCE", "VIEW", "*"),
				coveotest.Current("PLATFORM", "SOURCE", "EDIT", "mysourceid"),
				coveotest.Current("PLATFORM", "SOURCE", "EDIT", "othersource"),
			},
			want: []coveoapi.Privilege{
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{"*"}, Level: "NORMAL"},
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", TargetIDs: []string{"mysourceid", "othersource"}, Level: "NORMAL"},
			},
		},
		"mix with duplicates and unknown fields": {
			entries: []coveotest.Entry{
				coveotest.Legacy("SEARCH_API", "EXECUTE_QUERY", ""),
				coveotest.Legacy("SEARCH_API", "EXECUTE_QUERY", ""),
				coveotest.Current("PLATFORM", "SOURCE", "EDIT", "s1"),
				coveotest.Current("PLATFORM", "SOURCE", "EDIT", "s1"),
				coveotest.RawEntry(`{"owner":"COVEO_ML","targetDomain":"MODELS","type":"VIEW","targetId":"*","level":"GLOBAL","futureField":{"x":1}}`),
			},
			want: []coveoapi.Privilege{
				{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{}},
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", TargetIDs: []string{"s1"}, Level: "NORMAL"},
				{Owner: "COVEO_ML", TargetDomain: "MODELS", Type: "VIEW", TargetIDs: []string{"*"}, Level: "GLOBAL"},
			},
		},
		"empty answer is an empty set": {
			entries: nil,
			want:    []coveoapi.Privilege{},
		},
	} {
		t.Run(name, func(t *testing.T) {
			api := newAccAPI(t)
			server := api.requireStub(t)
			server.Grant(api.org, "xx-shapes-token", tc.entries...)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: api.config(map[string]string{
						"organization_id": fmt.Sprintf("%q", api.org),
						"access_token":    `"xx-shapes-token"`,
					}, `data "coveo_token_privileges" "test" {}`),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(tc.want)),
					},
				}},
			})
		})
	}
}

// TestAccTokenPrivilegesDataSource_unknownToken reads a token that only
// exists after apply: Terraform defers the read to apply.
func TestAccTokenPrivilegesDataSource_unknownToken(t *testing.T) {
	api := newAccAPI(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: api.config(map[string]string{"access_token": fmt.Sprintf("%q", api.caller)}, fmt.Sprintf(`
resource "terraform_data" "token" {
  input = %q
}

data "coveo_token_privileges" "test" {
  organization_id = %q
  access_token    = terraform_data.token.output
}`, api.token, api.org)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(dataSourceAddr, tfjsonpath.New("privileges")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(api.wantGrants)),
			},
		}},
	})
}

// TestAccTokenPrivilegesDataSource_unknownProviderConfig: a provider block
// unknown during plan cannot be deferred by Terraform 1.11 for a data source
// read at plan time: the diagnostic says how to fix it, and the fix works.
func TestAccTokenPrivilegesDataSource_unknownProviderConfig(t *testing.T) {
	api := newAccAPI(t)
	providerAttrs := map[string]string{
		"organization_id": fmt.Sprintf("%q", api.org),
		"access_token":    "terraform_data.token.output",
	}
	token := fmt.Sprintf(`
resource "terraform_data" "token" {
  input = %q
}
`, api.token)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      api.config(providerAttrs, token+`data "coveo_token_privileges" "test" {}`),
				ExpectError: expectError(`(?s)Provider configuration is not known yet.*access_token.*depends_on`),
			},
			{
				Config: api.config(providerAttrs, token+`
data "coveo_token_privileges" "test" {
  depends_on = [terraform_data.token]
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(api.wantGrants)),
				},
			},
		},
	})
}

// TestAccTokenPrivilegesDataSource_errors turns each class of failure into a
// readable diagnostic.
func TestAccTokenPrivilegesDataSource_errors(t *testing.T) {
	for name, tc := range map[string]struct {
		token    string
		org      string
		enqueue  []coveotest.Response
		expired  bool
		delay    time.Duration
		attrs    map[string]string
		expected string
	}{
		"invalid inspected token": {
			token:    "xx-not-a-token",
			expected: `(?s)Unable to read the privileges.*401`,
		},
		"unknown organization": {
			org:      "no-such-org",
			expected: `(?s)Unable to read the privileges.*404.*organization`,
		},
		"expired token": {
			expired:  true,
			expected: `(?s)Unable to read the privileges.*419.*xpired`,
		},
		"web firewall block": {
			enqueue:  []coveotest.Response{coveotest.WAFBlock()},
			expected: `(?s)Unable to read the privileges.*403.*(firewall|WAF)`,
		},
		"forbidden with a problem body": {
			enqueue:  []coveotest.Response{coveotest.Problem(403, "FORBIDDEN", "Caller may not do this.")},
			expected: `(?s)403.*FORBIDDEN.*Caller may not do this`,
		},
		"rate limited until retries run out": {
			enqueue:  []coveotest.Response{coveotest.TooManyRequests("0"), coveotest.TooManyRequests("0")},
			attrs:    map[string]string{"max_retries": "1"},
			expected: `(?s)429.*2 attempts`,
		},
		"proxy answers with an HTML page": {
			enqueue:  []coveotest.Response{coveotest.HTMLPage(502)},
			expected: `(?s)502.*HTML`,
		},
		"malformed success body": {
			enqueue:  []coveotest.Response{{Status: 200, Body: `[{"owner":"PLATFORM"`}},
			expected: `(?s)Unable to read the privileges.*(JSON|truncated)`,
		},
		"slow answers time out after every attempt": {
			delay:    2 * time.Second,
			attrs:    map[string]string{"request_timeout": `"100ms"`, "max_retries": "1"},
			expected: `(?s)Unable to read the privileges.*2 attempts`,
		},
		"request id from the error body": {
			enqueue:  []coveotest.Response{coveotest.AuthorizationServerError(400, "INVALID_PARAMETER", "Bad token format.", "req-1234")},
			expected: `(?s)400.*INVALID_PARAMETER.*Bad token format.*req-1234`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			api := newAccAPI(t)
			server := api.requireStub(t)
			token, org := api.token, api.org
			if tc.token != "" {
				token = tc.token
			}
			if tc.org != "" {
				org = tc.org
			}
			if tc.expired {
				server.Expire(api.token)
			}
			server.Enqueue(tc.enqueue...)
			server.SetDelay(tc.delay)
			attrs := map[string]string{"access_token": fmt.Sprintf("%q", api.caller)}
			for k, v := range tc.attrs {
				attrs[k] = v
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: api.config(attrs, fmt.Sprintf(`
data "coveo_token_privileges" "test" {
  organization_id = %q
  access_token    = %q
}`, org, token)),
					ExpectError: expectError(tc.expected),
				}},
			})
		})
	}
}

// TestAccTokenPrivilegesDataSource_retriesRecover reads through a burst of
// 503 and 502 answers and a rate limit. (The client's unit tests check the
// waits, Retry-After included.)
func TestAccTokenPrivilegesDataSource_retriesRecover(t *testing.T) {
	api := newAccAPI(t)
	server := api.requireStub(t)
	server.Enqueue(coveotest.Unavailable(503), coveotest.Unavailable(502), coveotest.TooManyRequests("1"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: api.config(map[string]string{
				"organization_id": fmt.Sprintf("%q", api.org),
				"access_token":    fmt.Sprintf("%q", api.token),
				"max_retries":     "3",
			}, `data "coveo_token_privileges" "test" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(api.wantGrants)),
			},
		}},
	})
	if got := len(server.Requests()); got < 4 {
		t.Errorf("the embedded API received %d requests, want 4 or more (three failures, then the read)", got)
	}
}

// TestAccTokenPrivilegesDataSource_missingOrganization names both places an
// organization can be set.
func TestAccTokenPrivilegesDataSource_missingOrganization(t *testing.T) {
	api := newAccAPI(t)
	api.requireStub(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      api.config(map[string]string{"access_token": fmt.Sprintf("%q", api.token)}, `data "coveo_token_privileges" "test" {}`),
			ExpectError: expectError(`(?s)Missing organization ID.*organization_id here.*provider block.*COVEO_ORGANIZATION_ID`),
		}},
	})
}

// TestAccProvider_invalidConfiguration refuses bad provider values at plan,
// naming the attribute.
func TestAccProvider_invalidConfiguration(t *testing.T) {
	for name, tc := range map[string]struct {
		attrs    map[string]string
		env      map[string]string
		expected string
	}{
		"unknown region":           {attrs: map[string]string{"region": `"mars"`}, expected: `(?s)region.*value must be one of`},
		"unknown environment":      {attrs: map[string]string{"environment": `"qa"`}, expected: `(?s)environment.*value must be one of`},
		"clear-text endpoint":      {attrs: map[string]string{"endpoint": `"http://platform.example.com"`}, expected: `(?s)endpoint.*https`},
		"malformed endpoint":       {attrs: map[string]string{"endpoint": `"not a url"`}, expected: `(?s)endpoint`},
		"empty organization":       {attrs: map[string]string{"organization_id": `""`}, expected: `(?s)organization_id.*must not be empty`},
		"blank access token":       {attrs: map[string]string{"access_token": `"   "`}, expected: `(?s)access_token.*must not be blank`},
		"bad request timeout":      {attrs: map[string]string{"request_timeout": `"soon"`}, expected: `(?s)request_timeout.*duration`},
		"too many retries":         {attrs: map[string]string{"max_retries": "11"}, expected: `(?s)max_retries.*between 0 and 10`},
		"unknown region from env":  {env: map[string]string{envRegion: "mars"}, expected: `(?s)COVEO_REGION.*region.*use one of us, eu, au, ca`},
		"clear-text endpoint env":  {env: map[string]string{envEndpoint: "http://platform.example.com"}, expected: `(?s)COVEO_ENDPOINT.*endpoint.*https`},
		"token with a newline env": {env: map[string]string{envAccessToken: "xx-token\n"}, expected: `(?s)COVEO_ACCESS_TOKEN.*access_token.*control characters`},
	} {
		t.Run(name, func(t *testing.T) {
			api := newAccAPI(t)
			api.requireStub(t)
			attrs := map[string]string{"organization_id": fmt.Sprintf("%q", api.org)}
			for k, v := range tc.attrs {
				attrs[k] = v
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.env[envEndpoint] != "" || tc.env[envRegion] != "" {
				attrs["endpoint"] = "" // the embedded API's endpoint would override them
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: api.config(attrs, fmt.Sprintf(`
data "coveo_token_privileges" "test" {
  access_token = %q
}`, api.token)),
					ExpectError: expectError(tc.expected),
				}},
			})
		})
	}
}
