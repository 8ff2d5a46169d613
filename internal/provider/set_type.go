package provider

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// setType is a Terraform set type whose validation is linear in the number of
// elements. basetypes.SetType looks for duplicate elements by comparing every
// pair, and the framework validates each set several times per read: a token
// with a few thousand grants (or one grant with thousands of targets) then
// spends seconds to minutes in that step alone. setType finds duplicates by
// hashing a canonical encoding of each element instead. Its values behave
// exactly like types.Set values everywhere else.
type setType struct {
	basetypes.SetType
}

var (
	_ basetypes.SetTypable   = setType{}
	_ xattr.TypeWithValidate = setType{} //nolint:staticcheck // the framework still calls it; it is the hook this type exists for.
)

// newSetType returns a set type of elem with linear validation.
func newSetType(elem attr.Type) setType {
	return setType{SetType: basetypes.SetType{ElemType: elem}}
}

func (t setType) Equal(o attr.Type) bool {
	other, ok := o.(setType)
	return ok && t.SetType.Equal(other.SetType)
}

func (t setType) String() string {
	return "provider.setType[" + t.ElementType().String() + "]"
}

func (t setType) ValueType(context.Context) attr.Value {
	return setValue{SetValue: basetypes.NewSetNull(t.ElementType())}
}

func (t setType) ValueFromSet(_ context.Context, in basetypes.SetValue) (basetypes.SetValuable, diag.Diagnostics) {
	return setValue{SetValue: in}, nil
}

func (t setType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.SetType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	set, ok := v.(basetypes.SetValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T from %s", v, t.SetType)
	}
	return setValue{SetValue: set}, nil
}

// Validate reports duplicate elements like basetypes.SetType.Validate does,
// in O(n) hashing rather than O(n²) comparisons. Elements that are not fully
// known are skipped, as the framework does.
func (t setType) Validate(ctx context.Context, in tftypes.Value, p path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if in.Type() == nil || !in.IsKnown() || in.IsNull() {
		return diags
	}
	var elems []tftypes.Value
	if err := in.As(&elems); err != nil {
		diags.AddAttributeError(p, "Set Type Validation Error",
			"An unexpected error was encountered trying to validate a set value. This is always an error in the provider. Please report it to the provider developers.\n\n"+err.Error())
		return diags
	}
	//nolint:staticcheck // xattr.TypeWithValidate is deprecated but still honoured by the framework.
	elemValidator, validatable := t.ElementType().(xattr.TypeWithValidate)
	seen := make(map[string]struct{}, len(elems))
	var key strings.Builder
	for _, elem := range elems {
		if !elem.IsFullyKnown() {
			continue
		}
		if validatable {
			elemValue, err := t.ElementType().ValueFromTerraform(ctx, elem)
			if err != nil {
				diags.AddAttributeError(p, "Set Type Validation Error",
					"An unexpected error was encountered trying to validate a set element. This is always an error in the provider. Please report it to the provider developers.\n\n"+err.Error())
				return diags
			}
			diags.Append(elemValidator.Validate(ctx, elem, p.AtSetValue(elemValue))...)
		}
		key.Reset()
		if err := writeCanonical(&key, elem); err != nil {
			diags.AddAttributeError(p, "Set Type Validation Error",
				"An unexpected error was encountered trying to validate a set element. This is always an error in the provider. Please report it to the provider developers.\n\n"+err.Error())
			return diags
		}
		k := key.String()
		if _, dup := seen[k]; dup {
			diags.AddAttributeError(p, "Duplicate Set Element",
				fmt.Sprintf("This attribute contains duplicate values of: %s", elem))
			continue
		}
		seen[k] = struct{}{}
	}
	return diags
}

// writeCanonical writes an encoding of a fully known value such that two
// values are equal exactly when their encodings are: strings are quoted,
// object attributes and map keys are sorted, and set elements are sorted by
// their own encodings, so that element order never matters.
func writeCanonical(b *strings.Builder, v tftypes.Value) error {
	if v.IsNull() {
		b.WriteString("null")
		return nil
	}
	typ := v.Type()
	switch {
	case typ.Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return err
		}
		b.WriteString(strconv.Quote(s))
	case typ.Is(tftypes.Bool):
		var x bool
		if err := v.As(&x); err != nil {
			return err
		}
		b.WriteString(strconv.FormatBool(x))
	case typ.Is(tftypes.Number):
		n := new(big.Float)
		if err := v.As(&n); err != nil {
			return err
		}
		b.WriteString(n.Text('g', -1))
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return err
		}
		b.WriteByte('[')
		for _, e := range elems {
			if err := writeCanonical(b, e); err != nil {
				return err
			}
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case typ.Is(tftypes.Set{}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return err
		}
		keys := make([]string, len(elems))
		for i, e := range elems {
			var eb strings.Builder
			if err := writeCanonical(&eb, e); err != nil {
				return err
			}
			keys[i] = eb.String()
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for _, k := range keys {
			b.WriteString(k)
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case typ.Is(tftypes.Object{}), typ.Is(tftypes.Map{}):
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			return err
		}
		names := make([]string, 0, len(attrs))
		for name := range attrs {
			names = append(names, name)
		}
		slices.Sort(names)
		b.WriteByte('(')
		for _, name := range names {
			b.WriteString(strconv.Quote(name))
			b.WriteByte('=')
			if err := writeCanonical(b, attrs[name]); err != nil {
				return err
			}
			b.WriteByte(',')
		}
		b.WriteByte(')')
	default:
		return fmt.Errorf("cannot compare values of type %s", typ)
	}
	return nil
}

// setValue is the value of a setType.
type setValue struct {
	basetypes.SetValue
}

var _ basetypes.SetValuable = setValue{}

func (v setValue) Type(ctx context.Context) attr.Type {
	return newSetType(v.ElementType(ctx))
}

func (v setValue) Equal(o attr.Value) bool {
	other, ok := o.(setValue)
	return ok && v.SetValue.Equal(other.SetValue)
}
