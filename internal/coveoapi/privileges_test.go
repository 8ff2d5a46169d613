package coveoapi

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestDecodePrivileges(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []Privilege
	}{
		{
			name: "older shape from the documentation",
			body: `[
			  {"targetDomain": "EXECUTE_QUERY", "targetIds": [], "owner": "SEARCH_API", "global": false},
			  {"type": "EDIT", "targetDomain": "ANALYTICS_DATA", "targetIds": [], "owner": "USAGE_ANALYTICS", "global": false}
			]`,
			want: []Privilege{
				{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{}},
				{Owner: "USAGE_ANALYTICS", TargetDomain: "ANALYTICS_DATA", Type: "EDIT", TargetIDs: []string{}},
			},
		},
		{
			name: "current shape from the OpenAPI model",
			body: `[
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "VIEW", "targetId": "*", "level": "NORMAL"},
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "EDIT", "targetId": "mysourceid", "level": "NORMAL"}
			]`,
			want: []Privilege{
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", TargetIDs: []string{"mysourceid"}, Level: "NORMAL"},
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{"*"}, Level: "NORMAL"},
			},
		},
		{
			name: "mix of both shapes",
			body: `[
			  {"owner": "PLATFORM", "targetDomain": "ORGANIZATION", "type": "VIEW", "targetId": "*", "level": "NORMAL"},
			  {"targetDomain": "EXECUTE_QUERY", "targetIds": [], "owner": "SEARCH_API", "global": false}
			]`,
			want: []Privilege{
				{Owner: "PLATFORM", TargetDomain: "ORGANIZATION", Type: "VIEW", TargetIDs: []string{"*"}, Level: "NORMAL"},
				{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{}},
			},
		},
		{
			name: "targetId values of the same grant merged, sorted and deduplicated",
			body: `[
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "EDIT", "targetId": "zeta", "level": "NORMAL"},
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "EDIT", "targetId": "alpha", "level": "NORMAL"},
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "EDIT", "targetId": "zeta", "level": "NORMAL"}
			]`,
			want: []Privilege{
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", TargetIDs: []string{"alpha", "zeta"}, Level: "NORMAL"},
			},
		},
		{
			name: "targetId and older-shape targetIds of the same grant united",
			body: `[
			  {"owner": "PLATFORM", "targetDomain": "GROUP", "type": "VIEW", "targetIds": ["g2", "g1"]},
			  {"owner": "PLATFORM", "targetDomain": "GROUP", "type": "VIEW", "targetId": "g3"},
			  {"owner": "PLATFORM", "targetDomain": "GROUP", "type": "VIEW", "targetIds": ["g1"], "targetId": "g0"}
			]`,
			want: []Privilege{
				{Owner: "PLATFORM", TargetDomain: "GROUP", Type: "VIEW", TargetIDs: []string{"g0", "g1", "g2", "g3"}},
			},
		},
		{
			name: "older-shape [] kept as not limited, apart from a limited grant",
			body: `[
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "VIEW", "targetIds": ["s1"], "global": false},
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "VIEW", "targetIds": [], "global": false}
			]`,
			want: []Privilege{
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{}},
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{"s1"}},
			},
		},
		{
			name: "no targets at all is not limited and merges with []",
			body: `[
			  {"owner": "SEARCH_API", "targetDomain": "IMPERSONATE"},
			  {"owner": "SEARCH_API", "targetDomain": "IMPERSONATE", "targetIds": []},
			  {"owner": "SEARCH_API", "targetDomain": "IMPERSONATE", "targetIds": null, "targetId": null}
			]`,
			want: []Privilege{
				{Owner: "SEARCH_API", TargetDomain: "IMPERSONATE", TargetIDs: []string{}},
			},
		},
		{
			name: "exact duplicates collapse",
			body: `[
			  {"targetDomain": "EXECUTE_QUERY", "targetIds": [], "owner": "SEARCH_API", "global": false},
			  {"targetDomain": "EXECUTE_QUERY", "targetIds": [], "owner": "SEARCH_API", "global": false},
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "VIEW", "targetId": "*", "level": "NORMAL"},
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "VIEW", "targetId": "*", "level": "NORMAL"}
			]`,
			want: []Privilege{
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{"*"}, Level: "NORMAL"},
				{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{}},
			},
		},
		{
			name: "owner, level and global keep grants apart",
			body: `[
			  {"owner": "USAGE_ANALYTICS", "targetDomain": "IMPERSONATE"},
			  {"owner": "SEARCH_API", "targetDomain": "IMPERSONATE"},
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "VIEW", "targetId": "*", "level": "GLOBAL"},
			  {"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "VIEW", "targetId": "*", "level": "NORMAL"},
			  {"owner": "PLATFORM", "targetDomain": "FIELD", "type": "VIEW", "targetIds": [], "global": true},
			  {"owner": "PLATFORM", "targetDomain": "FIELD", "type": "VIEW", "targetIds": [], "global": false}
			]`,
			want: []Privilege{
				{Owner: "PLATFORM", TargetDomain: "FIELD", Type: "VIEW", TargetIDs: []string{}},
				{Owner: "PLATFORM", TargetDomain: "FIELD", Type: "VIEW", TargetIDs: []string{}, Global: true},
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{"*"}, Level: "GLOBAL"},
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{"*"}, Level: "NORMAL"},
				{Owner: "SEARCH_API", TargetDomain: "IMPERSONATE", TargetIDs: []string{}},
				{Owner: "USAGE_ANALYTICS", TargetDomain: "IMPERSONATE", TargetIDs: []string{}},
			},
		},
		{
			name: "unknown fields ignored",
			body: `[{"owner": "COVEO_ML", "targetDomain": "MODELS", "type": "VIEW", "targetId": "*", "level": "NORMAL",
			        "future": {"nested": [1, 2, {"x": null}]}, "displayName": "Models", "weight": 3.5, "enabled": true}]`,
			want: []Privilege{
				{Owner: "COVEO_ML", TargetDomain: "MODELS", Type: "VIEW", TargetIDs: []string{"*"}, Level: "NORMAL"},
			},
		},
		{
			name: "null optional fields read as absent",
			body: `[{"owner": "SEARCH_API", "targetDomain": "EXECUTE_QUERY", "type": null, "level": null, "global": null}]`,
			want: []Privilege{
				{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{}},
			},
		},
		{
			name: "empty array",
			body: `[]`,
			want: []Privilege{},
		},
		{
			name: "empty target ids name no resource",
			body: `[{"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "VIEW", "targetId": "", "level": "NORMAL"},
				{"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "EDIT", "targetIds": ["", "s1"], "global": false}]`,
			want: []Privilege{
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", TargetIDs: []string{"s1"}},
				{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{}, Level: "NORMAL"},
			},
		},
		{
			name: "byte order mark and surrounding white space",
			body: "\xef\xbb\xbf \n [{\"owner\": \"A\", \"targetDomain\": \"B\"}] \n",
			want: []Privilege{{Owner: "A", TargetDomain: "B", TargetIDs: []string{}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePrivileges([]byte(tt.body))
			if err != nil {
				t.Fatalf("DecodePrivileges: %v", err)
			}
			if got == nil {
				t.Fatalf("DecodePrivileges returned nil, want a non-nil slice")
			}
			for _, p := range got {
				if p.TargetIDs == nil {
					t.Errorf("privilege %+v has nil TargetIDs", p)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodePrivileges =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestDecodePrivilegesOrderDoesNotDependOnInputOrder(t *testing.T) {
	entries := []string{
		`{"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "EDIT", "targetId": "b", "level": "NORMAL"}`,
		`{"owner": "SEARCH_API", "targetDomain": "EXECUTE_QUERY", "targetIds": []}`,
		`{"owner": "PLATFORM", "targetDomain": "SOURCE", "type": "EDIT", "targetId": "a", "level": "NORMAL"}`,
		`{"owner": "PLATFORM", "targetDomain": "API_KEY", "type": "VIEW", "targetId": "*", "level": "NORMAL"}`,
	}
	first, err := DecodePrivileges([]byte("[" + strings.Join(entries, ",") + "]"))
	if err != nil {
		t.Fatal(err)
	}
	reversed := make([]string, len(entries))
	for i, e := range entries {
		reversed[len(entries)-1-i] = e
	}
	second, err := DecodePrivileges([]byte("[" + strings.Join(reversed, ",") + "]"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("order depends on input:\n%v\n%v", first, second)
	}
}

func TestDecodePrivilegesRejectsBodiesThatAreNotAnArray(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantInErr string
	}{
		{"HTML page", "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "got an HTML page"},
		{"HTML page without doctype", "<html><body>Access denied</body></html>", "got an HTML page"},
		{"XML document", `<?xml version="1.0"?><error>nope</error>`, "got an XML or HTML document"},
		{"truncated array", `[{"owner": "PLATFORM", "targetDomain": "SOU`, "truncated JSON"},
		{"truncated after element", `[{"owner": "PLATFORM", "targetDomain": "SOURCE"},`, "truncated JSON"},
		{"garbage after the array", `[] trailing`, "malformed JSON"},
		{"malformed array", `[{"owner": }]`, "malformed JSON"},
		{"null", `null`, "got null"},
		{"object", `{"message": "Invalid token", "errorCode": "INVALID_TOKEN"}`, "got a JSON object"},
		{"truncated object", `{"message": "Invalid`, "malformed JSON that starts like a JSON object"},
		{"empty", ``, "got an empty body"},
		{"white space only", " \r\n\t ", "got an empty body"},
		{"string", `"ok"`, "got a JSON string"},
		{"number", `42`, "got a JSON number"},
		{"boolean", `true`, "got a JSON boolean"},
		{"plain text", "Service Unavailable: the back end is down for maintenance, come back later\nmore", `got text that is not JSON, starting "Service Unavailable: the back end is dow…"`},
		{"null element", `[{"owner": "A", "targetDomain": "B"}, null]`, "privilege at index 1: expected a JSON object, got null"},
		{"number element", `[7]`, "privilege at index 0: expected a JSON object, got a JSON number"},
		{"array element", `[[]]`, "privilege at index 0: expected a JSON object, got a JSON array"},
		{"missing owner", `[{"owner": "A", "targetDomain": "B"}, {"owner": "A", "targetDomain": "B"}, {"targetDomain": "B"}]`, `privilege at index 2: it has no "owner"`},
		{"blank owner", `[{"owner": " ", "targetDomain": "B"}]`, `privilege at index 0: it has no "owner"`},
		{"missing target domain", `[{"owner": "A", "targetDomain": "B"}, {"owner": "A"}]`, `privilege at index 1: it has no "targetDomain"`},
		{"owner of the wrong type", `[{"owner": 5, "targetDomain": "B"}]`, `privilege at index 0: field "owner" is a JSON number, expected a string`},
		{"targetIds of the wrong type", `[{"owner": "A", "targetDomain": "B", "targetIds": "x"}]`, `field "targetIds" is a JSON string, expected an array of strings`},
		{"global of the wrong type", `[{"owner": "A", "targetDomain": "B", "global": "false"}]`, `field "global" is a JSON string, expected a boolean`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePrivileges([]byte(tt.body))
			if err == nil {
				t.Fatalf("DecodePrivileges = %v, want an error", got)
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantInErr)
			}
			if len(tt.body) > 60 && strings.Contains(err.Error(), tt.body) {
				t.Errorf("error quotes the whole body: %q", err)
			}
		})
	}
}

// grantsBody returns an answer of n distinct grants, in the current shape.
func grantsBody(n int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"owner":"PLATFORM","targetDomain":"DOMAIN_%d","type":"VIEW","targetId":"*","level":"NORMAL"}`, i)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

// targetsBody returns an answer of one grant over n targets, one per entry,
// in descending order so that sorting has work to do.
func targetsBody(n int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"owner":"PLATFORM","targetDomain":"SOURCE","type":"EDIT","targetId":"source-%06d","level":"NORMAL"}`, n-i)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

func TestDecodePrivilegesAtScale(t *testing.T) {
	got, err := DecodePrivileges(grantsBody(10000))
	if err != nil || len(got) != 10000 {
		t.Fatalf("10000 grants: got %d privileges, %v", len(got), err)
	}
	got, err = DecodePrivileges(targetsBody(10000))
	if err != nil || len(got) != 1 || len(got[0].TargetIDs) != 10000 {
		t.Fatalf("one grant with 10000 targets: got %d privileges, %v", len(got), err)
	}
	if got[0].TargetIDs[0] != "source-000001" || got[0].TargetIDs[9999] != "source-010000" {
		t.Errorf("targets not sorted: first %q, last %q", got[0].TargetIDs[0], got[0].TargetIDs[9999])
	}
}

func BenchmarkDecodePrivileges(b *testing.B) {
	cases := []struct {
		name    string
		body    []byte
		entries int
	}{
		{"grants=10", grantsBody(10), 10},
		{"grants=1000", grantsBody(1000), 1000},
		{"grants=10000", grantsBody(10000), 10000},
		{"one_grant_targets=10000", targetsBody(10000), 10000},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodePrivileges(bc.body); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(bc.entries), "ns/entry")
		})
	}
}
