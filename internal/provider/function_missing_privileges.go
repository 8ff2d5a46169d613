package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

var _ function.Function = missingPrivilegesFunction{}

const missingPrivilegesName = "missing_privileges"

// missingPrivilegesFunction is provider::coveo::missing_privileges.
type missingPrivilegesFunction struct{}

func newMissingPrivilegesFunction() function.Function { return missingPrivilegesFunction{} }

func (missingPrivilegesFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = missingPrivilegesName
}

func (missingPrivilegesFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The privileges a token lacks",
		MarkdownDescription: "Returns the elements of `specs` that `privileges` does not grant, as written and in " +
			"input order (a spec listed twice and missing is returned twice), under the matching rules of " +
			"`has_privilege`, repeated below. The result is empty when every spec is granted, and is ready for an " +
			"`error_message`: `join(\", \", provider::coveo::missing_privileges(...))`.\n\n" +
			docNotation + " Every malformed element of `specs` is reported, each named by its index.\n\n" +
			docHasRules + "\n\n" + docValues,
		Parameters: []function.Parameter{
			privilegesParameter(),
			function.ListParameter{
				Name:        "specs",
				ElementType: types.StringType,
				MarkdownDescription: "The privileges the token needs, each as `OWNER/DOMAIN[/TYPE[/TARGET]]`. " +
					"Neither the list nor its elements may be null.",
			},
		},
		Return: function.ListReturn{ElementType: types.StringType},
	}
}

func (missingPrivilegesFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var args []*privilegeArgument
	var ss []types.String
	if resp.Error = req.Arguments.Get(ctx, &args, &ss); resp.Error != nil {
		return
	}
	grants, err := grantsArgument(missingPrivilegesName, args)
	if err != nil {
		resp.Error = err
		return
	}
	specs, err := specsArgument(missingPrivilegesName, "specs", ss)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = resp.Result.Set(ctx, privilege.Missing(grants, specs))
}
