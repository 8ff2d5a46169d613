package coveoapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestAPIErrorReadsEveryKnownErrorBody(t *testing.T) {
	tests := []struct {
		name   string
		answer answer
		want   APIError // Attempts is always 1
		hint   string
	}{
		{
			name: "AuthorizationServer body; its requestID wins over the header",
			answer: answer{status: 401, header: map[string]string{"Content-Type": "application/json", "X-Request-ID": "header-id"},
				body: `{"message":"Invalid access token.","errorCode":"INVALID_TOKEN","requestID":"body-id"}`},
			want: APIError{StatusCode: 401, Code: "INVALID_TOKEN", Message: "Invalid access token.", RequestID: "body-id"},
			hint: "invalid or expired",
		},
		{
			name: "service body with statusCode; request ID from the X-Request-ID header",
			answer: answer{status: 401, header: map[string]string{"Content-Type": "application/json", "X-Request-ID": "header-id"},
				body: `{"errorCode":"UNAUTHORIZED","message":"Invalid access token.","statusCode":401}`},
			want: APIError{StatusCode: 401, Code: "UNAUTHORIZED", Message: "Invalid access token.", RequestID: "header-id"},
			hint: "invalid or expired",
		},
		{
			name:   "429 with message and statusCode only",
			answer: jsonAnswer(429, `{"message":"Too many requests.","statusCode":429}`),
			want:   APIError{StatusCode: 429, Message: "Too many requests."},
			hint:   "rate limiting",
		},
		{
			name:   "419 ExpiredTokenException",
			answer: jsonAnswer(419, `{"message":"Expired token","statusCode":419,"type":"ExpiredTokenException"}`),
			want:   APIError{StatusCode: 419, Code: "ExpiredTokenException", Message: "Expired token"},
			hint:   "expired",
		},
		{
			name: "RFC 7807 problem",
			answer: answer{status: 404, header: map[string]string{"Content-Type": "application/problem+json"},
				body: `{"title":"Not Found","detail":"Organization nope does not exist.","status":404}`},
			want: APIError{StatusCode: 404, Code: "Not Found", Message: "Organization nope does not exist."},
			hint: "region and environment",
		},
		{
			name: "RFC 7807 problem whose type is a URI",
			answer: answer{status: 403, header: map[string]string{"Content-Type": "application/problem+json"},
				body: `{"type":"https://errors.example.com/forbidden","title":"Forbidden","status":403}`},
			want: APIError{StatusCode: 403, Code: "Forbidden"},
			hint: "Forbidden",
		},
		{
			name: "X-Request-ID header only",
			answer: answer{status: 400, header: map[string]string{"X-Request-ID": "only-header"},
				body: `{"errorCode":"INVALID_PARAMETER","message":"Bad accessToken."}`},
			want: APIError{StatusCode: 400, Code: "INVALID_PARAMETER", Message: "Bad accessToken.", RequestID: "only-header"},
			hint: "organization ID",
		},
		{
			name: "HTML 502 from a proxy",
			answer: answer{status: 502, header: map[string]string{"Content-Type": "text/html"},
				body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body>\r\n</html>\r\n"},
			want: APIError{StatusCode: 502, Message: htmlPageMessage},
			hint: "unavailable",
		},
		{
			name: "WAF block",
			answer: answer{status: 403, header: map[string]string{"Content-Type": "text/html; charset=utf-8", "X-Coveo-Waf-Action": "block", "X-Request-ID": "waf-id"},
				body: "<!DOCTYPE html>\n<html><head><title>Request blocked</title></head><body><h1>Request blocked</h1></body></html>\n"},
			want: APIError{StatusCode: 403, Message: htmlPageMessage, RequestID: "waf-id", WAFBlocked: true},
			hint: "web application firewall",
		},
		{
			name:   "plain text 503",
			answer: answer{status: 503, header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, body: "503 Service Unavailable\n"},
			want:   APIError{StatusCode: 503, Message: "503 Service Unavailable"},
			hint:   "unavailable",
		},
		{
			name:   "empty body",
			answer: answer{status: 404},
			want:   APIError{StatusCode: 404},
			hint:   "organization was not found",
		},
		{
			name:   "numeric code",
			answer: jsonAnswer(500, `{"code":1234,"message":"Internal error"}`),
			want:   APIError{StatusCode: 500, Code: "1234", Message: "Internal error"},
			hint:   "retry later",
		},
		{
			name:   "multi-line message collapsed",
			answer: jsonAnswer(400, `{"message":"line one\n\tline two","errorCode":"X"}`),
			want:   APIError{StatusCode: 400, Code: "X", Message: "line one line two"},
			hint:   "invalid",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, tt.answer)
			c, _ := newTestClient(t, Config{BaseURL: srv.URL})
			_, err := c.TokenPrivileges(t.Context(), "org", "t0k3n-under-test")
			var got *APIError
			if !errors.As(err, &got) {
				t.Fatalf("error = %v (%T), want an *APIError", err, err)
			}
			want := tt.want
			want.Attempts = 1
			if *got != want {
				t.Errorf("APIError =\n%+v\nwant\n%+v", *got, want)
			}
			if !strings.Contains(got.Hint(), tt.hint) {
				t.Errorf("Hint() = %q, want it to contain %q", got.Hint(), tt.hint)
			}
			text := err.Error()
			for _, part := range []string{fmt.Sprint(tt.want.StatusCode), tt.want.Code, strings.TrimRight(tt.want.Message, "."), tt.want.RequestID, got.Hint()} {
				if !strings.Contains(text, part) {
					t.Errorf("Error() = %q lacks %q", text, part)
				}
			}
			if strings.Contains(text, "attempts") {
				t.Errorf("Error() = %q mentions attempts after one", text)
			}
		})
	}
}

