package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi"
)

// TestPrivilegesValue maps each field, with Coveo's absent fields as null,
// and an empty answer as an empty (not null) set.
func TestPrivilegesValue(t *testing.T) {
	ctx := context.Background()
	v, diags := privilegesValue([]coveoapi.Privilege{
		{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{}},
		{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", TargetIDs: []string{"a", "b"}, Level: "NORMAL", Global: true},
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	got, err := v.ToTerraformValue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tfSet := tftypes.Set{ElementType: tfPrivilege}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	null := tftypes.NewValue(tftypes.String, nil)
	want := tftypes.NewValue(tfSet, []tftypes.Value{
		tftypes.NewValue(tfPrivilege, map[string]tftypes.Value{
			"owner": str("SEARCH_API"), "target_domain": str("EXECUTE_QUERY"), "type": null,
			"target_ids": tftypes.NewValue(tfTargetIDs, []tftypes.Value{}), "level": null,
			"global": tftypes.NewValue(tftypes.Bool, false),
		}),
		tftypes.NewValue(tfPrivilege, map[string]tftypes.Value{
			"owner": str("PLATFORM"), "target_domain": str("SOURCE"), "type": str("EDIT"),
			"target_ids": tftypes.NewValue(tfTargetIDs, []tftypes.Value{str("a"), str("b")}), "level": str("NORMAL"),
			"global": tftypes.NewValue(tftypes.Bool, true),
		}),
	})
	if !got.Equal(want) {
		t.Errorf("privilegesValue:\n got %s\nwant %s", got, want)
	}

	empty, diags := privilegesValue(nil)
	if diags.HasError() || empty.IsNull() || len(empty.Elements()) != 0 {
		t.Errorf("privilegesValue(nil) = %s, %v; want an empty set", empty, diags)
	}
}

// TestPrivilegeSpecsValue renders each grant and each of its targets once.
func TestPrivilegeSpecsValue(t *testing.T) {
	v, diags := privilegeSpecsValue([]coveoapi.Privilege{
		{Owner: "SEARCH_API", TargetDomain: "EXECUTE_QUERY", TargetIDs: []string{"*"}},
		{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", TargetIDs: []string{"src1", "*"}},
		{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "EDIT", Level: "GLOBAL", TargetIDs: []string{"src1"}},
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	var got []string
	for _, e := range v.Elements() {
		s, ok := e.(types.String)
		if !ok {
			t.Fatalf("element %T, want types.String", e)
		}
		got = append(got, s.ValueString())
	}
	want := []string{
		"PLATFORM/SOURCE/EDIT", "PLATFORM/SOURCE/EDIT/*", "PLATFORM/SOURCE/EDIT/src1",
		"SEARCH_API/EXECUTE_QUERY", "SEARCH_API/EXECUTE_QUERY//*",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("privilege_specs = %q, want %q", got, want)
	}
}

// syntheticBody is a Coveo answer with grants distinct grants of targets
// targets each, in the current one-target-per-entry shape.
func syntheticBody(grants, targets int) []byte {
	type entry struct {
		Owner        string `json:"owner"`
		TargetDomain string `json:"targetDomain"`
		Type         string `json:"type"`
		TargetID     string `json:"targetId"`
		Level        string `json:"level"`
	}
	owners := []string{"PLATFORM", "SEARCH_API", "USAGE_ANALYTICS", "COVEO_ML"}
	kinds := []string{"VIEW", "EDIT", "CREATE"}
	entries := make([]entry, 0, grants*targets)
	for g := range grants {
		for tg := range targets {
			entries = append(entries, entry{
				Owner: owners[g%len(owners)], TargetDomain: fmt.Sprintf("DOMAIN_%d", g), Type: kinds[g%len(kinds)],
				TargetID: fmt.Sprintf("target-%d", tg), Level: "NORMAL",
			})
		}
	}
	body, err := json.Marshal(entries)
	if err != nil {
		panic(err)
	}
	return body
}

// BenchmarkReadPath measures what a read does after the HTTP answer: decode,
// map to Terraform values, and store them in the data source's state, where
// the framework converts and validates every set. The ns/entry metric (per entry of Coveo's answer) must
// stay flat as the answer grows.
func BenchmarkReadPath(b *testing.B) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	newTokenPrivilegesDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	for _, size := range []struct{ grants, targets int }{{10, 1}, {1000, 1}, {10000, 1}, {1, 10000}} {
		body := syntheticBody(size.grants, size.targets)
		b.Run(fmt.Sprintf("grants=%d/targets=%d", size.grants, size.targets), func(b *testing.B) {
			for b.Loop() {
				ps, err := coveoapi.DecodePrivileges(body)
				if err != nil {
					b.Fatal(err)
				}
				privs, diags := privilegesValue(ps)
				specs, d := privilegeSpecsValue(ps)
				diags.Append(d...)
				state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
				diags.Append(state.Set(ctx, &tokenPrivilegesModel{
					OrganizationID: types.StringValue("org"), AccessToken: types.StringNull(), ID: types.StringValue("org/x"),
					Privileges: privs, PrivilegeSpecs: specs,
				})...)
				if diags.HasError() {
					b.Fatal(diags)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(size.grants*size.targets), "ns/entry")
		})
	}
}
