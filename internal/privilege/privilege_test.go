package privilege_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/coveo-community/terraform-provider-coveo/internal/privilege"
)

func mustParse(t testing.TB, s string) privilege.Spec {
	t.Helper()
	spec, err := privilege.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return spec
}

func mustParseAll(t testing.TB, ss ...string) []privilege.Spec {
	t.Helper()
	specs := make([]privilege.Spec, len(ss))
	for i, s := range ss {
		specs[i] = mustParse(t, s)
	}
	return specs
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want privilege.Spec
	}{
		{"SEARCH_API/EXECUTE_QUERY", privilege.Spec{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"}},
		{"PLATFORM/SOURCE/EDIT", privilege.Spec{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT"}},
		{"PLATFORM/SOURCE/VIEW/*", privilege.Spec{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Target: "*"}},
		{"PLATFORM/SOURCE/EDIT/mysourceid", privilege.Spec{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Target: "mysourceid"}},
		// A type-less privilege with a target: empty type.
		{"SEARCH_API/EXECUTE_QUERY//*", privilege.Spec{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Target: "*"}},
		{"SEARCH_API/EXECUTE_QUERY//q1", privilege.Spec{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Target: "q1"}},
		// Case is kept as written.
		{"platform/Source/view/MySrc", privilege.Spec{Owner: "platform", Domain: "Source", Type: "view", Target: "MySrc"}},
		// Only surrounding white space is rejected.
		{"PLATFORM/SOURCE/EDIT/my source", privilege.Spec{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Target: "my source"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := privilege.Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("Parse(%q).String() = %q, want the input back", tt.in, s)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		in     string
		reason string // part of the error's reason
	}{
		{"", "blank"},
		{" ", "blank"},
		{"\t\n", "blank"},
		{"PLATFORM", "domain is missing"},
		{"A", "domain is missing"},
		{"/", "owner is empty"},
		{"//", "owner is empty"},
		{"A/", "domain is empty"},
		{"/B", "owner is empty"},
		{"A//C", "domain is empty"},
		{"A/B/", "type is empty"},
		{"A/B/C/", "target is empty"},
		{"A/B//", "target is empty"},
		{"A/B/C/D/E", "5 parts"},
		{"A/B/C/D/", "5 parts"},
		{"PLATFORM/SOURCE/EDIT/a/b", "5 parts"},
		{" A/B", "white space"},
		{"A/B ", "white space"},
		{"A /B", "white space"},
		{"A/ B", "white space"},
		{"A/B/ VIEW", "white space"},
		{"A/B/VIEW /x", "white space"},
		{"A/B/VIEW/ x", "white space"},
		{"A/B/VIEW/x ", "white space"},
		{"A/B/VIEW/*\n", "white space"},
		{"A/B/ /x", "white space"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := privilege.Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want an error", tt.in, got)
			}
			if got != (privilege.Spec{}) {
				t.Errorf("Parse(%q) returned %#v with its error, want the zero Spec", tt.in, got)
			}
			msg := err.Error()
			for _, want := range []string{
				fmt.Sprintf("%q is not a privilege", tt.in),
				"expected OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/*",
				tt.reason,
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("Parse(%q) error %q does not contain %q", tt.in, msg, want)
				}
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := privilege.Parse("PLATFORM")
	const want = `"PLATFORM" is not a privilege: expected OWNER/DOMAIN[/TYPE[/TARGET]], for example PLATFORM/SOURCE/VIEW/* (the domain is missing)`
	if err == nil || err.Error() != want {
		t.Errorf("Parse(\"PLATFORM\") error = %v, want %s", err, want)
	}
}

func TestSpecString(t *testing.T) {
	tests := []struct {
		spec privilege.Spec
		want string
	}{
		{privilege.Spec{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"}, "SEARCH_API/EXECUTE_QUERY"},
		{privilege.Spec{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Target: "*"}, "SEARCH_API/EXECUTE_QUERY//*"},
		{privilege.Spec{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW"}, "PLATFORM/SOURCE/VIEW"},
		{privilege.Spec{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Target: "s1"}, "PLATFORM/SOURCE/VIEW/s1"},
	}
	for _, tt := range tests {
		if got := tt.spec.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.spec, got, tt.want)
		}
	}
}

// FuzzParse checks that Parse accepts only what String writes back unchanged,
// and that what it accepts obeys the notation.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "/", "A", "A/", "/B", "A/B", "A/B/", "A/B/C", "A/B/C/", "A/B//*", "A/B/C/D", "A/B/C/D/E", " A/B", "A/B/C/d e",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := privilege.Parse(s)
		if err != nil {
			if !strings.Contains(err.Error(), privilege.Notation) {
				t.Errorf("Parse(%q) error %q does not show %s", s, err, privilege.Notation)
			}
			return
		}
		if got := spec.String(); got != s {
			t.Errorf("Parse(%q).String() = %q", s, got)
		}
		if spec.Owner == "" || spec.Domain == "" {
			t.Errorf("Parse(%q) = %#v: empty owner or domain", s, spec)
		}
		for _, p := range []string{spec.Owner, spec.Domain, spec.Type, spec.Target} {
			if strings.Contains(p, "/") || strings.TrimSpace(p) != p {
				t.Errorf("Parse(%q) = %#v: part %q has a slash or surrounding white space", s, spec, p)
			}
		}
	})
}

// hasTests is shared by TestHas and TestMissingAgreesWithHas.
var hasTests = []struct {
	name   string
	grants []privilege.Grant
	spec   string
	want   bool
}{
	{"no grants", nil, "SEARCH_API/EXECUTE_QUERY", false},
	{"type-less spec, type-less grant", []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
	}, "SEARCH_API/EXECUTE_QUERY", true},

	// Case: owner, domain and type ignore it; targets do not.
	{"owner and domain ignore case", []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
	}, "search_api/Execute_Query", true},
	{"spec type ignores case", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
	}, "platform/source/view", true},
	{"grant type ignores case", []privilege.Grant{
		{Owner: "platform", Domain: "source", Type: "view", Targets: []string{"*"}},
	}, "PLATFORM/SOURCE/VIEW/*", true},
	{"target is exact", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
	}, "PLATFORM/SOURCE/EDIT/SRC1", false},
	{"target equal", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
	}, "PLATFORM/SOURCE/EDIT/src1", true},

	// Owner, domain and type matter.
	{"owner matters", []privilege.Grant{
		{Owner: "USAGE_ANALYTICS", Domain: "IMPERSONATE"},
	}, "SEARCH_API/IMPERSONATE", false},
	{"owner matters, other way", []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "IMPERSONATE"},
	}, "USAGE_ANALYTICS/IMPERSONATE", false},
	{"domain matters", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "FIELD", Type: "VIEW", Targets: []string{"*"}},
	}, "PLATFORM/SOURCE/VIEW", false},
	{"EDIT does not grant VIEW", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"*"}},
	}, "PLATFORM/SOURCE/VIEW", false},
	{"VIEW does not grant EDIT", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
	}, "PLATFORM/SOURCE/EDIT/*", false},
	{"type from a later grant", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"*"}},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
	}, "PLATFORM/SOURCE/VIEW/*", true},

	// Specs and grants with and without a type.
	{"type-less spec, typed grant", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
	}, "PLATFORM/SOURCE", true},
	{"typed spec, type-less grant", []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
	}, "SEARCH_API/EXECUTE_QUERY/VIEW", false},
	{"empty type with target, type-less grant without targets", []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
	}, "SEARCH_API/EXECUTE_QUERY//*", true},
	{"empty type with target, type-less grant of *", []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{"*"}},
	}, "SEARCH_API/EXECUTE_QUERY//*", true},
	{"empty type with target, typed grant", []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "VIEW_ALL_CONTENT", Type: "ENABLE", Targets: []string{"*"}},
	}, "SEARCH_API/VIEW_ALL_CONTENT//*", true},
	{"empty type with target, other target", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src2"}},
	}, "PLATFORM/SOURCE//src1", false},

	// Targets on both sides.
	{"spec without target, grant with specific targets", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
	}, "PLATFORM/SOURCE/EDIT", true},
	{"spec target, grant of *", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"*"}},
	}, "PLATFORM/SOURCE/EDIT/src1", true},
	{"spec target, grant without targets ([])", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{}},
	}, "PLATFORM/SOURCE/EDIT/src1", true},
	{"spec target, grant of other targets", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src2", "src3"}},
	}, "PLATFORM/SOURCE/EDIT/src1", false},
	{"spec target among several", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "GROUP", Type: "EDIT", Targets: []string{"g1", "g2", "g3"}},
	}, "PLATFORM/GROUP/EDIT/g2", true},
	{"spec *, grant of a specific target", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
	}, "PLATFORM/SOURCE/EDIT/*", false},
	{"spec *, grant of *", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"*"}},
	}, "PLATFORM/SOURCE/EDIT/*", true},
	{"spec *, grant without targets", []privilege.Grant{
		{Owner: "USAGE_ANALYTICS", Domain: "ANALYTICS_DATA", Type: "EDIT"},
	}, "USAGE_ANALYTICS/ANALYTICS_DATA/EDIT/*", true},
	{"spec target from one of two grants (current shape)", []privilege.Grant{
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src2"}},
	}, "PLATFORM/SOURCE/EDIT/src2", true},
}

