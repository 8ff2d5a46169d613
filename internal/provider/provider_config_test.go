package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi"
)

func nullProviderModel() providerModel {
	return providerModel{
		OrganizationID: types.StringNull(), AccessToken: types.StringNull(), Region: types.StringNull(),
		Environment: types.StringNull(), Endpoint: types.StringNull(), RequestTimeout: types.StringNull(),
		MaxRetries: types.Int64Null(),
	}
}

func envFrom(m map[string]string) func(string) string {
	return func(name string) string { return m[name] }
}

// TestResolveSettings applies attributes, then environment variables, then
// defaults, in that order.
func TestResolveSettings(t *testing.T) {
	withAttrs := func(f func(*providerModel)) providerModel {
		m := nullProviderModel()
		f(&m)
		return m
	}
	for name, tc := range map[string]struct {
		config providerModel
		env    map[string]string
		want   settings
	}{
		"defaults": {
			config: nullProviderModel(),
			want: settings{baseURL: "https://platform.cloud.coveo.com", requestTimeout: coveoapi.DefaultRequestTimeout,
				maxRetries: coveoapi.DefaultMaxRetries},
		},
		"attributes": {
			config: withAttrs(func(m *providerModel) {
				m.OrganizationID = types.StringValue("org")
				m.AccessToken = types.StringValue("xx-attr")
				m.Region = types.StringValue("au")
				m.Environment = types.StringValue("stg")
				m.RequestTimeout = types.StringValue("5s")
				m.MaxRetries = types.Int64Value(2)
			}),
			env: map[string]string{envOrganizationID: "env-org", envAccessToken: "xx-env", envRegion: "eu"},
			want: settings{organizationID: "org", accessToken: "xx-attr", baseURL: "https://platformstg-au.cloud.coveo.com",
				requestTimeout: 5 * time.Second, maxRetries: 2},
		},
		"environment": {
			config: nullProviderModel(),
			env: map[string]string{
				envOrganizationID: "env-org", envAccessToken: "xx-env", envAPIKey: "xx-key", envRegion: "ca",
				envEnvironment: "dev", envRequestTimeout: "1m", envMaxRetries: "0",
			},
			want: settings{organizationID: "env-org", accessToken: "xx-env", baseURL: "https://platformdev-ca.cloud.coveo.com",
				requestTimeout: time.Minute, maxRetries: 0},
		},
		"COVEO_API_KEY when COVEO_ACCESS_TOKEN is unset": {
			config: nullProviderModel(),
			env:    map[string]string{envAPIKey: "xx-key"},
			want: settings{accessToken: "xx-key", baseURL: "https://platform.cloud.coveo.com",
				requestTimeout: coveoapi.DefaultRequestTimeout, maxRetries: coveoapi.DefaultMaxRetries},
		},
		"endpoint overrides region and environment": {
			config: withAttrs(func(m *providerModel) {
				m.Endpoint = types.StringValue("https://proxy.example.com/coveo/")
				m.Region = types.StringValue("eu")
			}),
			env: map[string]string{envEnvironment: "hipaa"},
			want: settings{baseURL: "https://proxy.example.com/coveo", requestTimeout: coveoapi.DefaultRequestTimeout,
				maxRetries: coveoapi.DefaultMaxRetries},
		},
		"hipaa ignores the region": {
			config: withAttrs(func(m *providerModel) { m.Environment = types.StringValue("hipaa") }),
			env:    map[string]string{envRegion: "au"},
			want: settings{baseURL: "https://platformhipaa.cloud.coveo.com", requestTimeout: coveoapi.DefaultRequestTimeout,
				maxRetries: coveoapi.DefaultMaxRetries},
		},
	} {
		t.Run(name, func(t *testing.T) {
			got, diags := resolveSettings(tc.config, envFrom(tc.env))
			if diags.HasError() {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			if got != tc.want {
				t.Errorf("resolveSettings = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestResolveSettingsInvalidEnvironment names the variable and the
// attribute, and never repeats a token.
func TestResolveSettingsInvalidEnvironment(t *testing.T) {
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"region":       {env: map[string]string{envRegion: "mars"}, want: "COVEO_REGION (provider attribute region)"},
		"environment":  {env: map[string]string{envEnvironment: "qa"}, want: "COVEO_ENVIRONMENT (provider attribute environment)"},
		"endpoint":     {env: map[string]string{envEndpoint: "http://coveo.example.com"}, want: "COVEO_ENDPOINT (provider attribute endpoint)"},
		"timeout":      {env: map[string]string{envRequestTimeout: "forever"}, want: "COVEO_REQUEST_TIMEOUT (provider attribute request_timeout)"},
		"retries":      {env: map[string]string{envMaxRetries: "11"}, want: "COVEO_MAX_RETRIES (provider attribute max_retries)"},
		"organization": {env: map[string]string{envOrganizationID: "my org"}, want: "COVEO_ORGANIZATION_ID (provider attribute organization_id)"},
		"token":        {env: map[string]string{envAPIKey: "xx-secret\r\n"}, want: "COVEO_API_KEY (provider attribute access_token)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := resolveSettings(nullProviderModel(), envFrom(tc.env))
			if diags.ErrorsCount() != 1 {
				t.Fatalf("got %d errors, want 1: %v", diags.ErrorsCount(), diags)
			}
			if detail := diags[0].Detail(); !strings.Contains(detail, tc.want) || strings.Contains(detail, "xx-secret") {
				t.Errorf("detail %q: want it to name %q and not echo a token", detail, tc.want)
			}
		})
	}
}

func TestUserAgent(t *testing.T) {
	if got, want := userAgent("1.2.3", "1.11.4"), "terraform-provider-coveo/1.2.3 (+https://registry.terraform.io/providers/coveo-community/coveo) Terraform/1.11.4"; got != want {
		t.Errorf("userAgent = %q, want %q", got, want)
	}
	if got := userAgent("1.2.3", ""); strings.Contains(got, "Terraform/") {
		t.Errorf("userAgent without a Terraform version = %q", got)
	}
}

// TestUnknownProviderConfiguration configures the provider with an unknown
// token through the protocol: a client that supports deferral gets its read
// deferred; one that does not gets an error that says how to fix it.
func TestUnknownProviderConfiguration(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		deferralAllowed bool
	}{"deferral allowed": {true}, "deferral not supported": {false}} {
		t.Run(name, func(t *testing.T) {
			server := NewProtocol6Server("test")()
			schemaResp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
			if err != nil {
				t.Fatal(err)
			}
			providerType := schemaResp.Provider.ValueType()
			config := tftypes.NewValue(providerType, map[string]tftypes.Value{
				"organization_id": tftypes.NewValue(tftypes.String, "org"),
				"access_token":    tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
				"region":          tftypes.NewValue(tftypes.String, nil),
				"environment":     tftypes.NewValue(tftypes.String, nil),
				"endpoint":        tftypes.NewValue(tftypes.String, nil),
				"request_timeout": tftypes.NewValue(tftypes.String, nil),
				"max_retries":     tftypes.NewValue(tftypes.Number, nil),
			})
			dv, err := tfprotov6.NewDynamicValue(providerType, config)
			if err != nil {
				t.Fatal(err)
			}
			confResp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
				Config:             &dv,
				ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: tc.deferralAllowed},
			})
			if err != nil || len(confResp.Diagnostics) > 0 {
				t.Fatalf("ConfigureProvider: %v %v", err, confResp.Diagnostics)
			}

			dsType, ok := schemaResp.DataSourceSchemas[tokenPrivilegesTypeName].ValueType().(tftypes.Object)
			if !ok {
				t.Fatal("the data source's type is not an object")
			}
			dsConfig, err := tfprotov6.NewDynamicValue(dsType, tftypes.NewValue(dsType, map[string]tftypes.Value{
				"organization_id": tftypes.NewValue(tftypes.String, nil),
				"access_token":    tftypes.NewValue(tftypes.String, nil),
				"id":              tftypes.NewValue(tftypes.String, nil),
				"privileges":      tftypes.NewValue(dsType.AttributeTypes["privileges"], nil),
				"privilege_specs": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, nil),
			}))
			if err != nil {
				t.Fatal(err)
			}
			readResp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
				TypeName:           tokenPrivilegesTypeName,
				Config:             &dsConfig,
				ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: tc.deferralAllowed},
			})
			if err != nil {
				t.Fatal(err)
			}
			if tc.deferralAllowed {
				if readResp.Deferred == nil || readResp.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
					t.Errorf("Deferred = %+v, want provider config unknown; diagnostics %v", readResp.Deferred, readResp.Diagnostics)
				}
				if readResp.State == nil {
					t.Fatal("a deferred read returned no state")
				}
				if state, err := readResp.State.Unmarshal(dsType); err != nil || state.IsKnown() {
					t.Errorf("deferred state %v (%v), want unknown", state, err)
				}
				return
			}
			if readResp.Deferred != nil || len(readResp.Diagnostics) != 1 ||
				!strings.Contains(readResp.Diagnostics[0].Detail, "access_token") ||
				!strings.Contains(readResp.Diagnostics[0].Detail, "depends_on") {
				t.Errorf("want one error naming access_token and depends_on, got deferred %+v, diagnostics %+v", readResp.Deferred, readResp.Diagnostics)
			}
		})
	}
}

