package provider

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi"
	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi/coveotest"
)

// Leak hunts run acceptance flows with the most verbose logging of
// Terraform, of the provider served in this process and of the test
// framework captured to one file, with everything terraform prints captured
// to another, and with Terraform's working directories (state files, saved
// plans) kept. Then they fail if any form of a token appears in any of them,
// in an error diagnostic, or in the state and plan that the test framework
// reads. Warning diagnostics have no channel of their own: Terraform prints
// them, and terraform-plugin-go logs every diagnostic the provider returns.

// Distinctive tokens: a start and an end that no other text holds, around the
// characters that URL escaping, JSON and Go quoting change. The inspected
// token even carries a query parameter of its own, so a URL built without
// escaping would show.
const (
	leakCaller    = `xxleakcallerstart7c2a91 +/=&%?#;"\leakcallerend4f3e`
	leakInspected = `xxleakinspectedstart8e1b5d &accessToken=%2F+/"\?#leakinspectedend61c0`
)

// leakTokens names the tokens of the hunts, for their reports.
var leakTokens = map[string]string{"caller token": leakCaller, "inspected token": leakInspected}

// secretForm is one way a secret can appear in text.
type secretForm struct {
	label, text string
}

// minMarkLen is the shortest start or end of a secret worth hunting alone.
const minMarkLen = 12

// secretForms returns the forms of a secret to hunt: as is, query-escaped,
// path-escaped, Go-quoted and JSON-escaped (as log lines and state files
// write it), and its distinctive start and end, which any truncated copy
// holds. A blank secret has no form worth hunting.
func secretForms(name, secret string) []secretForm {
	if strings.TrimSpace(secret) == "" {
		return nil
	}
	quoted := strconv.Quote(secret)
	js, _ := json.Marshal(secret) // a string always marshals
	forms := []secretForm{
		{name, secret},
		{name + ", query-escaped", url.QueryEscape(secret)},
		{name + ", path-escaped", url.PathEscape(secret)},
		{name + ", Go-quoted", quoted[1 : len(quoted)-1]},
		{name + ", JSON-escaped", string(js[1 : len(js)-1])},
	}
	notAlnum := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	if i := strings.IndexFunc(secret, notAlnum); i >= minMarkLen {
		forms = append(forms, secretForm{name + ", its start", secret[:i]})
	}
	if i := strings.LastIndexFunc(secret, notAlnum); i >= 0 && len(secret)-i-1 >= minMarkLen {
		forms = append(forms, secretForm{name + ", its end", secret[i+1:]})
	}
	return forms
}

// leakHunt is where one acceptance test's secrets must not appear.
type leakHunt struct {
	forms      []secretForm
	logPath    string // TF_ACC_LOG_PATH: Terraform's, the provider's and the test framework's logs
	outputPath string // what terraform printed, except its JSON renderings
	workDir    string // TF_ACC_TEMP_DIR: Terraform's working directories
	// stored names, by resource address, the attributes that hold a hunted
	// value by design: every argument of a data source or a managed
	// resource is stored in the state. The rest of the state is hunted.
	stored map[string][]string
	// inSavedPlans is set when a saved plan holds a hunted value by design:
	// it keeps the arguments of data sources and managed resources, and the
	// value of every input variable that is not ephemeral. Plans, and the
	// working directories that hold them, are then not hunted.
	inSavedPlans bool
}

// huntFor returns a hunt for the secrets, which maps names to values, with
// no capture: enough for leakStateCheck and leakPlanCheck.
func huntFor(secrets map[string]string) *leakHunt {
	h := &leakHunt{}
	for name, value := range secrets {
		h.forms = append(h.forms, secretForms(name, value)...)
	}
	return h
}