func TestHas(t *testing.T) {
	for _, tt := range hasTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := privilege.Has(tt.grants, mustParse(t, tt.spec)); got != tt.want {
				t.Errorf("Has(%v, %s) = %v, want %v", tt.grants, tt.spec, got, tt.want)
			}
		})
	}
}

func TestMissingAgreesWithHas(t *testing.T) {
	// One spec at a time, under every rule of Has.
	for _, tt := range hasTests {
		t.Run(tt.name, func(t *testing.T) {
			got := privilege.Missing(tt.grants, mustParseAll(t, tt.spec))
			if want := !tt.want; (len(got) == 1) != want {
				t.Errorf("Missing(%v, [%s]) = %q, want missing = %v", tt.grants, tt.spec, got, want)
			}
		})
	}
	// All specs against all grants together.
	var grants []privilege.Grant
	var specs []privilege.Spec
	for _, tt := range hasTests {
		grants = append(grants, tt.grants...)
		specs = append(specs, mustParse(t, tt.spec))
	}
	want := []string{}
	for _, s := range specs {
		if !privilege.Has(grants, s) {
			want = append(want, s.String())
		}
	}
	if got := privilege.Missing(grants, specs); !slices.Equal(got, want) {
		t.Errorf("Missing over every case = %q, want %q", got, want)
	}
}

