package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

// What the provider functions share: the `privileges` parameter, the
// conversion of its argument and of spec arguments, and their documentation.

// privilegeArgument is one element of a `privileges` argument: the attributes
// of a grant that the functions read. Terraform converts the data source's and
// the ephemeral resource's objects to this type by dropping `level` and
// `global`, which play no part in matching, and converts lists and tuples of
// such objects (a `for` expression over `privileges`) to a set.
type privilegeArgument struct {
	Owner        types.String `tfsdk:"owner"`
	TargetDomain types.String `tfsdk:"target_domain"`
	Type         types.String `tfsdk:"type"`
	TargetIDs    setValue     `tfsdk:"target_ids"`
}

var privilegeArgumentType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"owner":         types.StringType,
	"target_domain": types.StringType,
	"type":          types.StringType,
	"target_ids":    targetIDsType,
}}

// Positions of the parameters: `privileges` comes first in every function,
// then the spec or specs to look for.
const (
	privilegesPosition = 0
	specsPosition      = 1
)

// privilegesParameter is the first parameter of every function.
func privilegesParameter() function.SetParameter {
	return function.SetParameter{
		Name:        "privileges",
		ElementType: privilegeArgumentType,
		// The framework validates arguments as it does attributes: the
		// linear set type keeps a call over thousands of grants fast.
		CustomType: newSetType(privilegeArgumentType),
		// Null is refused by Terraform itself. Unknown is not allowed either:
		// Terraform then skips the call and the result is unknown, as it is
		// during plan when the token is only known after apply.
		MarkdownDescription: "The `privileges` attribute of a `coveo_token_privileges` data source or ephemeral " +
			"resource, or a subset of it such as `[for p in data.coveo_token_privileges.key.privileges : p if " +
			"p.owner == \"PLATFORM\"]`. Any set or list of objects with `owner`, `target_domain`, `type` (null when " +
			"the grant has none) and `target_ids` (empty when the grant is not limited to specific resources) is " +
			"accepted; other attributes are ignored. It must not be null. While it is unknown (a token known only " +
			"after apply), the result is unknown.",
	}
}

// grantsArgument converts the `privileges` argument of function fn, refusing
// grants that could not have come from the data source or the ephemeral
// resource rather than guessing what they mean.
func grantsArgument(fn string, args []*privilegeArgument) ([]privilege.Grant, *function.FuncError) {
	grants := make([]privilege.Grant, 0, len(args))
	for _, a := range args {
		if a == nil {
			return nil, privilegesError(fn, "an element is null")
		}
		switch {
		case a.Owner.ValueString() == "":
			return nil, privilegesError(fn, "a grant has a null or empty owner")
		case a.TargetDomain.ValueString() == "":
			return nil, privilegesError(fn, fmt.Sprintf("a grant of owner %q has a null or empty target_domain", a.Owner.ValueString()))
		case a.TargetIDs.IsNull():
			return nil, privilegesError(fn, fmt.Sprintf("the grant %s has null target_ids: use [] for a grant not limited "+
				"to specific resources", grantName(a)))
		}
		g := privilege.Grant{Owner: a.Owner.ValueString(), Domain: a.TargetDomain.ValueString(), Type: a.Type.ValueString()}
		for _, v := range a.TargetIDs.Elements() {
			id, _ := v.(types.String)
			if id.ValueString() == "" {
				return nil, privilegesError(fn, fmt.Sprintf("the grant %s has a null or empty target id: use * for all "+
					"resources", grantName(a)))
			}
			g.Targets = append(g.Targets, id.ValueString())
		}
		grants = append(grants, g)
	}
	return grants, nil
}

// grantName writes a grant for an error message, without its targets.
func grantName(a *privilegeArgument) string {
	return privilege.Spec{Owner: a.Owner.ValueString(), Domain: a.TargetDomain.ValueString(), Type: a.Type.ValueString()}.String()
}

func privilegesError(fn, problem string) *function.FuncError {
	return function.NewArgumentFuncError(privilegesPosition, fmt.Sprintf("%s: privileges: %s", fn, problem))
}

