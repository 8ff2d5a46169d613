package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
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

func (e *tokenPrivilegesEphemeral) Schema(ctx context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	// The data source's attributes, with a description of access_token that
	// fits a block whose arguments are never stored.
	var ds datasource.SchemaResponse
	newTokenPrivilegesDataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	attrs, err := ephemeralAttributes(ds.Schema.Attributes)
	if err != nil {
		resp.Diagnostics.AddError("Invalid ephemeral resource schema", err.Error()+". Please report this issue to the provider developers.")
		return
	}
	if token, ok := attrs["access_token"].(schema.StringAttribute); ok {
		token.MarkdownDescription = "The token to inspect. Defaults to the provider's own `access_token`. Never " +
			"stored: it may come from an ephemeral variable or another ephemeral resource."
		attrs["access_token"] = token
	}
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
		Attributes: attrs,
	}
}

// ephemeralAttributes converts the data source's attributes, so that the two
// schemas cannot drift apart: the framework's schema packages cannot share
// attribute values. It knows the attribute kinds the data source uses.
func ephemeralAttributes(in map[string]dsschema.Attribute) (map[string]schema.Attribute, error) {
	out := make(map[string]schema.Attribute, len(in))
	for name, a := range in {
		switch a := a.(type) {
		case dsschema.StringAttribute:
			out[name] = schema.StringAttribute{
				MarkdownDescription: a.MarkdownDescription, Optional: a.Optional, Computed: a.Computed,
				Sensitive: a.Sensitive, Validators: a.Validators, CustomType: a.CustomType,
			}
		case dsschema.BoolAttribute:
			out[name] = schema.BoolAttribute{
				MarkdownDescription: a.MarkdownDescription, Optional: a.Optional, Computed: a.Computed,
				Sensitive: a.Sensitive, Validators: a.Validators, CustomType: a.CustomType,
			}
		case dsschema.SetAttribute:
			out[name] = schema.SetAttribute{
				MarkdownDescription: a.MarkdownDescription, Optional: a.Optional, Computed: a.Computed,
				Sensitive: a.Sensitive, Validators: a.Validators, CustomType: a.CustomType, ElementType: a.ElementType,
			}
		case dsschema.SetNestedAttribute:
			nested, err := ephemeralAttributes(a.NestedObject.Attributes)
			if err != nil {
				return nil, err
			}
			out[name] = schema.SetNestedAttribute{
				MarkdownDescription: a.MarkdownDescription, Optional: a.Optional, Computed: a.Computed,
				Sensitive: a.Sensitive, Validators: a.Validators, CustomType: a.CustomType,
				NestedObject: schema.NestedAttributeObject{Attributes: nested},
			}
		default:
			return nil, fmt.Errorf("no ephemeral counterpart for %s, a %T", name, a)
		}
	}
	return out, nil
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
