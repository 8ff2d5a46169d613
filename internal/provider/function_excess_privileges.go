package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

var _ function.Function = excessPrivilegesFunction{}

const excessPrivilegesName = "excess_privileges"

// excessPrivilegesFunction is provider::coveo::excess_privileges.
type excessPrivilegesFunction struct{}

func newExcessPrivilegesFunction() function.Function { return excessPrivilegesFunction{} }

func (excessPrivilegesFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = excessPrivilegesName
}

func (excessPrivilegesFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The privileges a token holds beyond an allow-list",
		MarkdownDescription: "Returns every privilege in `privileges` that no element of `allowed_specs` covers, " +
			"sorted and without duplicates: the least-privilege check. The result is empty when the allow-list " +
			"covers every grant.\n\n" +
			"Each grant counts as one privilege per target, written `OWNER/DOMAIN/TYPE/TARGET` (with an empty " +
			"`TYPE` when the grant has none, as in `SEARCH_API/EXECUTE_QUERY//*`), or as one privilege " +
			"`OWNER/DOMAIN` or `OWNER/DOMAIN/TYPE` when its `target_ids` are empty. The strings keep the case Coveo " +
			"sent.\n\n" +
			docNotation + " Every malformed element of `allowed_specs` is reported, each named by its index.\n\n" +
			"**Coverage rules.** Coverage runs the other way round from `has_privilege`, so that an allow-list " +
			"never excuses more than it names. An allowed spec covers a granted target when all of these hold:\n\n" +
			"- Its owner and domain equal the grant's, **ignoring case**. The owner matters.\n" +
			"- It has **no type** (or an empty one), which covers grants of any type or of none; or the grant's " +
			"type, ignoring case. **`EDIT` does not imply `VIEW`**: allowing `PLATFORM/SOURCE/VIEW` does not " +
			"cover a grant of `PLATFORM/SOURCE/EDIT`.\n" +
			"- It has **no target**, or the target `*`, or exactly (case matters) the granted target.\n\n" +
			"A granted `*`, and a grant with empty `target_ids`, are therefore covered only by an allowed spec " +
			"without a target or with `*`: allowing `PLATFORM/SOURCE/EDIT/src1` does **not** excuse a grant of " +
			"`PLATFORM/SOURCE/EDIT/*`, which is reported as `PLATFORM/SOURCE/EDIT/*`. Conversely, a grant on " +
			"`src1` and `src2` with only `PLATFORM/SOURCE/EDIT/src1` allowed reports `PLATFORM/SOURCE/EDIT/src2`.\n\n" +
			docValues,
		Parameters: []function.Parameter{
			privilegesParameter(),
			function.ListParameter{
				Name:        "allowed_specs",
				ElementType: types.StringType,
				MarkdownDescription: "The privileges the token may hold, each as `OWNER/DOMAIN[/TYPE[/TARGET]]`. " +
					"An empty list allows nothing. Neither the list nor its elements may be null.",
			},
		},
		Return: function.ListReturn{ElementType: types.StringType},
	}
}

func (excessPrivilegesFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var args []*privilegeArgument
	var ss []types.String
	if resp.Error = req.Arguments.Get(ctx, &args, &ss); resp.Error != nil {
		return
	}
	grants, err := grantsArgument(excessPrivilegesName, args)
	if err != nil {
		resp.Error = err
		return
	}
	allowed, err := specsArgument(excessPrivilegesName, "allowed_specs", ss)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = resp.Result.Set(ctx, privilege.Excess(grants, allowed))
}
