package privilege

import "slices"

// Render writes g as the strings of the privilege_specs attribute: first
// OWNER/DOMAIN for a grant without a type, or OWNER/DOMAIN/TYPE; then one
// OWNER/DOMAIN/TYPE/TARGET per target, in g's order, with an empty TYPE when g
// has none (SEARCH_API/EXECUTE_QUERY//*). Strings keep the case Coveo sent,
// so both contains(specs, "SEARCH_API/EXECUTE_QUERY") and
// contains(specs, "PLATFORM/SOURCE/EDIT/*") find what they name.
//
// Each string is in the notation Parse reads, as long as g's fields hold no
// "/" and no surrounding white space (Coveo's never do).
func Render(g Grant) []string {
	s := Spec{Owner: g.Owner, Domain: g.Domain, Type: g.Type}
	out := make([]string, 0, 1+len(g.Targets))
	out = append(out, s.String())
	for _, t := range g.Targets {
		s.Target = t
		out = append(out, s.String())
	}
	return out
}

// RenderAll renders every grant as Render does and returns the strings sorted
// in byte order and deduplicated (Coveo's current response shape sends one
// grant per target, so most grants of a domain and type share their first
// string). It is never nil, and suits a set attribute.
func RenderAll(grants []Grant) []string {
	out := []string{}
	for _, g := range grants {
		out = append(out, Render(g)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