func TestMissing(t *testing.T) {
	grants := []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src2"}},
		{Owner: "USAGE_ANALYTICS", Domain: "ANALYTICS_DATA", Type: "VIEW"},
	}
	tests := []struct {
		name  string
		specs []string
		want  []string
	}{
		{"no specs", nil, []string{}},
		{"all granted", []string{
			"SEARCH_API/EXECUTE_QUERY", "PLATFORM/SOURCE/VIEW/*", "PLATFORM/SOURCE/EDIT/src2", "PLATFORM/SOURCE/EDIT/src1",
		}, []string{}},
		{"input order kept", []string{
			"PLATFORM/SOURCE/EDIT/src3",
			"SEARCH_API/EXECUTE_QUERY",
			"USAGE_ANALYTICS/ANALYTICS_DATA/EDIT",
			"PLATFORM/SOURCE/EDIT/*",
			"PLATFORM/SOURCE/VIEW/src9",
			"COVEO_ML/MODELS/VIEW",
		}, []string{
			"PLATFORM/SOURCE/EDIT/src3",
			"USAGE_ANALYTICS/ANALYTICS_DATA/EDIT",
			"PLATFORM/SOURCE/EDIT/*",
			"COVEO_ML/MODELS/VIEW",
		}},
		{"returned as written", []string{
			"platform/source/create", "Search_Api/Execute_Query", "SEARCH_API/EXECUTE_QUERY//q1", "PLATFORM/SOURCE/EDIT/SRC1",
		}, []string{
			"platform/source/create", "PLATFORM/SOURCE/EDIT/SRC1",
		}},
		{"duplicates kept", []string{
			"COVEO_ML/MODELS/VIEW", "SEARCH_API/EXECUTE_QUERY", "COVEO_ML/MODELS/VIEW",
		}, []string{
			"COVEO_ML/MODELS/VIEW", "COVEO_ML/MODELS/VIEW",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := privilege.Missing(grants, mustParseAll(t, tt.specs...))
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("Missing = %#v, want %#v", got, tt.want)
			}
		})
	}
	t.Run("no grants", func(t *testing.T) {
		specs := []string{"PLATFORM/SOURCE/VIEW", "SEARCH_API/EXECUTE_QUERY"}
		if got := privilege.Missing(nil, mustParseAll(t, specs...)); !slices.Equal(got, specs) {
			t.Errorf("Missing(nil, %q) = %q, want every spec", specs, got)
		}
	})
}

