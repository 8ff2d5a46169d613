package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi"
	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

// The one mapping from Coveo's privileges to Terraform values, shared by the
// data source and the ephemeral resource.

var (
	targetIDsType = newSetType(types.StringType)

	privilegeAttrTypes = map[string]attr.Type{
		"owner":         types.StringType,
		"target_domain": types.StringType,
		"type":          types.StringType,
		"target_ids":    targetIDsType,
		"level":         types.StringType,
		"global":        types.BoolType,
	}

	privilegeObjectType = types.ObjectType{AttrTypes: privilegeAttrTypes}

	privilegesType = newSetType(privilegeObjectType)

	privilegeSpecsType = newSetType(types.StringType)
)

// privilegesValue maps decoded privileges to the `privileges` set. Each grant
// is already distinct (coveoapi merges Coveo's entries by grant), so the
// mapping is one object per grant; an empty answer is an empty set, not null.
func privilegesValue(ps []coveoapi.Privilege) (setValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := make([]attr.Value, 0, len(ps))
	for _, p := range ps {
		targets := make([]attr.Value, len(p.TargetIDs))
		for i, id := range p.TargetIDs {
			targets[i] = types.StringValue(id)
		}
		targetSet, d := basetypes.NewSetValue(types.StringType, targets)
		diags.Append(d...)
		obj, d := types.ObjectValue(privilegeAttrTypes, map[string]attr.Value{
			"owner":         types.StringValue(p.Owner),
			"target_domain": types.StringValue(p.TargetDomain),
			"type":          optionalString(p.Type),
			"target_ids":    setValue{SetValue: targetSet},
			"level":         optionalString(p.Level),
			"global":        types.BoolValue(p.Global),
		})
		diags.Append(d...)
		elems = append(elems, obj)
	}
	if diags.HasError() {
		return setValue{SetValue: basetypes.NewSetNull(privilegeObjectType)}, diags
	}
	set, d := basetypes.NewSetValue(privilegeObjectType, elems)
	diags.Append(d...)
	return setValue{SetValue: set}, diags
}

// privilegeSpecsValue renders every grant in Coveo's notation for the
// `privilege_specs` set, for Terraform versions without provider functions.
func privilegeSpecsValue(ps []coveoapi.Privilege) (setValue, diag.Diagnostics) {
	grants := make([]privilege.Grant, len(ps))
	for i, p := range ps {
		grants[i] = grantOf(p)
	}
	specs := privilege.RenderAll(grants)
	elems := make([]attr.Value, len(specs))
	for i, s := range specs {
		elems[i] = types.StringValue(s)
	}
	set, diags := basetypes.NewSetValue(types.StringType, elems)
	return setValue{SetValue: set}, diags
}

func grantOf(p coveoapi.Privilege) privilege.Grant {
	return privilege.Grant{Owner: p.Owner, Domain: p.TargetDomain, Type: p.Type, Targets: p.TargetIDs}
}

// optionalString maps Coveo's absent fields to null rather than "".
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
