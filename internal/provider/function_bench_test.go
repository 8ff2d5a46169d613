package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// BenchmarkFunctionHasPrivilege calls has_privilege through the protocol, as
// Terraform does, over privileges arguments of growing size: the framework
// validates the set argument, so the ns/grant metric shows whether that
// stays linear.
func BenchmarkFunctionHasPrivilege(b *testing.B) {
	ctx := context.Background()
	server := NewProtocol6Server("bench")()
	elemType := privilegeArgumentType.TerraformType(ctx)
	setType := tftypes.Set{ElementType: elemType}
	targetsType := tftypes.Set{ElementType: tftypes.String}
	spec, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, "PLATFORM/SOURCE/VIEW"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 1000, 10000} {
		elems := make([]tftypes.Value, n)
		for i := range elems {
			elems[i] = tftypes.NewValue(elemType, map[string]tftypes.Value{
				"owner":         tftypes.NewValue(tftypes.String, "PLATFORM"),
				"target_domain": tftypes.NewValue(tftypes.String, fmt.Sprintf("DOMAIN_%d", i)),
				"type":          tftypes.NewValue(tftypes.String, "VIEW"),
				"target_ids":    tftypes.NewValue(targetsType, []tftypes.Value{tftypes.NewValue(tftypes.String, "*")}),
			})
		}
		privileges, err := tfprotov6.NewDynamicValue(setType, tftypes.NewValue(setType, elems))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("grants=%d", n), func(b *testing.B) {
			for b.Loop() {
				resp, err := server.CallFunction(ctx, &tfprotov6.CallFunctionRequest{
					Name: "has_privilege", Arguments: []*tfprotov6.DynamicValue{&privileges, &spec},
				})
				if err != nil || resp.Error != nil {
					b.Fatal(err, resp.Error)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/grant")
		})
	}
}