// newLeakHunt sets up the capture of everything for the current test and
// returns a hunt for the secrets.
func newLeakHunt(t *testing.T, secrets map[string]string) *leakHunt {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance tests skipped unless env '%s' set", resource.EnvTfAcc)
	}
	dir := t.TempDir()
	h := huntFor(secrets)
	h.logPath = filepath.Join(dir, "trace.log")
	h.outputPath = filepath.Join(dir, "terraform-output.txt")
	h.workDir = filepath.Join(dir, "work")
	if err := os.Mkdir(h.workDir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, value := range map[string]string{
		"TF_ACC_TERRAFORM_PATH":      wrapTerraform(t, dir, h.outputPath),
		"TF_ACC_TEMP_DIR":            h.workDir,
		"TF_ACC_PERSIST_WORKING_DIR": "1",
		// One file for everything: terraform-plugin-testing passes it to
		// terraform as TF_LOG_PATH, and terraform-plugin-log writes the
		// in-process provider's and the test framework's logs to it.
		"TF_ACC_LOG_PATH": h.logPath,
		"TF_ACC_LOG":      "TRACE", // terraform's TF_LOG
		"TF_LOG":          "TRACE", // the in-process loggers
		"TF_LOG_PROVIDER": "TRACE",
		// The in-process subsystems, in case the environment lowers them.
		"TF_LOG_PROVIDER_COVEO":      "TRACE",
		"TF_LOG_SDK":                 "TRACE",
		"TF_LOG_SDK_PROTO":           "TRACE",
		"TF_LOG_SDK_FRAMEWORK":       "TRACE",
		"TF_LOG_SDK_HELPER_RESOURCE": "TRACE",
		// These would send the logs elsewhere, or split them.
		"TF_LOG_PATH":      "",
		"TF_LOG_PATH_MASK": "",
		"TF_LOG_CORE":      "",
		// This one writes every request's configuration to files by design.
		"TF_LOG_SDK_PROTO_DATA_DIR": "",
	} {
		t.Setenv(name, value)
	}
	return h
}

// wrapTerraform writes a script that runs the real terraform and appends
// what it printed to outputPath: plan and apply output and diagnostics.
// JSON renderings (terraform show -json, version -json) are left out: the
// state and plan checks examine them with their exceptions.
func wrapTerraform(t *testing.T, dir, outputPath string) string {
	t.Helper()
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("leak hunts need a terraform binary: set TF_ACC_TERRAFORM_PATH (scripts/with-terraform.sh does)")
		}
	}
	script := fmt.Sprintf(`#!/bin/sh
out=$(mktemp %[1]s/out.XXXXXX) || exit 1
err=$(mktemp %[1]s/err.XXXXXX) || exit 1
%[2]s "$@" >"$out" 2>"$err"
rc=$?
case " $* " in
*" -json "*) ;;
*) cat "$out" "$err" >>%[3]s ;;
esac
cat "$out"
cat "$err" >&2
rm -f "$out" "$err"
exit $rc
`, shellQuote(dir), shellQuote(terraform), shellQuote(outputPath))
	path := filepath.Join(dir, "terraform")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// run runs tc with a state check, and a plan check before every apply, added
// to each step, then hunts the logs, terraform's output and its working
// directories. wantErr, when set, is the pattern of the error the step must
// fail with; the error is hunted too.
func (h *leakHunt) run(t *testing.T, tc resource.TestCase, wantErr string) {
	t.Helper()
	if tc.ProtoV6ProviderFactories == nil {
		tc.ProtoV6ProviderFactories = testAccProtoV6ProviderFactories
	}
	for i := range tc.Steps {
		step := &tc.Steps[i]
		step.ConfigStateChecks = append(step.ConfigStateChecks, leakStateCheck{h})
		if !h.inSavedPlans {
			step.ConfigPlanChecks.PreApply = append(step.ConfigPlanChecks.PreApply, leakPlanCheck{h})
		}
	}
	if wantErr != "" {
		tc.ErrorCheck = h.errorCheck(t, wantErr)
	}
	resource.Test(t, tc)
	h.huntFile(t, "log", h.logPath)
	h.huntFile(t, "terraform output", h.outputPath)
	if !h.inSavedPlans {
		h.huntWorkDir(t, wantErr == "")
	}
}

