package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tokenPrivilegesModel is the data of both the coveo_token_privileges data
// source and the ephemeral resource of the same name.
type tokenPrivilegesModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	AccessToken    types.String `tfsdk:"access_token"`
	ID             types.String `tfsdk:"id"`
	Privileges     setValue     `tfsdk:"privileges"`
	PrivilegeSpecs setValue     `tfsdk:"privilege_specs"`
}

// Descriptions shared by the data source and the ephemeral resource schemas.
const (
	descOrganizationID = "The Coveo organization whose privileges are read: privileges only apply inside one " +
		"organization. Defaults to the provider's `organization_id`."
	descID = "The organization ID and a short SHA-256 fingerprint of the inspected token, " +
		"`<organization_id>/<12 hex digits>`. Never the token itself."
	descPrivileges = "The privileges the token holds in the organization, one object per distinct grant. " +
		"Empty (not null) when it holds none."
	descOwner        = "The service owning the privilege, such as `PLATFORM`, `SEARCH_API` or `USAGE_ANALYTICS`."
	descTargetDomain = "The domain inside that service, such as `SOURCE` or `EXECUTE_QUERY`."
	descType         = "The access type, such as `VIEW`, `EDIT`, `CREATE` or `ENABLE`; null for domains " +
		"that are simply allowed, such as `SEARCH_API`/`EXECUTE_QUERY`."
	descTargetIDs = "The resources the grant applies to: `*` for every resource of the domain, or specific " +
		"resource IDs. Coveo's one-target-per-entry answers are merged into one object per grant. Empty when " +
		"Coveo sent an empty list, which means the grant is not limited to specific resources."
	descLevel          = "`NORMAL` or `GLOBAL`, when Coveo says; null otherwise."
	descGlobal         = "Whether Coveo marks the grant global; false when it does not say."
	descPrivilegeSpecs = "Every grant in Coveo's notation: `OWNER/DOMAIN` (no type) or `OWNER/DOMAIN/TYPE`, plus one " +
		"`OWNER/DOMAIN/TYPE/TARGET` per target (with an empty type when the grant has none, as in " +
		"`SEARCH_API/EXECUTE_QUERY//*`). Meant for `contains()` on Terraform versions before 1.8, which have no " +
		"provider functions. Matching is exact: no wildcards and no case folding, so " +
		"`contains(..., \"PLATFORM/SOURCE/EDIT/src1\")` is false for a grant on `*`; prefer the provider " +
		"functions where Terraform has them."
)

// configuredData returns what Configure handed to a data source or an
// ephemeral resource: nil before the provider is configured (during
// validation), as the framework allows.
func configuredData(raw any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if raw == nil {
		return nil, diags
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", raw))
	}
	return data, diags
}

// readTokenPrivileges reads the privileges of the token the model names (or
// the provider's own token) and fills the model's computed attributes.
func readTokenPrivileges(ctx context.Context, data *providerData, m *tokenPrivilegesModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(data.unknown) > 0 {
		fix := "Add depends_on with the resource that produces the value to this block, so that Terraform reads it during apply."
		if !slices.ContainsFunc(data.unknown, func(name string) bool { return name != "organization_id" && name != "access_token" }) {
			fix = "Either pass the value to this block's own organization_id or access_token instead of the provider " +
				"block (Terraform then reads it during apply), or add depends_on with the resource that produces " +
				"the value to this block."
		}
		diags.AddError("Provider configuration is not known yet",
			fmt.Sprintf("The coveo provider's %s depends on values that Terraform only knows after apply, so the "+
				"privileges cannot be read during plan, and this Terraform version cannot defer the read by itself.\n\n%s",
				strings.Join(data.unknown, " and "), fix))
		return diags
	}

	org := m.OrganizationID.ValueString()
	if m.OrganizationID.IsNull() {
		org = data.organizationID
	}
	if org == "" {
		diags.AddAttributeError(path.Root("organization_id"), "Missing organization ID",
			"Set organization_id here, or organization_id in the provider block (or the "+envOrganizationID+
				" environment variable).")
	}
	token := m.AccessToken.ValueString()
	if m.AccessToken.IsNull() {
		token = data.accessToken
	}
	if token == "" {
		diags.AddAttributeError(path.Root("access_token"), "Missing access token",
			"Set access_token here, or access_token in the provider block (or the "+envAccessToken+" or "+
				envAPIKey+" environment variable) to inspect the provider's own token.")
	}
	if diags.HasError() {
		return diags
	}

	// Defence in depth: whatever logs on this context, tokens are masked.
	secrets := []string{token}
	if data.accessToken != "" && data.accessToken != token {
		secrets = append(secrets, data.accessToken)
	}
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	ctx = tflog.MaskAllFieldValuesStrings(ctx, secrets...)

	privileges, err := data.client.TokenPrivileges(ctx, org, token)
	if err != nil {
		diags.AddError("Unable to read the privileges of the access token",
			fmt.Sprintf("Reading the privileges of the access token in Coveo organization %q failed.\n\n%s", org, err))
		return diags
	}
	tflog.Debug(ctx, "read the privileges of the access token", map[string]any{
		"organization_id": org,
		"grants":          len(privileges),
	})

	privs, d := privilegesValue(privileges)
	diags.Append(d...)
	specs, d := privilegeSpecsValue(privileges)
	diags.Append(d...)
	if diags.HasError() {
		return diags
	}
	m.OrganizationID = types.StringValue(org)
	m.ID = types.StringValue(org + "/" + fingerprint(token))
	m.Privileges = privs
	m.PrivilegeSpecs = specs
	return diags
}

// fingerprint identifies a token without revealing it: 48 bits of its
// SHA-256 digest tell two tokens apart but cannot be turned back into one.
func fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:6])
}
