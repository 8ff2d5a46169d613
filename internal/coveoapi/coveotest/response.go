package coveotest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Response is a scripted answer for Enqueue. The server adds an X-Request-ID
// header and, unless Header sets one, Content-Type: application/json. A zero
// Status means 200.
type Response struct {
	Status int
	Header http.Header // extra headers; they replace the defaults of the same name
	Body   string
}

const (
	contentTypeJSON    = "application/json"
	contentTypeProblem = "application/problem+json"
	contentTypeHTML    = "text/html; charset=utf-8"
	contentTypeText    = "text/plain; charset=utf-8"
)

// AuthorizationServerError returns the error body of Coveo's
// AuthorizationServer: {"message","errorCode","requestID"}. requestID is
// written as given; it need not match the X-Request-ID header.
func AuthorizationServerError(status int, errorCode, message, requestID string) Response {
	return jsonResponse(status, struct {
		Message   string `json:"message"`
		ErrorCode string `json:"errorCode"`
		RequestID string `json:"requestID"`
	}{message, errorCode, requestID})
}

// ServiceError returns the error body other Coveo services answer:
// {"errorCode","message","statusCode"}.
func ServiceError(status int, errorCode, message string) Response {
	return jsonResponse(status, struct {
		ErrorCode  string `json:"errorCode"`
		Message    string `json:"message"`
		StatusCode int    `json:"statusCode"`
	}{errorCode, message, status})
}

// TooManyRequests returns a 429 {"message":"Too many requests.","statusCode":429}
// with retryAfter as the Retry-After header, verbatim (seconds or an HTTP
// date), or no Retry-After when retryAfter is empty.
func TooManyRequests(retryAfter string) Response {
	r := jsonResponse(http.StatusTooManyRequests, struct {
		Message    string `json:"message"`
		StatusCode int    `json:"statusCode"`
	}{"Too many requests.", http.StatusTooManyRequests})
	if retryAfter != "" {
		r.Header = http.Header{"Retry-After": {retryAfter}}
	}
	return r
}

// statusExpiredToken is Coveo's non-standard status for an expired token.
const statusExpiredToken = 419

// ExpiredToken returns Coveo's answer to an expired token:
// 419 {"message":"Expired token","statusCode":419,"type":"ExpiredTokenException"}.
func ExpiredToken() Response {
	return jsonResponse(statusExpiredToken, struct {
		Message    string `json:"message"`
		StatusCode int    `json:"statusCode"`
		Type       string `json:"type"`
	}{"Expired token", statusExpiredToken, "ExpiredTokenException"})
}

// Problem returns an RFC 7807 body {"title","detail","status"} with
// Content-Type application/problem+json.
func Problem(status int, title, detail string) Response {
	r := jsonResponse(status, struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Status int    `json:"status"`
	}{title, detail, status})
	r.Header = http.Header{"Content-Type": {contentTypeProblem}}
	return r
}

// HTMLPage returns a text/html error page like the one a proxy or load
// balancer answers in front of the platform.
func HTMLPage(status int) Response {
	return Response{
		Status: status,
		Header: http.Header{"Content-Type": {contentTypeHTML}},
		Body: fmt.Sprintf("<html>\r\n<head><title>%[1]d %[2]s</title></head>\r\n<body>\r\n<center><h1>%[1]d %[2]s</h1></center>\r\n</body>\r\n</html>\r\n",
			status, http.StatusText(status)),
	}
}

// WAFBlock returns what Coveo's web application firewall answers to a blocked
// request: 403, header x-coveo-waf-action: block, and an HTML page.
func WAFBlock() Response {
	return Response{
		Status: http.StatusForbidden,
		Header: http.Header{
			"Content-Type":       {contentTypeHTML},
			"X-Coveo-Waf-Action": {"block"},
		},
		Body: "<!DOCTYPE html>\n<html><head><title>Request blocked</title></head>" +
			"<body><h1>Request blocked</h1><p>The request was blocked by the web application firewall.</p></body></html>\n",
	}
}

// Unavailable returns a gateway-style failure (meant for 502, 503 and 504)
// with a short text/plain body, as an upstream proxy answers when the service
// is down. Enqueue several for a burst: Enqueue(Unavailable(503), Unavailable(503)).
func Unavailable(status int) Response {
	return Response{
		Status: status,
		Header: http.Header{"Content-Type": {contentTypeText}},
		Body:   fmt.Sprintf("%d %s\n", status, http.StatusText(status)),
	}
}

func jsonResponse(status int, v any) Response {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // unreachable: callers pass structs of strings and ints
	}
	return Response{Status: status, Body: string(b)}
}
