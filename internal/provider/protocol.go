package provider

import (
	"context"
	"os"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewProtocol6Server returns a factory of the provider's protocol server, for
// tf6server.Serve and for acceptance tests.
//
// It is the framework's server, except for one call: ReadDataSource of
// coveo_token_privileges. After a data source's Read, the framework compares
// the new state with itself (semantic equality, then tftypes.Value.Equal),
// and both comparisons look up every set element in the other set by
// comparing it with each element in turn: quadratic in the size of
// `privileges`, about 28 seconds for 1,000 grants on a 2-core machine. That
// data source has no semantic equality to apply, so this server calls its
// Read directly, with the same configuration and state the framework would
// pass, and skips the comparison. Everything else (schemas, validation,
// configuration, the ephemeral resource, functions) is the framework's.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &coveoProvider{version: version, getenv: os.Getenv}
		return &protocolServer{ProviderServer: providerserver.NewProtocol6(p)(), provider: p}
	}
}

type protocolServer struct {
	tfprotov6.ProviderServer
	provider *coveoProvider

	schemaOnce sync.Once
	schema     datasource.SchemaResponse
}

func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName != tokenPrivilegesTypeName {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	resp := &tfprotov6.ReadDataSourceResponse{}
	data := s.provider.configured()
	if data == nil {
		resp.Diagnostics = toProtoDiagnostics(diag.Diagnostics{diag.NewErrorDiagnostic("Provider not configured",
			"Terraform read a data source before configuring the provider. Please report this issue to the provider developers.")})
		return resp, nil
	}
	ds := &tokenPrivilegesDataSource{data: data}
	s.schemaOnce.Do(func() { ds.Schema(ctx, datasource.SchemaRequest{}, &s.schema) })
	schema := s.schema.Schema
	typ := schema.Type().TerraformType(ctx)

	if data.deferred {
		// What the framework does for every data source once Configure
		// deferred: an unknown result, read again once the values are known.
		state, diags := encodeState(typ, tftypes.NewValue(typ, tftypes.UnknownValue))
		resp.Diagnostics = toProtoDiagnostics(diags)
		resp.State = &state
		resp.Deferred = &tfprotov6.Deferred{Reason: tfprotov6.DeferredReasonProviderConfigUnknown}
		return resp, nil
	}

	config, diags := decodeConfig(req.Config, typ)
	if diags.HasError() {
		resp.Diagnostics = toProtoDiagnostics(diags)
		return resp, nil
	}

	readReq := datasource.ReadRequest{Config: tfsdk.Config{Schema: schema, Raw: config}}
	if req.ClientCapabilities != nil {
		readReq.ClientCapabilities.DeferralAllowed = req.ClientCapabilities.DeferralAllowed
	}
	readResp := datasource.ReadResponse{State: tfsdk.State{Schema: schema, Raw: config.Copy()}}
	ds.Read(ctx, readReq, &readResp)

	resp.Diagnostics = toProtoDiagnostics(readResp.Diagnostics)
	if readResp.Diagnostics.HasError() {
		return resp, nil
	}
	state, diags := encodeState(typ, readResp.State.Raw)
	resp.Diagnostics = append(resp.Diagnostics, toProtoDiagnostics(diags)...)
	if !diags.HasError() {
		resp.State = &state
	}
	return resp, nil
}

// encodeState encodes the state for Terraform.
func encodeState(typ tftypes.Type, state tftypes.Value) (tfprotov6.DynamicValue, diag.Diagnostics) {
	var diags diag.Diagnostics
	dv, err := tfprotov6.NewDynamicValue(typ, state)
	if err != nil {
		diags.AddError("Unable to encode the state", "Please report this issue to the provider developers.\n\n"+err.Error())
	}
	return dv, diags
}

// decodeConfig decodes the configuration Terraform sent, or a null one.
func decodeConfig(dv *tfprotov6.DynamicValue, typ tftypes.Type) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	if dv == nil {
		return tftypes.NewValue(typ, nil), diags
	}
	config, err := dv.Unmarshal(typ)
	if err != nil {
		diags.AddError("Unable to read the configuration",
			"Terraform sent a configuration this provider cannot decode. Please report this issue to the provider developers.\n\n"+err.Error())
	}
	return config, diags
}

// toProtoDiagnostics converts framework diagnostics to the protocol's, as the
// framework does for the calls it serves.
func toProtoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail(), Severity: tfprotov6.DiagnosticSeverityWarning}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = toAttributePath(withPath.Path())
		}
		out = append(out, pd)
	}
	return out
}

// toAttributePath converts the paths this provider's diagnostics use; a
// step it cannot express leaves the diagnostic without a path.
func toAttributePath(p path.Path) *tftypes.AttributePath {
	var steps []tftypes.AttributePathStep
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			steps = append(steps, tftypes.AttributeName(string(s)))
		case path.PathStepElementKeyInt:
			steps = append(steps, tftypes.ElementKeyInt(int64(s)))
		case path.PathStepElementKeyString:
			steps = append(steps, tftypes.ElementKeyString(string(s)))
		default:
			return nil
		}
	}
	if len(steps) == 0 {
		return nil
	}
	return tftypes.NewAttributePathWithSteps(steps)
}