func TestExcess(t *testing.T) {
	tests := []struct {
		name    string
		grants  []privilege.Grant
		allowed []string
		want    []string
	}{
		{"nothing granted", nil, []string{"PLATFORM/SOURCE/VIEW"}, []string{}},
		{"nothing allowed: every grant rendered, sorted", []privilege.Grant{
			{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
			{Owner: "USAGE_ANALYTICS", Domain: "ANALYTICS_DATA", Type: "EDIT", Targets: []string{}},
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src2", "src1"}},
			{Owner: "SEARCH_API", Domain: "IMPERSONATE", Targets: []string{"*"}},
		}, nil, []string{
			"PLATFORM/SOURCE/EDIT/src1",
			"PLATFORM/SOURCE/EDIT/src2",
			"SEARCH_API/EXECUTE_QUERY",
			"SEARCH_API/IMPERSONATE//*",
			"USAGE_ANALYTICS/ANALYTICS_DATA/EDIT",
		}},
		{"deduplicated", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*", "*"}},
			{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
			{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{}},
		}, nil, []string{"PLATFORM/SOURCE/VIEW/*", "SEARCH_API/EXECUTE_QUERY"}},
		{"case of grants kept", []privilege.Grant{
			{Owner: "platform", Domain: "Source", Type: "view", Targets: []string{"S1"}},
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"S1"}},
		}, nil, []string{"PLATFORM/SOURCE/VIEW/S1", "platform/Source/view/S1"}},

		// Targets.
		{"allowing src1 does not excuse *", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"*"}},
		}, []string{"PLATFORM/SOURCE/EDIT/src1"}, []string{"PLATFORM/SOURCE/EDIT/*"}},
		{"allowing src1 does not excuse a grant without targets", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT"},
		}, []string{"PLATFORM/SOURCE/EDIT/src1"}, []string{"PLATFORM/SOURCE/EDIT"}},
		{"specific targets, one allowed", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1", "src2"}},
		}, []string{"PLATFORM/SOURCE/EDIT/src1"}, []string{"PLATFORM/SOURCE/EDIT/src2"}},
		{"specific targets, each allowed", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1", "src2"}},
		}, []string{"PLATFORM/SOURCE/EDIT/src2", "PLATFORM/SOURCE/EDIT/src1"}, []string{}},
		{"target is exact", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
		}, []string{"PLATFORM/SOURCE/EDIT/SRC1"}, []string{"PLATFORM/SOURCE/EDIT/src1"}},
		{"allowed * covers specific targets and *", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1", "*"}},
		}, []string{"PLATFORM/SOURCE/EDIT/*"}, []string{}},
		{"allowed * covers a grant without targets", []privilege.Grant{
			{Owner: "USAGE_ANALYTICS", Domain: "ANALYTICS_DATA", Type: "EDIT", Targets: []string{}},
		}, []string{"USAGE_ANALYTICS/ANALYTICS_DATA/EDIT/*"}, []string{}},
		{"allowed without target covers everything of its type", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1", "*"}},
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT"},
		}, []string{"PLATFORM/SOURCE/EDIT"}, []string{}},

		// Types.
		{"allowing EDIT does not excuse VIEW", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"*"}},
		}, []string{"PLATFORM/SOURCE/EDIT"}, []string{"PLATFORM/SOURCE/VIEW/*"}},
		{"allowed without type covers every type", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "CREATE"},
		}, []string{"PLATFORM/SOURCE"}, []string{}},
		{"allowed empty type with target covers every type", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"src1"}},
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1", "src2"}},
		}, []string{"PLATFORM/SOURCE//src1"}, []string{"PLATFORM/SOURCE/EDIT/src2"}},
		{"allowed empty type with * covers type-less grant", []privilege.Grant{
			{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
			{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{"*"}},
		}, []string{"SEARCH_API/EXECUTE_QUERY//*"}, []string{}},
		{"allowed type-less covers type-less grant of *", []privilege.Grant{
			{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{"*"}},
		}, []string{"SEARCH_API/EXECUTE_QUERY"}, []string{}},
		{"allowed type-less target does not excuse type-less grant without targets", []privilege.Grant{
			{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
		}, []string{"SEARCH_API/EXECUTE_QUERY//q1"}, []string{"SEARCH_API/EXECUTE_QUERY"}},
		{"typed allowed does not excuse type-less grant", []privilege.Grant{
			{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{"*"}},
		}, []string{"SEARCH_API/EXECUTE_QUERY/VIEW"}, []string{"SEARCH_API/EXECUTE_QUERY//*"}},
		{"any-type and typed specs combine", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1", "src2", "src3"}},
		}, []string{"PLATFORM/SOURCE//src1", "PLATFORM/SOURCE/EDIT/src2"}, []string{"PLATFORM/SOURCE/EDIT/src3"}},

		// Owner, domain and case.
		{"owner matters", []privilege.Grant{
			{Owner: "USAGE_ANALYTICS", Domain: "IMPERSONATE"},
		}, []string{"SEARCH_API/IMPERSONATE"}, []string{"USAGE_ANALYTICS/IMPERSONATE"}},
		{"domain matters", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "FIELD", Type: "VIEW", Targets: []string{"*"}},
		}, []string{"PLATFORM/SOURCE/VIEW/*"}, []string{"PLATFORM/FIELD/VIEW/*"}},
		{"owner, domain and type ignore case", []privilege.Grant{
			{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
			{Owner: "platform", Domain: "source", Type: "view", Targets: []string{"*"}},
		}, []string{"platform/Source/edit/src1", "PLATFORM/SOURCE/VIEW/*"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := privilege.Excess(tt.grants, mustParseAll(t, tt.allowed...))
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("Excess(%v, %q) = %#v, want %#v", tt.grants, tt.allowed, got, tt.want)
			}
		})
	}
}

