package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var _ ephemeral.EphemeralResourceWithConfigure = &tokenPrivilegesEphemeral{}

// tokenPrivilegesEphemeral is the coveo_token_privileges ephemeral resource:
// the data source's read, with nothing written to the state or to a plan.
type tokenPrivilegesEphemeral struct {
	data *providerData
}

func newTokenPrivilegesEphemeral() ephemeral.EphemeralResource {
	return &tokenPrivilegesEphemeral{}
}

func (e *tokenPrivilegesEphemeral) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = tokenPrivilegesTypeName
}

func (e *tokenPrivilegesEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the privileges that an access token (API key, OAuth2 access token or search " +
			"token) holds in a Coveo organization, like the `coveo_token_privileges` data source, but Terraform " +
			"writes neither its arguments nor its result to the state or to a saved plan. Needs Terraform 1.10 or later.\n\n" +
			"Choose it over the data source to inspect a token other than the provider's own: its `access_token` is " +
			"never stored, and may come from an ephemeral input variable or a secret manager's ephemeral resource, " +
			"which a data source argument refuses. Terraform opens it in every plan and apply, so each run reads the " +
			"privileges afresh.\n\n" +
			"Its result is ephemeral: Terraform accepts it in `locals`, provider blocks, other ephemeral resources, " +
			"write-only arguments (Terraform 1.11 or later) and conditions (`check` blocks, `precondition` and " +
			"`postcondition`), never in other arguments of data sources and managed resources. A condition's `error_message` " +
			"that refers to it is withheld. Assert on it in a `precondition` of the resource that uses the token, or " +
			"in a `check` block: with Terraform 1.11.4 at least, `terraform show -json` crashes on a plan that holds the " +
			"results of this block's own `lifecycle` conditions.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				MarkdownDescription: descOrganizationID,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{notBlank()},
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The token to inspect. Defaults to the provider's own `access_token`. Never " +
					"stored: it may come from an ephemeral variable or another ephemeral resource.",
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

func (e *tokenPrivilegesEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	var diags diag.Diagnostics
	e.data, diags = configuredData(req.ProviderData)
	resp.Diagnostics.Append(diags...)
}

func (e *tokenPrivilegesEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var model tokenPrivilegesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(readTokenPrivileges(ctx, e.data, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &model)...)
}
