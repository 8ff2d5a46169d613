package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ datasource.DataSourceWithConfigure = &tokenPrivilegesDataSource{}

// tokenPrivilegesTypeName names both the data source and the ephemeral resource.
const tokenPrivilegesTypeName = "coveo_token_privileges"

// tokenPrivilegesDataSource is the coveo_token_privileges data source.
type tokenPrivilegesDataSource struct {
	data *providerData
}

func newTokenPrivilegesDataSource() datasource.DataSource {
	return &tokenPrivilegesDataSource{}
}

func (d *tokenPrivilegesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = tokenPrivilegesTypeName
}

func (d *tokenPrivilegesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the privileges that an access token (API key, OAuth2 access token or search " +
			"token) holds in a Coveo organization, through Coveo's *privileges of an access token* API, so that " +
			"preconditions, postconditions and `check` blocks can assert on them.\n\n" +
			"Without `access_token`, it inspects the provider's own token, and nothing secret reaches the state. " +
			"An `access_token` given here is stored in the state and in saved plan files, like every data source " +
			"argument: prefer the `coveo_token_privileges` ephemeral resource for tokens that must not be stored.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: descOrganizationID,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{notBlank()},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The token to inspect. Defaults to the provider's own `access_token`. " +
					"**Stored in plain text in the state and in saved plans**, `sensitive` or not: leave it unset to " +
					"inspect the provider's token, or use the ephemeral resource of the same name.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{tokenValue()},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: descID,
				Computed:            true,
			},
			"privileges": schema.SetNestedAttribute{
				MarkdownDescription: descPrivileges,
				Computed:            true,
				CustomType:          privilegesType,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"owner":         schema.StringAttribute{MarkdownDescription: descOwner, Computed: true},
						"target_domain": schema.StringAttribute{MarkdownDescription: descTargetDomain, Computed: true},
						"type":          schema.StringAttribute{MarkdownDescription: descType, Computed: true},
						"target_ids": schema.SetAttribute{
							MarkdownDescription: descTargetIDs,
							Computed:            true,
							ElementType:         targetIDsType.ElementType(),
							CustomType:          targetIDsType,
						},
						"level":  schema.StringAttribute{MarkdownDescription: descLevel, Computed: true},
						"global": schema.BoolAttribute{MarkdownDescription: descGlobal, Computed: true},
					},
				},
			},
			"privilege_specs": schema.SetAttribute{
				MarkdownDescription: descPrivilegeSpecs,
				Computed:            true,
				ElementType:         privilegeSpecsType.ElementType(),
				CustomType:          privilegeSpecsType,
			},
		},
	}
}

func (d *tokenPrivilegesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	var diags diag.Diagnostics
	d.data, diags = configuredData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
}

func (d *tokenPrivilegesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model tokenPrivilegesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(readTokenPrivileges(ctx, d.data, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
