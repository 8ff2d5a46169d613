// Package provider implements the Coveo Terraform provider on
// terraform-plugin-framework. It knows Terraform; everything about HTTP and
// Coveo's wire format lives in internal/coveoapi.
package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi"
)

// Environment variables read when the matching provider attribute is unset.
const (
	envOrganizationID = "COVEO_ORGANIZATION_ID"
	envAccessToken    = "COVEO_ACCESS_TOKEN"
	envAPIKey         = "COVEO_API_KEY"
	envRegion         = "COVEO_REGION"
	envEnvironment    = "COVEO_ENVIRONMENT"
	envEndpoint       = "COVEO_ENDPOINT"
	envRequestTimeout = "COVEO_REQUEST_TIMEOUT"
	envMaxRetries     = "COVEO_MAX_RETRIES"
)

// maxRetriesLimit bounds max_retries so that a failing read always gives up
// in a bounded time.
const maxRetriesLimit = 10

// maxRequestTimeout bounds request_timeout for the same reason.
const maxRequestTimeout = 10 * time.Minute

var (
	_ provider.ProviderWithEphemeralResources = &coveoProvider{}
	_ provider.ProviderWithFunctions          = &coveoProvider{}
)

// coveoProvider is the coveo provider.
type coveoProvider struct {
	version string
	// getenv reads the environment; tests replace it.
	getenv func(string) string
	// data is what the last Configure produced, for protocolServer.
	data atomic.Pointer[providerData]
}

// configured returns what Configure produced, or nil before it ran.
func (p *coveoProvider) configured() *providerData {
	return p.data.Load()
}

type providerModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	AccessToken    types.String `tfsdk:"access_token"`
	Region         types.String `tfsdk:"region"`
	Environment    types.String `tfsdk:"environment"`
	Endpoint       types.String `tfsdk:"endpoint"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
}

// providerData is what Configure hands to data sources and ephemeral
// resources.
type providerData struct {
	client         *coveoapi.Client
	organizationID string // "" when neither the provider block nor the environment sets it
	accessToken    string // the caller token; "" when each token inspects itself
	// unknown names the provider attributes that were unknown when Terraform
	// configured the provider during plan, so a read can explain why it
	// cannot run yet.
	unknown []string
	// deferred is set when Configure asked Terraform to defer every read.
	deferred bool
}

func (p *coveoProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "coveo"
	resp.Version = p.version
}

func (p *coveoProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Coveo provider reads the privileges of Coveo Platform access tokens " +
			"(API keys, OAuth2 access tokens and search tokens) so that Terraform plans, `check` blocks " +
			"and tests can assert on them.\n\n" +
			"Every attribute is optional and falls back to an environment variable. A read that keeps " +
			"failing gives up after `max_retries` retries: at most `(max_retries + 1) × request_timeout` " +
			"spent in requests plus at most 30 seconds of waiting before each retry (4.5 minutes with the defaults).",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: "The default Coveo organization for data sources and ephemeral resources that " +
					"do not set their own. Falls back to `" + envOrganizationID + "`.",
				Optional:   true,
				Validators: []validator.String{notBlank()},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The caller token, sent as `Authorization: Bearer` on every request. It needs no " +
					"privilege in the organization. When unset, every inspected token is sent as its own caller, and a " +
					"data source that sets no `access_token` of its own inspects this token. Falls back to `" +
					envAccessToken + "`, then `" + envAPIKey + "`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{tokenValue()},
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "The region of the organization: " + codeList(coveoapi.Regions) + ". Defaults to `" +
					coveoapi.DefaultRegion + "`. Falls back to `" + envRegion + "`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(coveoapi.Regions...)},
			},
			"environment": schema.StringAttribute{
				MarkdownDescription: "The Coveo environment: " + codeList(coveoapi.Environments) + ". Defaults to `" +
					coveoapi.DefaultEnvironment + "`. `hipaa` has one host whatever the region. Falls back to `" +
					envEnvironment + "`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(coveoapi.Environments...)},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "The full base URL of the Coveo Platform API, for example " +
					"`https://platform-eu.cloud.coveo.com`. Overrides `region` and `environment`. Must use `https`, " +
					"except on a loopback host (`localhost`, `127.0.0.0/8`, `::1`) so that a token never travels in " +
					"clear text. Falls back to `" + envEndpoint + "`.",
				Optional:   true,
				Validators: []validator.String{endpointValue()},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP attempt may take, as a Go duration such as `30s` or `2m`. " +
					"Defaults to `" + coveoapi.DefaultRequestTimeout.String() + "`, at most `" + maxRequestTimeout.String() +
					"`. Falls back to `" + envRequestTimeout + "`.",
				Optional:   true,
				Validators: []validator.String{durationValue(maxRequestTimeout)},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a failed request is retried: rate limiting (429), " +
					"502/503/504 answers and network errors, with capped exponential backoff that honours " +
					"`Retry-After`. Other errors are never retried. Defaults to `" + strconv.Itoa(coveoapi.DefaultMaxRetries) +
					"`, at most `" + strconv.Itoa(maxRetriesLimit) + "`. Falls back to `" + envMaxRetries + "`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
		},
	}
}

