package coveotest

import (
	"fmt"
	"strings"
)

// syntheticKinds are valid owner/domain/type combinations from coveo-api.md;
// an empty type stands for the "allowed"-style domains that carry none.
var syntheticKinds = []struct {
	owner, domain string
	types         []string
}{
	{"PLATFORM", "SOURCE", []string{"VIEW", "EDIT", "CREATE"}},
	{"SEARCH_API", "EXECUTE_QUERY", []string{""}},
	{"PLATFORM", "API_KEY", []string{"VIEW", "EDIT", "CREATE"}},
	{"USAGE_ANALYTICS", "ANALYTICS_DATA", []string{"VIEW", "EDIT"}},
	{"PLATFORM", "GROUP", []string{"VIEW", "EDIT", "CREATE"}},
	{"SEARCH_API", "QUERY_PIPELINE", []string{"VIEW", "EDIT", "CREATE"}},
	{"PLATFORM", "INDEXING_PIPELINE_EXTENSION", []string{"VIEW", "EDIT", "CREATE"}},
	{"USAGE_ANALYTICS", "REPORTS", []string{"CREATE", "VIEW", "EDIT"}},
	{"COVEO_ML", "MODELS", []string{"CREATE", "VIEW", "EDIT"}},
	{"SEARCH_API", "IMPERSONATE", []string{""}},
	{"USAGE_ANALYTICS", "IMPERSONATE", []string{""}},
	{"COMMERCE", "CATALOG", []string{"VIEW", "EDIT"}},
	{"COVEO_ML", "ALLOW_CONTENT_PREVIEW", []string{"ENABLE"}},
}

// SyntheticEntries returns n generated entries for load tests: n distinct
// grants. They mix both shapes and many owners, domains and types, each with
// one target id (never "*" nor an empty target list); once the valid
// combinations run out, domains get a numeric suffix, so that no two entries
// share an owner, domain and type and a client that merges entries of the
// same grant still sees n grants. The result depends only on n.
func SyntheticEntries(n int) []Entry {
	entries := make([]Entry, n)
	for i := range entries {
		k := syntheticKinds[i%len(syntheticKinds)]
		round := i / len(syntheticKinds)
		typ := k.types[round%len(k.types)]
		domain := k.domain
		if round > 0 {
			domain = fmt.Sprintf("%s_%d", k.domain, round)
		}
		id := fmt.Sprintf("%s-%06d", strings.ToLower(strings.ReplaceAll(k.domain, "_", "-")), i)
		if i%2 == 0 {
			entries[i] = Current(k.owner, domain, typ, id)
		} else {
			entries[i] = Legacy(k.owner, domain, typ, id)
		}
	}
	return entries
}

// SyntheticTargets returns n generated entries in the current shape, one
// target id each, spread over every valid owner/domain/type: what Coveo
// answers for a key with custom access to many resources. A client that
// merges entries of the same grant sees a few dozen grants holding n targets
// between them. The result depends only on n.
func SyntheticTargets(n int) []Entry {
	type kind struct{ owner, domain, typ string }
	var kinds []kind
	for _, k := range syntheticKinds {
		for _, typ := range k.types {
			kinds = append(kinds, kind{k.owner, k.domain, typ})
		}
	}
	entries := make([]Entry, n)
	for i := range entries {
		k := kinds[i%len(kinds)]
		id := fmt.Sprintf("%s-%06d", strings.ToLower(strings.ReplaceAll(k.domain, "_", "-")), i)
		entries[i] = Current(k.owner, k.domain, k.typ, id)
	}
	return entries
}
