package provider

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi"
)

// The validators below check what terraform-plugin-framework-validators
// cannot express without echoing the value (its regex validator repeats it
// in the error, which must never happen for a token). Each check is a plain
// function because Configure applies the same checks to values that come
// from environment variables, which validators never see.

// stringCheck is a validator.String backed by a check that returns a problem
// sentence, or "" when the value is fine. Errors name the attribute, never
// the value.
type stringCheck struct {
	description string
	check       func(string) string
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := v.check(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid attribute value",
			fmt.Sprintf("The attribute %s %s", req.Path, problem))
	}
}

// notBlank accepts identifiers such as organization ids.
func notBlank() validator.String {
	return stringCheck{description: "value must not be empty, blank or contain control characters", check: identifierProblem}
}

// tokenValue accepts access tokens.
func tokenValue() validator.String {
	return stringCheck{description: "value must be a token: not empty, blank or holding control characters", check: coveoapi.TokenProblem}
}

// endpointValue accepts base URLs that keep a token encrypted in transit.
func endpointValue() validator.String {
	return stringCheck{
		description: "value must be an https URL, or an http URL on a loopback host",
		check: func(s string) string {
			if _, err := coveoapi.ValidateEndpoint(s); err != nil {
				return "is not a usable endpoint: " + err.Error()
			}
			return ""
		},
	}
}

// durationValue accepts Go durations from one millisecond up to max.
func durationValue(limit time.Duration) validator.String {
	return stringCheck{
		description: "value must be a duration such as 30s or 2m, at most " + limit.String(),
		check: func(s string) string {
			_, problem := parseDuration(s, limit)
			return problem
		},
	}
}

func parseDuration(s string, limit time.Duration) (time.Duration, string) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, "must be a duration such as 30s or 2m."
	case d < time.Millisecond || d > limit:
		return 0, "must be a duration from 1ms to " + limit.String() + "."
	}
	return d, ""
}

// identifierProblem describes what is wrong with an organization id.
func identifierProblem(s string) string {
	switch {
	case s == "":
		return "must not be empty."
	case strings.TrimSpace(s) == "":
		return "must not be blank."
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0:
		return "must not contain whitespace or control characters."
	}
	return ""
}