// errorCheck returns a TestCase.ErrorCheck that accepts the error of a step
// when it matches wantErr and holds no secret; the test fails if no step
// failed. ExpectError only matches; ErrorCheck also sees the text to hunt.
func (h *leakHunt) errorCheck(t *testing.T, wantErr string) resource.ErrorCheckFunc {
	pattern := expectError(wantErr)
	failed := false
	t.Cleanup(func() {
		if !failed && !t.Skipped() && !t.Failed() {
			t.Errorf("want an error matching %s, got none", pattern)
		}
	})
	return func(err error) error {
		failed = true
		if !pattern.MatchString(err.Error()) {
			return fmt.Errorf("want an error matching %s, got: %w", pattern, err)
		}
		if found := h.find(err.Error()); found != "" {
			return fmt.Errorf("the error holds the %s: %w", found, err)
		}
		return nil
	}
}

// find returns the label of the first secret form text holds, or "".
func (h *leakHunt) find(text string) string {
	for _, f := range h.forms {
		if strings.Contains(text, f.text) {
			return f.label
		}
	}
	return ""
}

// huntFile reports each line of a capture file that holds a secret.
func (h *leakHunt) huntFile(t *testing.T, what, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the %s: %v", what, err)
	}
	if len(b) == 0 {
		t.Fatalf("the %s is empty: nothing was captured, so nothing was hunted", what)
	}
	reported := 0
	for i, line := range strings.Split(string(b), "\n") {
		if found := h.find(line); found != "" {
			t.Errorf("%s line %d holds the %s: %s", what, i+1, found, line)
			if reported++; reported == 5 {
				t.Errorf("and maybe more in the %s", what)
				return
			}
		}
	}
}

// huntWorkDir hunts every file Terraform left in its working directories:
// state files, and saved plan files (zip archives) entry by entry. The
// variable files that hold the test's inputs are skipped. There is always a
// saved plan (of the final destroy, at least), and a state file when an
// apply ran.
func (h *leakHunt) huntWorkDir(t *testing.T, applied bool) {
	t.Helper()
	states, plans := 0, 0
	err := filepath.WalkDir(h.workDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".tfvars.json") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		name, _ := filepath.Rel(h.workDir, path)
		if strings.HasSuffix(path, ".tfstate") {
			states++
		}
		if !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
			if found := h.find(string(b)); found != "" {
				t.Errorf("%s holds the %s", name, found)
			}
			return nil
		}
		archive, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		plans++
		for _, f := range archive.File {
			rc, err := f.Open()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			content, err := io.ReadAll(rc)
			_ = rc.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if found := h.find(string(content)); found != "" {
				t.Errorf("%s (in the saved plan %s) holds the %s", f.Name, name, found)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("hunting Terraform's working directories: %v", err)
	}
	if plans == 0 || (applied && states == 0) {
		t.Fatalf("Terraform's working directories hold %d state files and %d saved plans: the hunt saw none", states, plans)
	}
}

// leakStateCheck fails when the state holds a secret.
type leakStateCheck struct {
	h *leakHunt
}

func (c leakStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	raw, err := json.Marshal(req.State)
	if err == nil {
		err = json.Unmarshal(raw, &state)
	}
	if err != nil {
		resp.Error = err
		return
	}
	for _, r := range state.Values.RootModule.Resources {
		for _, attr := range c.h.stored[r.Address] {
			value, _ := r.Values[attr].(string)
			if c.h.find(value) == "" {
				resp.Error = fmt.Errorf("%s.%s does not hold the value stored by design", r.Address, attr)
				return
			}
			// Hunt everything but what is stored by design.
			raw = bytes.Replace(raw, mustJSON(value), []byte(`"stored by design"`), 1)
		}
	}
	if found := c.h.find(string(raw)); found != "" {
		resp.Error = fmt.Errorf("the state holds the %s", found)
	}
}