func (p *coveoProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if unknown := unknownAttributes(config); len(unknown) > 0 {
		if req.ClientCapabilities.DeferralAllowed {
			// Terraform defers every read of this provider until the values are known.
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			p.data.Store(&providerData{unknown: unknown, deferred: true})
			return
		}
		tflog.Debug(ctx, "provider configuration is unknown during plan", map[string]any{"attributes": unknown})
		data := &providerData{unknown: unknown}
		p.data.Store(data)
		resp.DataSourceData = data
		resp.EphemeralResourceData = data
		return
	}

	settings, diags := resolveSettings(config, p.getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := coveoapi.NewClient(coveoapi.Config{
		BaseURL:        settings.baseURL,
		CallerToken:    settings.accessToken,
		UserAgent:      userAgent(p.version, req.TerraformVersion),
		RequestTimeout: settings.requestTimeout,
		MaxRetries:     settings.maxRetries,
		Logger: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		},
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the Coveo API client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured the Coveo API client", map[string]any{
		"base_url":         settings.baseURL,
		"request_timeout":  settings.requestTimeout.String(),
		"max_retries":      settings.maxRetries,
		"max_read_seconds": client.MaxDuration().Seconds(),
	})

	data := &providerData{client: client, organizationID: settings.organizationID, accessToken: settings.accessToken}
	p.data.Store(data)
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

func (p *coveoProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

func (p *coveoProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{newTokenPrivilegesEphemeral}
}

func (p *coveoProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{newHasPrivilegeFunction, newMissingPrivilegesFunction, newExcessPrivilegesFunction}
}

func (p *coveoProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newTokenPrivilegesDataSource}
}

// settings is the provider configuration with environment fallbacks and
// defaults applied.
type settings struct {
	organizationID string
	accessToken    string
	baseURL        string
	requestTimeout time.Duration
	maxRetries     int
}

// resolveSettings applies environment fallbacks and defaults, and validates
// what validators could not see: values that came from the environment.
func resolveSettings(config providerModel, getenv func(string) string) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	// fromEnv returns the attribute's value, else the first environment
	// variable that is set (non-empty), and which one it was.
	fromEnv := func(v types.String, names ...string) (value, source string) {
		if !v.IsNull() {
			return v.ValueString(), ""
		}
		for _, name := range names {
			if value := getenv(name); value != "" {
				return value, name
			}
		}
		return "", ""
	}
	// invalid reports a bad value, naming where it came from, never echoing it.
	invalid := func(attribute, source, problem string) {
		where := "The provider attribute " + attribute
		if source != "" {
			where = "The environment variable " + source + " (provider attribute " + attribute + ")"
		}
		diags.AddAttributeError(path.Root(attribute), "Invalid provider configuration", where+" "+problem)
	}

	var s settings
	var source string

	s.organizationID, source = fromEnv(config.OrganizationID, envOrganizationID)
	if source != "" {
		if problem := identifierProblem(s.organizationID); problem != "" {
			invalid("organization_id", source, problem)
		}
	}

	s.accessToken, source = fromEnv(config.AccessToken, envAccessToken, envAPIKey)
	if source != "" {
		if problem := coveoapi.TokenProblem(s.accessToken); problem != "" {
			invalid("access_token", source, problem)
		}
	}

	endpoint, endpointSource := fromEnv(config.Endpoint, envEndpoint)
	region, regionSource := fromEnv(config.Region, envRegion)
	environment, environmentSource := fromEnv(config.Environment, envEnvironment)
	if endpoint != "" {
		u, err := coveoapi.ValidateEndpoint(endpoint)
		if err != nil {
			invalid("endpoint", endpointSource, "is not a usable endpoint: "+err.Error())
		}
		s.baseURL = u
	} else {
		u, err := coveoapi.PlatformURL(environment, region)
		if err != nil {
			attribute, source := "region", regionSource
			if !slices.Contains(coveoapi.Environments, cmp.Or(environment, coveoapi.DefaultEnvironment)) {
				attribute, source = "environment", environmentSource
			}
			invalid(attribute, source, "is invalid: "+err.Error())
		}
		s.baseURL = u
	}

	s.requestTimeout = coveoapi.DefaultRequestTimeout
	if timeout, source := fromEnv(config.RequestTimeout, envRequestTimeout); timeout != "" {
		d, problem := parseDuration(timeout, maxRequestTimeout)
		if problem != "" {
			invalid("request_timeout", source, problem)
		}
		s.requestTimeout = d
	}

	s.maxRetries = coveoapi.DefaultMaxRetries
	switch {
	case !config.MaxRetries.IsNull():
		s.maxRetries = int(config.MaxRetries.ValueInt64())
	case getenv(envMaxRetries) != "":
		n, err := strconv.Atoi(getenv(envMaxRetries))
		if err != nil || n < 0 || n > maxRetriesLimit {
			invalid("max_retries", envMaxRetries, fmt.Sprintf("must be a whole number from 0 to %d.", maxRetriesLimit))
		}
		s.maxRetries = n
	}
	return s, diags
}

// unknownAttributes names the provider attributes whose values are unknown.
func unknownAttributes(c providerModel) []string {
	var names []string
	for name, unknown := range map[string]bool{
		"organization_id": c.OrganizationID.IsUnknown(),
		"access_token":    c.AccessToken.IsUnknown(),
		"region":          c.Region.IsUnknown(),
		"environment":     c.Environment.IsUnknown(),
		"endpoint":        c.Endpoint.IsUnknown(),
		"request_timeout": c.RequestTimeout.IsUnknown(),
		"max_retries":     c.MaxRetries.IsUnknown(),
	} {
		if unknown {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// userAgent identifies the provider, and Terraform when it says its version.
func userAgent(providerVersion, terraformVersion string) string {
	ua := "terraform-provider-coveo/" + providerVersion + " (+https://registry.terraform.io/providers/coveo-community/coveo)"
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	return ua
}

func codeList(values []string) string {
	return "`" + strings.Join(values, "`, `") + "`"
}
