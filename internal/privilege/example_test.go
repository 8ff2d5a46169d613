package privilege_test

import (
	"fmt"

	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

func ExampleParse() {
	for _, s := range []string{"PLATFORM/SOURCE/VIEW/*", "SEARCH_API/EXECUTE_QUERY//*", "PLATFORM"} {
		spec, err := privilege.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("owner=%s domain=%s type=%q target=%q\n", spec.Owner, spec.Domain, spec.Type, spec.Target)
	}
	// Output:
	// owner=PLATFORM domain=SOURCE type="VIEW" target="*"
	// owner=SEARCH_API domain=EXECUTE_QUERY type="" target="*"
	// "PLATFORM" is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (the domain is missing)
}

func ExampleHas() {
	grants := []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"}, // older shape: targetIds []
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"mysourceid"}},
	}
	for _, s := range []string{
		"SEARCH_API/EXECUTE_QUERY",
		"search_api/execute_query//*",
		"PLATFORM/SOURCE/EDIT/mysourceid",
		"PLATFORM/SOURCE/EDIT/*",
		"PLATFORM/SOURCE/VIEW",
		"USAGE_ANALYTICS/EXECUTE_QUERY",
	} {
		spec, err := privilege.Parse(s)
		if err != nil {
			panic(err)
		}
		fmt.Println(s, privilege.Has(grants, spec))
	}
	// Output:
	// SEARCH_API/EXECUTE_QUERY true
	// search_api/execute_query//* true
	// PLATFORM/SOURCE/EDIT/mysourceid true
	// PLATFORM/SOURCE/EDIT/* false
	// PLATFORM/SOURCE/VIEW false
	// USAGE_ANALYTICS/EXECUTE_QUERY false
}

func ExampleMissing() {
	grants := []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
	}
	var specs []privilege.Spec
	for _, s := range []string{"PLATFORM/SOURCE/EDIT", "PLATFORM/SOURCE/VIEW/mysourceid", "SEARCH_API/EXECUTE_QUERY"} {
		spec, err := privilege.Parse(s)
		if err != nil {
			panic(err)
		}
		specs = append(specs, spec)
	}
	fmt.Println(privilege.Missing(grants, specs))
	// Output:
	// [PLATFORM/SOURCE/EDIT SEARCH_API/EXECUTE_QUERY]
}

func ExampleExcess() {
	grants := []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{"*"}},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"*"}},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"src1", "src2"}},
	}
	var allowed []privilege.Spec
	for _, s := range []string{"SEARCH_API/EXECUTE_QUERY", "PLATFORM/SOURCE/EDIT/src1", "PLATFORM/SOURCE/VIEW/src1"} {
		spec, err := privilege.Parse(s)
		if err != nil {
			panic(err)
		}
		allowed = append(allowed, spec)
	}
	for _, s := range privilege.Excess(grants, allowed) {
		fmt.Println(s)
	}
	// Output:
	// PLATFORM/SOURCE/EDIT/*
	// PLATFORM/SOURCE/VIEW/src2
}

func ExampleRender() {
	fmt.Println(privilege.Render(privilege.Grant{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{"*"}}))
	fmt.Println(privilege.Render(privilege.Grant{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"*"}}))
	// Output:
	// [SEARCH_API/EXECUTE_QUERY SEARCH_API/EXECUTE_QUERY//*]
	// [PLATFORM/SOURCE/EDIT PLATFORM/SOURCE/EDIT/*]
}