// TestExcessAllowsWhatItRenders checks that allowing every string Excess
// returns leaves no excess.
func TestExcessAllowsWhatItRenders(t *testing.T) {
	grants := benchmarkGrants(500)
	excess := privilege.Excess(grants, nil)
	if got := privilege.Excess(grants, mustParseAll(t, excess...)); len(got) != 0 {
		t.Errorf("Excess after allowing its own output = %q, want none", got)
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name  string
		grant privilege.Grant
		want  []string
	}{
		{"type-less, without targets",
			privilege.Grant{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{}},
			[]string{"SEARCH_API/EXECUTE_QUERY"}},
		{"type-less, *",
			privilege.Grant{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{"*"}},
			[]string{"SEARCH_API/EXECUTE_QUERY", "SEARCH_API/EXECUTE_QUERY//*"}},
		{"typed, without targets",
			privilege.Grant{Owner: "USAGE_ANALYTICS", Domain: "ANALYTICS_DATA", Type: "EDIT"},
			[]string{"USAGE_ANALYTICS/ANALYTICS_DATA/EDIT"}},
		{"typed, targets in order",
			privilege.Grant{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src2", "*", "src1"}},
			[]string{"PLATFORM/SOURCE/EDIT", "PLATFORM/SOURCE/EDIT/src2", "PLATFORM/SOURCE/EDIT/*", "PLATFORM/SOURCE/EDIT/src1"}},
		{"case kept",
			privilege.Grant{Owner: "platform", Domain: "Source", Type: "view", Targets: []string{"MySrc"}},
			[]string{"platform/Source/view", "platform/Source/view/MySrc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := privilege.Render(tt.grant)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Render(%v) = %q, want %q", tt.grant, got, tt.want)
			}
			for _, s := range got {
				if spec := mustParse(t, s); spec.String() != s {
					t.Errorf("rendered %q does not parse back: %#v", s, spec)
				}
			}
		})
	}
}