// leakPlanCheck fails when the plan, as terraform show -json renders the
// saved plan, holds a secret.
type leakPlanCheck struct {
	h *leakHunt
}

func (c leakPlanCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	raw, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if found := c.h.find(string(raw)); found != "" {
		resp.Error = fmt.Errorf("the plan holds the %s", found)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// logsContain fails unless the hunted log holds each of texts: a hunt of a
// log that missed the lines that matter would prove nothing.
func (h *leakHunt) logsContain(t *testing.T, texts ...string) {
	t.Helper()
	b, err := os.ReadFile(h.logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		if !bytes.Contains(b, []byte(text)) {
			t.Errorf("the log has no %q: the hunt did not see what it should", text)
		}
	}
}

// Evidence that the log holds Terraform's own lines (OpenTofu names itself
// in its version line), and the provider's request lines with the URL in
// which the token travels.
func logTerraform() string {
	if openTofu() {
		return "OpenTofu version"
	}
	return "Terraform version"
}

const (
	logRequest = "coveo API request"
	logURL     = "accessToken=" + coveoapi.Redacted
)

// retryNow is a 503 that asks for an immediate retry.
func retryNow() coveotest.Response {
	r := coveotest.Unavailable(http.StatusServiceUnavailable)
	r.Header.Set("Retry-After", "0")
	return r
}

// newLeakAPI starts the embedded API with the hunts' tokens: the inspected
// one holds the fixture's grants, the caller one is valid with none.
func newLeakAPI(t *testing.T) (*accAPI, *coveotest.Server) {
	t.Helper()
	api := newAccAPI(t)
	server := api.requireStub(t)
	server.Grant(api.org, leakInspected, fixtureEntries...)
	server.AddToken(leakCaller)
	return api, server
}

// tokenVariables declares the variables that carry tokens, so that no
// token is ever written in a configuration (the test framework logs those).
func tokenVariables(ephemeral bool, names ...string) string {
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "variable %q {\n  type      = string\n  sensitive = true\n", name)
		if ephemeral {
			b.WriteString("  ephemeral = true\n")
		}
		b.WriteString("}\n\n")
	}
	return b.String()
}

