package privilege

import (
	"slices"
	"strings"
)

// fold is the one case folding applied to owners, domains and types, so that
// Has, Missing and Excess agree on which names are equal. Coveo sends them in
// upper case, for which strings.ToUpper does not allocate.
func fold(s string) string { return strings.ToUpper(s) }

// domainKey is an owner and a domain, folded.
type domainKey struct{ owner, domain string }

func domainOf(owner, domain string) domainKey {
	return domainKey{fold(owner), fold(domain)}
}

// query is a Spec prepared for matching grants: owner, domain and type folded.
type query struct {
	domain domainKey
	typ    string
	target string
}

func prepare(s Spec) query {
	return query{domain: domainOf(s.Owner, s.Domain), typ: fold(s.Type), target: s.Target}
}

// admits reports whether g, whose owner and domain are those of q, grants q.
func (q query) admits(g Grant) bool {
	if q.typ != "" && q.typ != fold(g.Type) {
		return false
	}
	if q.target == "" || len(g.Targets) == 0 {
		return true
	}
	for _, t := range g.Targets {
		if t == q.target || t == "*" {
			return true
		}
	}
	return false
}

// Has reports whether one of grants grants spec (has_privilege). A grant
// grants spec when all of these hold:
//
//   - Its owner and domain equal spec's, ignoring case. The owner matters:
//     USAGE_ANALYTICS/IMPERSONATE is not SEARCH_API/IMPERSONATE.
//   - spec has no type (or an empty one, as in SEARCH_API/EXECUTE_QUERY//*),
//     or the grant's type equals spec's, ignoring case. Types imply nothing
//     about each other (EDIT does not grant VIEW), and a grant without a type
//     does not grant a spec with one.
//   - spec has no target; or the grant's targets hold spec's target (compared
//     exactly) or "*", or are empty (not limited to specific resources).
//
// Has takes time linear in the number of grants.
func Has(grants []Grant, spec Spec) bool {
	q := prepare(spec)
	for _, g := range grants {
		if domainOf(g.Owner, g.Domain) == q.domain && q.admits(g) {
			return true
		}
	}
	return false
}

// Missing returns, in input order, the specs that grants do not grant under
// the rules of Has, each written as its String (for a Spec from Parse, the
// string the user wrote). A spec listed twice and missing is returned twice.
// The result is never nil: it is empty when every spec is granted.
//
// Specs are indexed by owner and domain, so Missing reads each grant once and
// compares it only with the specs of its domain that are still missing.
func Missing(grants []Grant, specs []Spec) []string {
	queries := make([]query, len(specs))
	pending := make(map[domainKey][]int)
	for i, s := range specs {
		queries[i] = prepare(s)
		pending[queries[i].domain] = append(pending[queries[i].domain], i)
	}
	granted := make([]bool, len(specs))
	left := len(specs)
	for _, g := range grants {
		if left == 0 {
			break
		}
		k := domainOf(g.Owner, g.Domain)
		waiting, ok := pending[k]
		if !ok {
			continue
		}
		still := waiting[:0]
		for _, i := range waiting {
			if queries[i].admits(g) {
				granted[i] = true
				left--
			} else {
				still = append(still, i)
			}
		}
		if len(still) == 0 {
			delete(pending, k)
		} else {
			pending[k] = still
		}
	}
	missing := make([]string, 0, left)
	for i, s := range specs {
		if !granted[i] {
			missing = append(missing, s.String())
		}
	}
	return missing
}

// typeKey is an owner, a domain and a type, folded; the type is "" for specs
// without one and for grants without one.
type typeKey struct {
	domainKey
	typ string
}

// coverage is what the allowed specs of one typeKey cover.
type coverage struct {
	all     bool            // a spec without a target, or with "*"
	targets map[string]bool // specific target ids
}

func (c *coverage) coversAll() bool { return c != nil && c.all }

func (c *coverage) covers(target string) bool {
	return c != nil && (c.all || c.targets[target])
}

// Excess returns every granted privilege that no allowed spec covers (least
// privilege), rendered, sorted in byte order and deduplicated. It is never
// nil: it is empty when allowed covers every grant.
//
// Each grant counts as one privilege per target, written
// OWNER/DOMAIN/TYPE/TARGET (with an empty TYPE when the grant has none, as in
// SEARCH_API/EXECUTE_QUERY//*), or as one privilege OWNER/DOMAIN[/TYPE] when it
// has no targets. Strings keep the case Coveo sent.
//
// Coverage runs the other way round from Has: an allowed spec covers a
// granted target when its owner and domain equal the grant's, ignoring case;
// it has no type (or an empty one), or the grant's type, ignoring case; and it
// has no target, or the target "*", or exactly the granted target. A granted
// "*", and a grant without targets, are thus covered only by a spec without a
// target or with "*": allowing PLATFORM/SOURCE/EDIT/src1 does not excuse
// PLATFORM/SOURCE/EDIT/*.
//
// Allowed specs are indexed by owner, domain and type, so Excess takes time
// linear in the number of grants, targets and allowed specs (plus sorting).
func Excess(grants []Grant, allowed []Spec) []string {
	cover := make(map[typeKey]*coverage, len(allowed))
	for _, s := range allowed {
		k := typeKey{domainOf(s.Owner, s.Domain), fold(s.Type)}
		c := cover[k]
		if c == nil {
			c = &coverage{}
			cover[k] = c
		}
		if s.Target == "" || s.Target == "*" {
			c.all = true
			continue
		}
		if c.targets == nil {
			c.targets = make(map[string]bool)
		}
		c.targets[s.Target] = true
	}

	excess := []string{}
	for _, g := range grants {
		d := domainOf(g.Owner, g.Domain)
		anyType := cover[typeKey{d, ""}]
		var ofType *coverage
		if g.Type != "" {
			ofType = cover[typeKey{d, fold(g.Type)}]
		}
		if len(g.Targets) == 0 {
			if !anyType.coversAll() && !ofType.coversAll() {
				excess = append(excess, Spec{Owner: g.Owner, Domain: g.Domain, Type: g.Type}.String())
			}
			continue
		}
		for _, t := range g.Targets {
			if !anyType.covers(t) && !ofType.covers(t) {
				excess = append(excess, Spec{Owner: g.Owner, Domain: g.Domain, Type: g.Type, Target: t}.String())
			}
		}
	}
	slices.Sort(excess)
	return slices.Compact(excess)
}