func TestAPIErrorHintForEachStatus(t *testing.T) {
	tests := []struct {
		err  APIError
		want string
	}{
		{APIError{StatusCode: 400}, "check the organization ID"},
		{APIError{StatusCode: 401}, "caller token or the inspected access token is invalid or expired"},
		{APIError{StatusCode: 401, Code: "ExpiredTokenException"}, "has expired"},
		{APIError{StatusCode: 403}, "caller token is not allowed"},
		{APIError{StatusCode: 404}, "region and environment"},
		{APIError{StatusCode: 409}, "Coveo rejected the request"},
		{APIError{StatusCode: 419}, "has expired"},
		{APIError{StatusCode: 429}, "rate limiting"},
		{APIError{StatusCode: 500}, "retry later"},
		{APIError{StatusCode: 502}, "unavailable"},
		{APIError{StatusCode: 503}, "unavailable"},
		{APIError{StatusCode: 504}, "unavailable"},
		{APIError{StatusCode: 302}, "redirect"},
		{APIError{StatusCode: 401, WAFBlocked: true}, "web application firewall"},
		{APIError{StatusCode: 429, WAFBlocked: true}, "retrying will not help"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d waf=%v code=%q", tt.err.StatusCode, tt.err.WAFBlocked, tt.err.Code), func(t *testing.T) {
			if got := tt.err.Hint(); !strings.Contains(got, tt.want) {
				t.Errorf("Hint() = %q, want it to contain %q", got, tt.want)
			}
			if !strings.Contains(tt.err.Error(), tt.err.Hint()) {
				t.Errorf("Error() = %q lacks the hint", tt.err.Error())
			}
		})
	}
}

func TestAPIErrorTextNamesEverythingKnown(t *testing.T) {
	e := &APIError{StatusCode: 419, Code: "ExpiredTokenException", Message: "Expired token.", RequestID: "abc-123", Attempts: 3}
	got := e.Error()
	if strings.Contains(got, "Gave up") {
		t.Errorf("Error() = %q: a final answer after retries is not giving up", got)
	}
	for _, want := range []string{"HTTP 419 Token Expired", "error code ExpiredTokenException", "Expired token.", "Request ID: abc-123.", "This was attempt 3", e.Hint()} {
		if !strings.Contains(got, want) {
			t.Errorf("Error() = %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "..") {
		t.Errorf("Error() = %q doubles a full stop", got)
	}
	if got := (&APIError{StatusCode: 599}).Error(); !strings.Contains(got, "HTTP 599.") {
		t.Errorf("unknown status written as %q", got)
	}
}

func TestTransportErrorTextAndHint(t *testing.T) {
	tests := []struct {
		name string
		err  *TransportError
		want []string
	}{
		{"refused connection", &TransportError{Method: "POST", URL: "http://127.0.0.1:1/x?accessToken=REDACTED", Attempts: 3, Err: errors.New("connect: connection refused")},
			[]string{"POST http://127.0.0.1:1/x?accessToken=REDACTED", "after 3 attempts", "connection refused", "proxy settings"}},
		{"one attempt", &TransportError{Method: "POST", URL: "u", Attempts: 1, Err: errors.New("boom")},
			[]string{"POST u failed: boom."}},
		{"timeout", &TransportError{Method: "POST", URL: "u", Attempts: 2, Err: fmt.Errorf("slow: %w", context.DeadlineExceeded)},
			[]string{"did not answer in time"}},
		{"redirect", &TransportError{Method: "POST", URL: "u", Attempts: 1, Err: &redirectError{from: "https://a", to: "https://b", reason: "the token must not be sent to another host"}},
			[]string{"from https://a to https://b", "redirects elsewhere"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.err.Error()
			for _, want := range tt.want {
				if !strings.Contains(got, want) {
					t.Errorf("Error() = %q lacks %q", got, want)
				}
			}
			if !errors.Is(tt.err, tt.err.Err) {
				t.Errorf("TransportError does not unwrap to its Err")
			}
		})
	}
}

func TestDecodeErrorTextNamesStatusContentTypeAndRequestID(t *testing.T) {
	inner := errors.New("expected a JSON array of privileges, got null")
	e := &DecodeError{StatusCode: 200, ContentType: "application/json", RequestID: "rid", Attempts: 2, Err: inner}
	got := e.Error()
	for _, want := range []string{"HTTP 200 OK", "content type application/json", "request ID rid", "attempt 2", "got null", e.Hint()} {
		if !strings.Contains(got, want) {
			t.Errorf("Error() = %q lacks %q", got, want)
		}
	}
	if !errors.Is(e, inner) {
		t.Errorf("DecodeError does not unwrap to its Err")
	}
}

func TestStatusLine(t *testing.T) {
	for code, want := range map[int]string{200: "200 OK", 401: "401 Unauthorized", 419: "419 Token Expired", 599: "599"} {
		if got := statusLine(code); got != want {
			t.Errorf("statusLine(%d) = %q, want %q", code, got, want)
		}
	}
}