// specArgument parses the spec argument of function fn, or the element of
// its specs argument, that name names.
func specArgument(fn, name, s string) (privilege.Spec, *function.FuncError) {
	spec, err := privilege.Parse(s)
	if err != nil {
		return privilege.Spec{}, function.NewArgumentFuncError(specsPosition, fmt.Sprintf("%s: %s: %s", fn, name, err))
	}
	return spec, nil
}

// specsArgument parses the list of specs, named name, of function fn. It
// reports every element that is null or malformed, one per line, each named
// name[index].
func specsArgument(fn, name string, ss []types.String) ([]privilege.Spec, *function.FuncError) {
	specs := make([]privilege.Spec, len(ss))
	var errs *function.FuncError
	for i, s := range ss {
		elem := fmt.Sprintf("%s[%d]", name, i)
		if s.IsNull() {
			errs = function.ConcatFuncErrors(errs, function.NewArgumentFuncError(specsPosition,
				fmt.Sprintf("%s: %s: null is not a privilege: expected %s", fn, elem, privilege.Notation)))
			continue
		}
		spec, err := specArgument(fn, elem, s.ValueString())
		errs = function.ConcatFuncErrors(errs, err)
		specs[i] = spec
	}
	if errs != nil {
		return nil, errs
	}
	return specs, nil
}

// Documentation shared by the functions.
const (
	docNotation = "Privileges are written in Coveo's notation `OWNER/DOMAIN[/TYPE[/TARGET]]`, for example " +
		"`SEARCH_API/EXECUTE_QUERY`, `PLATFORM/SOURCE/EDIT`, `PLATFORM/SOURCE/VIEW/*` or " +
		"`PLATFORM/SOURCE/EDIT/mysourceid`. A privilege without a type but with a target is written with an empty " +
		"type: `SEARCH_API/EXECUTE_QUERY//*`. A malformed spec (empty, blank, an empty owner or domain, a " +
		"trailing empty type as in `A/B/` or empty target as in `A/B/C/`, surrounding white space, or more than " +
		"four parts) is an error that names the argument and shows " +
		"the accepted form."

	docHasRules = "**Matching rules.** A grant in `privileges` grants a spec when all of these hold:\n\n" +
		"- Its owner and domain equal the spec's, **ignoring case**. The owner matters: " +
		"`USAGE_ANALYTICS/IMPERSONATE` is not `SEARCH_API/IMPERSONATE`.\n" +
		"- The spec has **no type** (or an empty one, as in `SEARCH_API/EXECUTE_QUERY//*`), which matches a grant " +
		"of any type or of none; or the grant's type equals the spec's, ignoring case. Types imply nothing about " +
		"each other: **`EDIT` does not imply `VIEW`** (Coveo lists them as separate grants), so ask for each type " +
		"you need.\n" +
		"- The spec has **no target**, which matches any grant of that owner, domain and type; or the grant's " +
		"`target_ids` hold the spec's target, compared **exactly** (case matters), or hold `*`, or are **empty** " +
		"(Coveo's older answers send `[]` for a grant not limited to specific resources).\n\n" +
		"So a grant on `*` grants `PLATFORM/SOURCE/VIEW/mysourceid`, but a grant on `src1` and `src2` does not " +
		"grant `PLATFORM/SOURCE/EDIT/*`, which asks for every source."

	docValues = "**Versions, unknown and ephemeral values.** Provider functions need Terraform 1.8 or later " +
		"(OpenTofu 1.7 or later); on earlier versions, use the data source's `privilege_specs` with `contains()`. " +
		"While `privileges` is unknown (a token known only after apply), the result is unknown. When `privileges` " +
		"comes from the ephemeral resource, the result is ephemeral: it may decide a `precondition` or " +
		"`postcondition`, but Terraform does not show an `error_message` that refers to an ephemeral value, and " +
		"`terraform test` cannot assert on ephemeral resources. Messages that list privileges, and tests, should " +
		"use the data source."
)
