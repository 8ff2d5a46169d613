package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var tfTargetIDs = tftypes.Set{ElementType: tftypes.String}

var tfPrivilege = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"owner": tftypes.String, "target_domain": tftypes.String, "type": tftypes.String,
	"target_ids": tfTargetIDs, "level": tftypes.String, "global": tftypes.Bool,
}}

func tfGrant(owner, domain, typ string, targets ...string) tftypes.Value {
	ids := make([]tftypes.Value, len(targets))
	for i, t := range targets {
		ids[i] = tftypes.NewValue(tftypes.String, t)
	}
	typeValue := tftypes.NewValue(tftypes.String, nil)
	if typ != "" {
		typeValue = tftypes.NewValue(tftypes.String, typ)
	}
	return tftypes.NewValue(tfPrivilege, map[string]tftypes.Value{
		"owner":         tftypes.NewValue(tftypes.String, owner),
		"target_domain": tftypes.NewValue(tftypes.String, domain),
		"type":          typeValue,
		"target_ids":    tftypes.NewValue(tfTargetIDs, ids),
		"level":         tftypes.NewValue(tftypes.String, nil),
		"global":        tftypes.NewValue(tftypes.Bool, false),
	})
}

// TestSetTypeValidate agrees with basetypes.SetType.Validate on which sets
// hold duplicates, including elements whose nested sets list the same
// targets in another order.
func TestSetTypeValidate(t *testing.T) {
	ctx := context.Background()
	tfSet := tftypes.Set{ElementType: tfPrivilege}
	for name, tc := range map[string]struct {
		elems      []tftypes.Value
		duplicates int
	}{
		"empty":    {},
		"distinct": {elems: []tftypes.Value{tfGrant("PLATFORM", "SOURCE", "VIEW", "*"), tfGrant("PLATFORM", "SOURCE", "EDIT", "*")}},
		"null type differs from a type": {elems: []tftypes.Value{
			tfGrant("SEARCH_API", "EXECUTE_QUERY", ""), tfGrant("SEARCH_API", "EXECUTE_QUERY", "VIEW"),
		}},
		"same grant twice": {elems: []tftypes.Value{
			tfGrant("PLATFORM", "SOURCE", "EDIT", "a", "b"), tfGrant("PLATFORM", "SOURCE", "EDIT", "a", "b"),
		}, duplicates: 1},
		"nested targets in another order": {elems: []tftypes.Value{
			tfGrant("PLATFORM", "SOURCE", "EDIT", "a", "b"), tfGrant("PLATFORM", "SOURCE", "EDIT", "b", "a"),
		}, duplicates: 1},
		"strings that only concatenate alike": {elems: []tftypes.Value{
			tfGrant("PLATFORM", "SOURCE", "EDIT", "a,b"), tfGrant("PLATFORM", "SOURCE", "EDIT", "a", "b"),
		}},
		"three of a kind": {elems: []tftypes.Value{
			tfGrant("P", "D", "T"), tfGrant("P", "D", "T"), tfGrant("P", "D", "T"),
		}, duplicates: 1}, // diag.Diagnostics keeps one of identical diagnostics
	} {
		t.Run(name, func(t *testing.T) {
			in := tftypes.NewValue(tfSet, tc.elems)
			got := privilegesType.Validate(ctx, in, path.Root("privileges"))
			base := basetypes.SetType{ElemType: privilegeObjectType}.Validate(ctx, in, path.Root("privileges"))
			if got.ErrorsCount() != tc.duplicates {
				t.Errorf("setType reported %d errors, want %d: %v", got.ErrorsCount(), tc.duplicates, got)
			}
			if base.ErrorsCount() != got.ErrorsCount() {
				t.Errorf("setType reported %d errors, basetypes.SetType %d", got.ErrorsCount(), base.ErrorsCount())
			}
			for _, d := range got {
				if d.Summary() != "Duplicate Set Element" {
					t.Errorf("unexpected diagnostic %q: %s", d.Summary(), d.Detail())
				}
			}
		})
	}
}

// TestSetTypeValidateSkipsUnknown ignores elements that are not fully known,
// as the framework does, and accepts null and unknown sets.
func TestSetTypeValidateSkipsUnknown(t *testing.T) {
	ctx := context.Background()
	set := tftypes.Set{ElementType: tftypes.String}
	for name, in := range map[string]tftypes.Value{
		"null":    tftypes.NewValue(set, nil),
		"unknown": tftypes.NewValue(set, tftypes.UnknownValue),
		"unknown elements": tftypes.NewValue(set, []tftypes.Value{
			tftypes.NewValue(tftypes.String, tftypes.UnknownValue), tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		}),
	} {
		if diags := privilegeSpecsType.Validate(ctx, in, path.Root("x")); diags.HasError() {
			t.Errorf("%s: unexpected diagnostics %v", name, diags)
		}
	}
}

// TestWriteCanonical encodes equal values alike and different values
// differently, for every kind of value a schema can hold.
func TestWriteCanonical(t *testing.T) {
	enc := func(v tftypes.Value) string {
		var b strings.Builder
		if err := writeCanonical(&b, v); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(f)) }
	list := tftypes.List{ElementType: tftypes.String}
	mp := tftypes.Map{ElementType: tftypes.Number}
	pairs := []struct {
		a, b  tftypes.Value
		equal bool
	}{
		{str("a"), str("a"), true},
		{str("a"), str("b"), false},
		{str(""), tftypes.NewValue(tftypes.String, nil), false},
		{str("null"), tftypes.NewValue(tftypes.String, nil), false},
		{num(1), num(1.0), true},
		{num(1), num(2), false},
		{tftypes.NewValue(tftypes.Bool, true), tftypes.NewValue(tftypes.Bool, false), false},
		{tftypes.NewValue(list, []tftypes.Value{str("a"), str("b")}), tftypes.NewValue(list, []tftypes.Value{str("b"), str("a")}), false},
		{tftypes.NewValue(mp, map[string]tftypes.Value{"x": num(1), "y": num(2)}), tftypes.NewValue(mp, map[string]tftypes.Value{"y": num(2), "x": num(1)}), true},
		{tftypes.NewValue(mp, map[string]tftypes.Value{"x": num(1)}), tftypes.NewValue(mp, map[string]tftypes.Value{"x": num(2)}), false},
	}
	for _, p := range pairs {
		if got := enc(p.a) == enc(p.b); got != p.equal {
			t.Errorf("%s vs %s: equal encodings = %v, want %v", p.a, p.b, got, p.equal)
		}
	}
}

// TestSetValueRoundTrip keeps the custom type through the framework's
// conversions, so that schema and values agree.
func TestSetValueRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := tftypes.NewValue(tfTargetIDs, []tftypes.Value{tftypes.NewValue(tftypes.String, "*")})
	v, err := targetIDsType.ValueFromTerraform(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	sv, ok := v.(setValue)
	if !ok {
		t.Fatalf("ValueFromTerraform returned %T, want setValue", v)
	}
	if !sv.Type(ctx).Equal(targetIDsType) {
		t.Errorf("value type %s, want %s", sv.Type(ctx), targetIDsType)
	}
	if targetIDsType.Equal(types.SetType{ElemType: types.StringType}) {
		t.Error("setType must not equal the plain set type")
	}
	out, err := sv.ToTerraformValue(ctx)
	if err != nil || !out.Equal(in) {
		t.Errorf("round trip: %s, %v; want %s", out, err, in)
	}
}