// TestReadWithUnknownProviderConfiguration suggests moving a value into the
// block only for the attributes the block has.
func TestReadWithUnknownProviderConfiguration(t *testing.T) {
	for name, tc := range map[string]struct {
		unknown  []string
		moveHint bool
	}{
		"token":    {unknown: []string{"access_token"}, moveHint: true},
		"both":     {unknown: []string{"access_token", "organization_id"}, moveHint: true},
		"endpoint": {unknown: []string{"endpoint"}},
		"mixed":    {unknown: []string{"access_token", "region"}},
	} {
		t.Run(name, func(t *testing.T) {
			m := tokenPrivilegesModel{OrganizationID: types.StringValue("org"), AccessToken: types.StringNull()}
			diags := readTokenPrivileges(context.Background(), &providerData{unknown: tc.unknown}, &m)
			if diags.ErrorsCount() != 1 {
				t.Fatalf("want one error, got %v", diags)
			}
			detail := diags[0].Detail()
			if !strings.Contains(detail, "depends_on") || !strings.Contains(detail, strings.Join(tc.unknown, " and ")) {
				t.Errorf("detail %q: want depends_on and the unknown attributes", detail)
			}
			if got := strings.Contains(detail, "this block's own organization_id or access_token"); got != tc.moveHint {
				t.Errorf("suggests moving the value into the block: %v, want %v", got, tc.moveHint)
			}
		})
	}
}
