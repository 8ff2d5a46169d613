package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

var _ function.Function = hasPrivilegeFunction{}

const hasPrivilegeName = "has_privilege"

// hasPrivilegeFunction is provider::coveo::has_privilege.
type hasPrivilegeFunction struct{}

func newHasPrivilegeFunction() function.Function { return hasPrivilegeFunction{} }

func (hasPrivilegeFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = hasPrivilegeName
}

func (hasPrivilegeFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether a token holds a privilege",
		MarkdownDescription: "Returns whether `privileges` grants `spec` under the matching rules below, as in " +
			"`provider::coveo::has_privilege(data.coveo_token_privileges.key.privileges, \"SEARCH_API/EXECUTE_QUERY\")`.\n\n" +
			docNotation + "\n\n" + docHasRules + "\n\n" + docValues,
		Parameters: []function.Parameter{
			privilegesParameter(),
			function.StringParameter{
				Name: "spec",
				MarkdownDescription: "The privilege to look for, as `OWNER/DOMAIN[/TYPE[/TARGET]]`, such as " +
					"`PLATFORM/SOURCE/VIEW/*`. It must not be null.",
			},
		},
		Return: function.BoolReturn{},
	}
}

func (hasPrivilegeFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var args []*privilegeArgument
	var s string
	if resp.Error = req.Arguments.Get(ctx, &args, &s); resp.Error != nil {
		return
	}
	grants, err := grantsArgument(hasPrivilegeName, args)
	if err != nil {
		resp.Error = err
		return
	}
	spec, err := specArgument(hasPrivilegeName, "spec", s)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = resp.Result.Set(ctx, privilege.Has(grants, spec))
}