// TestAccLeakHunt_selfInspectionFromEnvironment inspects the provider's own
// token, given through environment variables only, through a rate limit
// and a 503 that are retried: the safe default stores nothing secret.
func TestAccLeakHunt_selfInspectionFromEnvironment(t *testing.T) {
	api, server := newLeakAPI(t)
	h := newLeakHunt(t, map[string]string{"provider token": leakInspected})
	t.Setenv(envEndpoint, server.URL)
	t.Setenv(envOrganizationID, api.org)
	t.Setenv(envAccessToken, leakInspected)
	t.Setenv(envMaxRetries, "2")
	server.Enqueue(coveotest.TooManyRequests("0"), retryNow())
	h.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: `
data "coveo_token_privileges" "test" {}

resource "terraform_data" "pipeline" {
  input = data.coveo_token_privileges.test.id
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(api.wantGrants)),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(api.org+"/"+fingerprint(leakInspected))),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("access_token"), knownvalue.Null()),
			},
		}},
	}, "")
	h.logsContain(t, logTerraform(), logRequest, logURL, "coveo API retry")
	requireTokensSent(t, server, leakInspected, leakInspected)
}

// requireTokensSent fails unless the embedded API received the tokens: a
// hunt for tokens that were never used would prove nothing.
func requireTokensSent(t *testing.T, server *coveotest.Server, caller, inspected string) {
	t.Helper()
	reqs := server.Requests()
	if len(reqs) == 0 {
		t.Fatal("the embedded API received no request")
	}
	for _, r := range reqs {
		if r.Authorization != "Bearer "+caller || r.AccessToken != inspected {
			t.Errorf("the embedded API received Authorization %q for accessToken %q; want the hunted tokens", r.Authorization, r.AccessToken)
		}
	}
}

// TestAccLeakHunt_dataSourceToken inspects a token given to the data source:
// by design, and as documented, its access_token is in the state and in
// saved plans; the token is nowhere else, its id included.
func TestAccLeakHunt_dataSourceToken(t *testing.T) {
	var s datasource.SchemaResponse
	(&tokenPrivilegesDataSource{}).Schema(context.Background(), datasource.SchemaRequest{}, &s)
	attr, ok := s.Schema.Attributes["access_token"].(schema.StringAttribute)
	if !ok || !strings.Contains(attr.MarkdownDescription, "Stored in plain text in the state and in saved plans") {
		t.Errorf("the data source's access_token does not document that it is stored: %q", attr.MarkdownDescription)
	}

	api, server := newLeakAPI(t)
	h := newLeakHunt(t, leakTokens)
	h.stored = map[string][]string{dataSourceAddr: {"access_token"}}
	h.inSavedPlans = true
	t.Setenv(envAccessToken, leakCaller)
	h.run(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: api.config(map[string]string{"organization_id": fmt.Sprintf("%q", api.org)},
				tokenVariables(false, "inspected")+`
data "coveo_token_privileges" "test" {
  access_token = var.inspected
}

resource "terraform_data" "pipeline" {
  input = data.coveo_token_privileges.test.id
}`),
			ConfigVariables: config.Variables{"inspected": config.StringVariable(leakInspected)},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("privileges"), privilegesCheck(api.wantGrants)),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(api.org+"/"+fingerprint(leakInspected))),
				statecheck.ExpectKnownValue(dataSourceAddr, tfjsonpath.New("access_token"), knownvalue.StringExact(leakInspected)),
			},
		}},
	}, "")
	h.logsContain(t, logTerraform(), logRequest, logURL)
	requireTokensSent(t, server, leakCaller, leakInspected)
}

// TestAccLeakHunt_ephemeralResource inspects a token from an ephemeral
// variable with a caller token from another, through retries, and asserts
// on the privileges in a precondition: neither token, nor the ephemeral
// resource, reaches the state or the saved plan.
func TestAccLeakHunt_ephemeralResource(t *testing.T) {
	api, server := newLeakAPI(t)
	h := newLeakHunt(t, leakTokens)
	server.Enqueue(coveotest.TooManyRequests("0"), retryNow())
	h.run(t, resource.TestCase{
		TerraformVersionChecks: skipBelowEphemeral,
		Steps: []resource.TestStep{{
			Config: api.config(map[string]string{
				"organization_id": fmt.Sprintf("%q", api.org),
				"access_token":    "var.caller",
				"max_retries":     "2",
			}, tokenVariables(true, "caller", "inspected")+`
ephemeral "coveo_token_privileges" "test" {
  access_token = var.inspected
}

resource "terraform_data" "pipeline" {
  input = "checked"

  lifecycle {
    precondition {
      condition     = contains(ephemeral.coveo_token_privileges.test.privilege_specs, "SEARCH_API/EXECUTE_QUERY")
      error_message = "The key cannot execute queries."
    }
  }
}`),
			ConfigVariables: config.Variables{
				"caller":    config.StringVariable(leakCaller),
				"inspected": config.StringVariable(leakInspected),
			},
			ConfigStateChecks: []statecheck.StateCheck{noTokenPrivilegesInState{}},
		}},
	}, "")
	h.logsContain(t, logTerraform(), logRequest, logURL, "coveo API retry")
	requireTokensSent(t, server, leakCaller, leakInspected)
}

// leakFailure is one way a read fails.
type leakFailure struct {
	name string
	// ungranted leaves the inspected token unknown to the embedded API.
	ungranted bool
	// setup scripts the failure and returns provider attributes to set.
	setup    func(t *testing.T, api *accAPI, server *coveotest.Server) map[string]string
	expected string
}

// closedPort returns the URL of a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return u
}

var leakFailures = []leakFailure{
	{
		name:      "401 for an unknown inspected token",
		ungranted: true,
		setup:     func(*testing.T, *accAPI, *coveotest.Server) map[string]string { return nil },
		expected:  `(?s)Unable to read the privileges.*401`,
	},
	{
		name: "403 whose body echoes both tokens",
		setup: func(_ *testing.T, _ *accAPI, s *coveotest.Server) map[string]string {
			s.Enqueue(coveotest.Problem(http.StatusForbidden, "FORBIDDEN", "Caller "+leakCaller+" may not inspect "+
				leakInspected+" (accessToken="+url.QueryEscape(leakInspected)+")."))
			return nil
		},
		expected: `(?s)403.*FORBIDDEN.*REDACTED`,
	},
	{
		name: "404 for an unknown organization",
		setup: func(*testing.T, *accAPI, *coveotest.Server) map[string]string {
			return map[string]string{"organization_id": `"leak-no-such-org"`}
		},
		expected: `(?s)404.*organization`,
	},
	{
		name: "419 for an expired token",
		setup: func(_ *testing.T, _ *accAPI, s *coveotest.Server) map[string]string {
			s.Expire(leakInspected)
			return nil
		},
		expected: `(?s)419.*xpired`,
	},
	{
		name: "429 until the retries run out",
		setup: func(_ *testing.T, _ *accAPI, s *coveotest.Server) map[string]string {
			s.Enqueue(coveotest.TooManyRequests("0"), coveotest.TooManyRequests("0"))
			return map[string]string{"max_retries": "1"}
		},
		expected: `(?s)429.*2 attempts`,
	},
	{
		name: "503 echoing the request until the retries run out",
		setup: func(_ *testing.T, api *accAPI, s *coveotest.Server) map[string]string {
			echo := retryNow()
			echo.Body = "upstream failed: POST " + s.URL + "/rest/organizations/" + api.org +
				"/privileges/token?accessToken=" + url.QueryEscape(leakInspected) + " with Bearer " + leakCaller
			s.Enqueue(echo, echo)
			return map[string]string{"max_retries": "1"}
		},
		expected: `(?s)503.*REDACTED.*2 attempts`,
	},
	{
		name: "500 HTML page",
		setup: func(_ *testing.T, _ *accAPI, s *coveotest.Server) map[string]string {
			s.Enqueue(coveotest.HTMLPage(http.StatusInternalServerError))
			return nil
		},
		expected: `(?s)500.*HTML`,
	},
	{
		name: "malformed body quoting the token",
		setup: func(_ *testing.T, _ *accAPI, s *coveotest.Server) map[string]string {
			s.Enqueue(coveotest.Response{Body: `[{"owner":` + string(mustJSON(leakInspected)) + `,"targetDomain":`})
			return nil
		},
		expected: `(?s)Unable to read the privileges.*(JSON|truncated|unexpected)`,
	},
	{
		name: "timeout on every attempt",
		setup: func(_ *testing.T, _ *accAPI, s *coveotest.Server) map[string]string {
			s.SetDelay(5 * time.Second)
			return map[string]string{"request_timeout": `"200ms"`, "max_retries": "1"}
		},
		expected: `(?s)accessToken=REDACTED.*2 attempts.*timeout`,
	},
	{
		name: "connection refused, where Go's url.Error quotes the full URL",
		setup: func(t *testing.T, _ *accAPI, _ *coveotest.Server) map[string]string {
			return map[string]string{"endpoint": fmt.Sprintf("%q", closedPort(t)), "max_retries": "1"}
		},
		expected: `(?s)accessToken=REDACTED.*2 attempts.*refused`,
	},
}

// TestAccLeakHunt_failures makes every class of failure happen to the data
// source and to the ephemeral resource: the diagnostic says what failed,
// and no token appears in it, in the logs (retries included) or anywhere
// Terraform writes.
func TestAccLeakHunt_failures(t *testing.T) {
	blocks := map[string]struct {
		body      string
		ephemeral bool
	}{
		"data source":        {body: `data "coveo_token_privileges" "test" {`, ephemeral: false},
		"ephemeral resource": {body: `ephemeral "coveo_token_privileges" "test" {`, ephemeral: true},
	}
	for blockName, block := range blocks {
		for _, failure := range leakFailures {
			t.Run(blockName+"/"+failure.name, func(t *testing.T) {
				api := newAccAPI(t)
				server := api.requireStub(t)
				server.AddToken(leakCaller)
				if !failure.ungranted {
					server.Grant(api.org, leakInspected, fixtureEntries...)
				}
				h := newLeakHunt(t, leakTokens)
				// A data source refuses an ephemeral variable: the saved
				// plans keep the value of the one it reads.
				h.inSavedPlans = !block.ephemeral
				t.Setenv(envAccessToken, leakCaller)
				attrs := map[string]string{"organization_id": fmt.Sprintf("%q", api.org)}
				for k, v := range failure.setup(t, api, server) {
					attrs[k] = v
				}
				tc := resource.TestCase{
					Steps: []resource.TestStep{{
						Config: api.config(attrs, tokenVariables(block.ephemeral, "inspected")+
							block.body+"\n  access_token = var.inspected\n}\n"),
						ConfigVariables: config.Variables{"inspected": config.StringVariable(leakInspected)},
					}},
				}
				if block.ephemeral {
					tc.TerraformVersionChecks = skipBelowEphemeral
				}
				h.run(t, tc, failure.expected)
				h.logsContain(t, logTerraform(), logRequest, logURL, "Response contains error diagnostic")
			})
		}
	}
}

// inputCase is an invalid value and where it is given.
type inputCase struct {
	value    string
	expected string // the problem the diagnostic names
}

var (
	invalidTokens = map[string]inputCase{
		"empty token":                 {"", "must not be empty"},
		"blank token":                 {"  \t ", "must not be blank"},
		"token with a newline":        {"xxinputstart5c1e9a\ninputend8d2f7b", "must not contain control characters"},
		"token with a NUL":            {"xxinputstart5c1e9a\x00inputend8d2f7b", "must not contain control characters"},
		"token with trailing space":   {"xxinputstart5c1e9a-inputend8d2f7b ", "must not start or end with whitespace"},
		"token with an escape inside": {"xxinputstart5c1e9a\x1b[2Jinputend8d2f7b", "must not contain control characters"},
	}
	invalidOrganizations = map[string]inputCase{
		"empty organization":                {"", "must not be empty"},
		"blank organization":                {" ", "must not be blank"},
		"organization with a control char":  {"inputorgstart3a7c\x7finputorgend9e4b", "must not contain whitespace or control characters"},
		"organization with a space inside":  {"inputorgstart3a7c inputorgend9e4b", "must not contain whitespace or control characters"},
		"organization with a trailing line": {"inputorgstart3a7c\n", "must not contain whitespace or control characters"},
	}
)

// TestAccInputChecks refuses empty, blank and control-character tokens and
// organization IDs wherever they are given, before any request, naming the
// attribute (and the environment variable) without echoing the value in the
// diagnostic, the logs or anywhere Terraform writes.
func TestAccInputChecks(t *testing.T) {
	type place struct {
		named     string // how the diagnostic names where the value came from
		cases     map[string]inputCase
		ephemeral bool              // the value comes from an ephemeral variable
		env       string            // the value comes from this environment variable, not var.value
		provider  map[string]string // provider attributes
		body      string
	}
	const readSelf = `data "coveo_token_privileges" "test" {}`
	places := map[string]place{
		"environment " + envAccessToken: {
			named: "The environment variable " + envAccessToken + " (provider attribute access_token)", cases: invalidTokens,
			env: envAccessToken, provider: map[string]string{"access_token": ""}, body: readSelf,
		},
		"environment " + envOrganizationID: {
			named: "The environment variable " + envOrganizationID + " (provider attribute organization_id)", cases: invalidOrganizations,
			env: envOrganizationID, provider: map[string]string{"organization_id": ""}, body: readSelf,
		},
	}
	for attr, cases := range map[string]map[string]inputCase{"access_token": invalidTokens, "organization_id": invalidOrganizations} {
		named := "The attribute " + attr
		places["data source "+attr] = place{named: named, cases: cases,
			body: fmt.Sprintf("data \"coveo_token_privileges\" \"test\" {\n  %s = var.value\n}\n", attr)}
		places["ephemeral resource "+attr] = place{named: named, cases: cases, ephemeral: true,
			body: fmt.Sprintf("ephemeral \"coveo_token_privileges\" \"test\" {\n  %s = var.value\n}\n", attr)}
		places["provider "+attr] = place{named: named, cases: cases, provider: map[string]string{attr: "var.value"}, body: readSelf}
	}

	for placeName, p := range places {
		for caseName, c := range p.cases {
			if p.env != "" && (c.value == "" || strings.ContainsRune(c.value, 0)) {
				continue // an empty environment variable is an unset one, and none can hold NUL
			}
			t.Run(placeName+"/"+caseName, func(t *testing.T) {
				api, server := newLeakAPI(t)
				h := newLeakHunt(t, map[string]string{"invalid value": c.value, "caller token": leakCaller})
				t.Setenv(envAccessToken, leakCaller)
				attrs := map[string]string{"organization_id": fmt.Sprintf("%q", api.org)}
				maps.Copy(attrs, p.provider)
				step := resource.TestStep{Config: api.config(attrs, p.body)}
				if p.env != "" {
					t.Setenv(p.env, c.value)
				} else {
					step.Config = api.config(attrs, tokenVariables(p.ephemeral, "value")+p.body)
					step.ConfigVariables = config.Variables{"value": config.StringVariable(c.value)}
					// Saved plans keep the value of a variable that is not ephemeral.
					h.inSavedPlans = !p.ephemeral
				}
				tc := resource.TestCase{Steps: []resource.TestStep{step}}
				if p.ephemeral {
					tc.TerraformVersionChecks = skipBelowEphemeral
				}
				h.run(t, tc, regexp.QuoteMeta(p.named+" "+c.expected))
				h.logsContain(t, logTerraform())
				if reqs := server.Requests(); len(reqs) != 0 {
					t.Errorf("the embedded API received %d requests; want none before the input is fixed", len(reqs))
				}
			})
		}
	}
}

// TestAccInputChecks_knownDuringApply checks the values Terraform only
// learns during apply, which it validates again before any read. Only the
// diagnostic is hunted: terraform_data, which makes the value unknown during
// plan, stores and logs it.
func TestAccInputChecks_knownDuringApply(t *testing.T) {
	for attr, cases := range map[string]map[string]inputCase{"access_token": invalidTokens, "organization_id": invalidOrganizations} {
		for _, block := range []string{"data", "ephemeral"} {
			for caseName, c := range cases {
				t.Run(block+" "+attr+"/"+caseName, func(t *testing.T) {
					api, server := newLeakAPI(t)
					t.Setenv(envAccessToken, leakCaller)
					tc := resource.TestCase{
						ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
						ErrorCheck:               huntFor(map[string]string{"invalid value": c.value}).errorCheck(t, regexp.QuoteMeta("The attribute "+attr+" "+c.expected)),
						Steps: []resource.TestStep{{
							Config: api.config(map[string]string{"organization_id": fmt.Sprintf("%q", api.org)}, tokenVariables(false, "value")+fmt.Sprintf(`
resource "terraform_data" "value" {
  input = var.value
}

%s "coveo_token_privileges" "test" {
  %s = terraform_data.value.output
}
`, block, attr)),
							ConfigVariables: config.Variables{"value": config.StringVariable(c.value)},
						}},
					}
					if block == "ephemeral" {
						tc.TerraformVersionChecks = skipBelowEphemeral
					}
					resource.Test(t, tc)
					if reqs := server.Requests(); len(reqs) != 0 {
						t.Errorf("the embedded API received %d requests; want none before the input is fixed", len(reqs))
					}
				})
			}
		}
	}
}
