// Package privilege implements Coveo's notation for privileges,
// OWNER/DOMAIN[/TYPE[/TARGET]], and the checks the provider runs on the
// privileges an access token holds: whether a privilege is granted (Has,
// Missing), which granted privileges go beyond an allowed list (Excess), and
// how grants are rendered as strings (Render, RenderAll).
//
// Owners, domains and types compare case-insensitively; target ids compare
// exactly. Nothing here validates owners, domains or types against a list:
// Coveo adds new ones over time.
package privilege

import (
	"fmt"
	"strings"
)

// Grant is one privilege a token holds, as Coveo reports it.
//
// Coveo's older response shape sends a list of target ids, where an empty list
// means the grant is not limited to specific resources; the current shape
// sends one target id per entry, "*" meaning every resource of the domain.
// A Grant with no Targets is taken as not limited to specific resources. An
// empty string is not a target id: decoders should leave it out of Targets.
type Grant struct {
	Owner  string // service owning the privilege: PLATFORM, SEARCH_API, ...
	Domain string // target domain inside that service: SOURCE, EXECUTE_QUERY, ...
	// Type is the access type (VIEW, EDIT, CREATE, ENABLE, ...), or "" for
	// "allowed"-style domains that have none.
	Type string
	// Targets are the resource ids the grant covers; "*" means all resources
	// of the domain. It may be empty.
	Targets []string
}

// Spec is one privilege written in Coveo's notation,
// OWNER/DOMAIN[/TYPE[/TARGET]]. Build it with Parse.
type Spec struct {
	Owner  string // never empty in a parsed Spec
	Domain string // never empty in a parsed Spec
	// Type is "" when the spec names no type, or an empty one (as in
	// SEARCH_API/EXECUTE_QUERY//*): such a spec does not constrain the type.
	Type string
	// Target is "" when the spec names no target: such a spec does not
	// constrain the targets. "*" stands for every resource of the domain.
	Target string
}

// Notation is the accepted form of a privilege, as error messages show it.
const Notation = "OWNER/DOMAIN[/TYPE[/TARGET]]"

// Parse reads one privilege written as OWNER/DOMAIN[/TYPE[/TARGET]], for
// example SEARCH_API/EXECUTE_QUERY, PLATFORM/SOURCE/EDIT,
// PLATFORM/SOURCE/VIEW/* or PLATFORM/SOURCE/EDIT/mysourceid. A privilege that
// has no type but a target is written with an empty type:
// SEARCH_API/EXECUTE_QUERY//*.
//
// Parse keeps the case of every part and never trims: s is rejected, not
// repaired, when it is empty or blank, has fewer than 2 or more than 4
// "/"-separated parts (target ids cannot contain "/"), has an empty owner or
// domain, ends with an empty type ("A/B/") or an empty target ("A/B/C/"), or
// has a part that begins or ends with white space. The error shows the
// offending value and the accepted form.
//
// For every s that Parse accepts, the Spec's String returns s unchanged.
func Parse(s string) (Spec, error) {
	if strings.TrimSpace(s) == "" {
		return Spec{}, parseError(s, "it is blank")
	}
	parts := strings.Split(s, "/")
	if len(parts) > 4 {
		return Spec{}, parseError(s, fmt.Sprintf("%d parts, at most 4 are allowed", len(parts)))
	}
	if len(parts) < 2 {
		return Spec{}, parseError(s, "the domain is missing")
	}
	for _, p := range parts {
		if strings.TrimSpace(p) != p {
			return Spec{}, parseError(s, fmt.Sprintf("%q begins or ends with white space", p))
		}
	}
	spec := Spec{Owner: parts[0], Domain: parts[1]}
	switch {
	case spec.Owner == "":
		return Spec{}, parseError(s, "the owner is empty")
	case spec.Domain == "":
		return Spec{}, parseError(s, "the domain is empty")
	}
	switch len(parts) {
	case 3:
		if parts[2] == "" {
			return Spec{}, parseError(s, `the type is empty; drop the trailing "/"`)
		}
		spec.Type = parts[2]
	case 4:
		if parts[3] == "" {
			return Spec{}, parseError(s, "the target is empty; use * for all resources")
		}
		spec.Type, spec.Target = parts[2], parts[3]
	}
	return spec, nil
}

func parseError(s, reason string) error {
	return fmt.Errorf("%q is not a privilege: expected %s, for example PLATFORM/SOURCE/VIEW/* (%s)", s, Notation, reason)
}

// String writes s in Coveo's notation: OWNER/DOMAIN, OWNER/DOMAIN/TYPE, or
// OWNER/DOMAIN/TYPE/TARGET (with an empty TYPE when s has a target but no
// type). For a Spec returned by Parse, it is the string Parse read.
func (s Spec) String() string {
	switch {
	case s.Target != "":
		return s.Owner + "/" + s.Domain + "/" + s.Type + "/" + s.Target
	case s.Type != "":
		return s.Owner + "/" + s.Domain + "/" + s.Type
	default:
		return s.Owner + "/" + s.Domain
	}
}