func TestRenderAll(t *testing.T) {
	if got := privilege.RenderAll(nil); got == nil || len(got) != 0 {
		t.Errorf("RenderAll(nil) = %#v, want an empty, non-nil slice", got)
	}
	grants := []privilege.Grant{
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY"},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "VIEW", Targets: []string{"*"}},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src2"}},
		{Owner: "PLATFORM", Domain: "SOURCE", Type: "EDIT", Targets: []string{"src1"}},
		{Owner: "SEARCH_API", Domain: "EXECUTE_QUERY", Targets: []string{}},
	}
	want := []string{
		"PLATFORM/SOURCE/EDIT",
		"PLATFORM/SOURCE/EDIT/src1",
		"PLATFORM/SOURCE/EDIT/src2",
		"PLATFORM/SOURCE/VIEW",
		"PLATFORM/SOURCE/VIEW/*",
		"SEARCH_API/EXECUTE_QUERY",
	}
	if got := privilege.RenderAll(grants); !slices.Equal(got, want) {
		t.Errorf("RenderAll = %q, want %q", got, want)
	}
}

// benchmarkGrants returns n grants spread over owners, domains and types, in
// both response shapes: one target per grant, several, "*", or none.
func benchmarkGrants(n int) []privilege.Grant {
	owners := []string{"PLATFORM", "SEARCH_API", "USAGE_ANALYTICS", "COVEO_ML"}
	types := []string{"VIEW", "EDIT", "CREATE", ""}
	grants := make([]privilege.Grant, n)
	for i := range grants {
		g := privilege.Grant{
			Owner:  owners[i%len(owners)],
			Domain: fmt.Sprintf("DOMAIN_%d", i%25),
			Type:   types[i%len(types)],
		}
		switch i % 5 {
		case 0:
			g.Targets = []string{"*"}
		case 1:
			g.Targets = []string{fmt.Sprintf("id%d", i)}
		case 2:
			g.Targets = []string{fmt.Sprintf("id%d", i), fmt.Sprintf("id%d", i+1), "*"}
		case 3:
			g.Targets = []string{}
		default:
			g.Targets = []string{fmt.Sprintf("id%d", i%100)}
		}
		grants[i] = g
	}
	return grants
}

func benchmarkSpecs(b *testing.B) []privilege.Spec {
	var ss []string
	for i := range 50 {
		ss = append(ss,
			fmt.Sprintf("PLATFORM/DOMAIN_%d/VIEW/id%d", i%25, i),
			fmt.Sprintf("SEARCH_API/DOMAIN_%d/EDIT", i%25),
			fmt.Sprintf("COVEO_ML/DOMAIN_%d//*", i%25),
		)
	}
	return mustParseAll(b, ss...)
}

func BenchmarkExcess(b *testing.B) {
	grants := benchmarkGrants(10_000)
	allowed := benchmarkSpecs(b)
	b.ReportAllocs()
	for b.Loop() {
		privilege.Excess(grants, allowed)
	}
}

func BenchmarkMissing(b *testing.B) {
	grants := benchmarkGrants(10_000)
	specs := append(benchmarkSpecs(b), mustParse(b, "NOT/GRANTED"))
	b.ReportAllocs()
	for b.Loop() {
		privilege.Missing(grants, specs)
	}
}

func BenchmarkHas(b *testing.B) {
	grants := benchmarkGrants(10_000)
	spec := mustParse(b, "NOT/GRANTED")
	b.ReportAllocs()
	for b.Loop() {
		privilege.Has(grants, spec)
	}
}
