package coveoapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// APIError is a non-2xx answer.
type APIError struct {
	StatusCode int
	Code       string // Coveo's error code: from errorCode, code, type or title; "" if none
	Message    string // from message or detail; for an HTML or non-JSON body, a short description or excerpt
	RequestID  string // body requestID, else X-Request-ID header
	WAFBlocked bool   // x-coveo-waf-action: block
	Attempts   int    // attempts made (>1 when retried)
}

// statusExpiredToken is the non-standard status Coveo answers for an
// expired token.
const statusExpiredToken = 419

// htmlPageMessage stands for the body of an HTML answer, which says nothing
// useful in a terminal and may be long.
const htmlPageMessage = "HTML page (likely from a proxy or firewall)"

// Error returns the status, Coveo's code and message, the request ID, the
// number of attempts when more than one, and the likely cause.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("the Coveo platform answered HTTP ")
	b.WriteString(statusLine(e.StatusCode))
	if e.Code != "" {
		fmt.Fprintf(&b, " with error code %s", e.Code)
	}
	if msg := strings.TrimRight(e.Message, ". "); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	b.WriteString(".")
	if e.RequestID != "" {
		fmt.Fprintf(&b, " Request ID: %s.", e.RequestID)
	}
	switch {
	case e.Attempts > 1 && retryableStatus(e.StatusCode) && !e.WAFBlocked:
		fmt.Fprintf(&b, " Gave up after %d attempts.", e.Attempts)
	case e.Attempts > 1:
		// Earlier attempts failed in a way worth retrying; this answer is final.
		fmt.Fprintf(&b, " This was attempt %d; the earlier ones were retried.", e.Attempts)
	}
	if hint := e.Hint(); hint != "" {
		b.WriteString(" ")
		b.WriteString(hint)
	}
	return b.String()
}

// Hint returns the likely cause of the error and what to do about it, in
// one or two sentences, or "" when there is nothing useful to say.
func (e *APIError) Hint() string {
	if e.WAFBlocked {
		return "Coveo's web application firewall blocked the request (x-coveo-waf-action: block); this is not a token problem and retrying will not help: " +
			"check the network the request comes from (proxy, VPN, IP address) and contact Coveo support with the request ID."
	}
	if e.StatusCode == statusExpiredToken || strings.Contains(strings.ToLower(e.Code), "expired") {
		return "A token has expired: the caller token or the inspected access token is no longer valid; get a new one (OAuth2 access tokens last four hours)."
	}
	switch s := e.StatusCode; {
	case s == http.StatusBadRequest:
		return "Coveo rejected the request as invalid: check the organization ID, and that the inspected access token is a complete API key, OAuth2 access token or search token."
	case s == http.StatusUnauthorized:
		return "The caller token or the inspected access token is invalid or expired: check both, and that they belong to this environment and region."
	case s == http.StatusForbidden:
		return "Forbidden: the caller token is not allowed to make this call, or the request was blocked on the way; check the caller token and the organization ID."
	case s == http.StatusNotFound:
		return "The organization was not found: check the organization ID, and the region and environment, since an organization lives in one region " +
			"(an organization in Europe is served by https://platform-eu.cloud.coveo.com, for example)."
	case s == http.StatusTooManyRequests:
		return "Coveo is rate limiting the requests: wait a little and try again, or make fewer calls at once."
	case s >= 500:
		return "The Coveo platform is unavailable or failed to answer: retry later."
	case s >= 300 && s < 400:
		return "The endpoint answered with a redirect that was not followed: check the endpoint."
	case s >= 400:
		return "Coveo rejected the request: check the endpoint, the organization ID and both tokens."
	default:
		return ""
	}
}

// statusLine returns "401 Unauthorized", naming Coveo's non-standard 419.
func statusLine(code int) string {
	text := http.StatusText(code)
	if code == statusExpiredToken {
		text = "Token Expired"
	}
	if text == "" {
		return strconv.Itoa(code)
	}
	return strconv.Itoa(code) + " " + text
}

// newAPIError reads what Coveo's services (and the proxies in front of them)
// put in an error answer. Every text taken from the answer is scrubbed of
// the secrets and shortened.
func newAPIError(status int, header http.Header, body []byte, red *redactor) *APIError {
	e := &APIError{
		StatusCode: status,
		WAFBlocked: strings.EqualFold(strings.TrimSpace(header.Get("X-Coveo-Waf-Action")), "block"),
	}
	// Scrub before anything is cut, so that no excerpt ends in part of a token.
	trimmed := bytes.TrimSpace(bytes.TrimPrefix([]byte(red.String(string(body))), utf8BOM))
	var fields map[string]json.RawMessage
	switch {
	case len(trimmed) == 0:
	case trimmed[0] == '{' && json.Unmarshal(trimmed, &fields) == nil:
		e.Code, e.Message, e.RequestID = errorFields(fields)
	case isHTML(header.Get("Content-Type"), trimmed):
		e.Message = htmlPageMessage
	default:
		e.Message = excerpt(trimmed, 200)
	}
	if e.RequestID == "" {
		e.RequestID = header.Get("X-Request-ID")
	}
	// Scrub again: the request ID may come from a header, and JSON unescaping
	// can reveal a token that the body held only in escaped form.
	e.Code = shorten(red.String(e.Code), 100)
	e.Message = shorten(red.String(e.Message), 300)
	e.RequestID = shorten(red.String(e.RequestID), 100)
	return e
}

// errorFields picks the code, message and request ID out of the error
// bodies Coveo is known to answer: {message, errorCode, requestID},
// {errorCode, message, statusCode}, {message, statusCode, type} and
// RFC 7807 {title, detail, status}.
func errorFields(fields map[string]json.RawMessage) (code, message, requestID string) {
	text := func(names ...string) string {
		for _, name := range names {
			if s := jsonText(fields[name]); s != "" {
				return s
			}
		}
		return ""
	}
	title := text("title")
	code = text("errorCode", "code")
	if code == "" {
		// An RFC 7807 type is a URI (often about:blank) that names no code;
		// Coveo's own "type" is an exception name such as ExpiredTokenException.
		if typ := text("type"); typ != "" && !strings.ContainsAny(typ, ":/") {
			code = typ
		}
	}
	if code == "" {
		code, title = title, ""
	}
	message = text("message", "detail", "errorMessage")
	if message == "" {
		message = title
	}
	return code, message, text("requestID", "requestId", "request_id")
}

// jsonText returns a JSON string's value, or a number's text, or "".
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// isHTML reports whether an answer is an HTML page, by its Content-Type or,
// when that is missing or wrong, by its first bytes.
func isHTML(contentType string, body []byte) bool {
	if mediaType, _, err := mime.ParseMediaType(contentType); err == nil && (mediaType == "text/html" || mediaType == "application/xhtml+xml") {
		return true
	}
	return len(body) > 0 && body[0] == '<' && looksLikeHTML(body)
}

// shorten collapses runs of white space and cuts s to at most maxRunes runes,
// so text taken from an answer fits in one line of a message.
func shorten(s string, maxRunes int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxRunes {
		return string(r[:maxRunes]) + "…"
	}
	return s
}

// TransportError is a request that never got an HTTP answer (DNS, connection
// refused, TLS, timeout, a refused redirect) after Attempts attempts.
type TransportError struct {
	Method   string
	URL      string // with the accessToken query value redacted
	Attempts int
	Err      error
}

func (e *TransportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s failed", e.Method, e.URL)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	fmt.Fprintf(&b, ": %v.", e.Err)
	if hint := e.Hint(); hint != "" {
		b.WriteString(" ")
		b.WriteString(hint)
	}
	return b.String()
}

func (e *TransportError) Unwrap() error { return e.Err }

// Hint returns the likely cause and what to do about it.
func (e *TransportError) Hint() string {
	var redirect *redirectError
	switch {
	case errors.As(e.Err, &redirect):
		return "Check the endpoint: it redirects elsewhere, and the token is never sent to another host or in clear text."
	case isCertificateError(e.Err):
		return "The server's TLS certificate could not be verified: check the endpoint, and that the certificate authority of any proxy that inspects TLS is trusted."
	case errors.Is(e.Err, context.DeadlineExceeded):
		return "The platform did not answer in time: check the network and proxy settings (HTTPS_PROXY, NO_PROXY), or raise the request timeout."
	default:
		return "Check the endpoint, that its host resolves and is reachable from here, and the proxy settings (HTTPS_PROXY, NO_PROXY)."
	}
}

// DecodeError is a 2xx answer whose body is not the expected list of
// privileges.
type DecodeError struct {
	StatusCode  int
	ContentType string
	RequestID   string
	Attempts    int
	Err         error
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot read the privileges in the HTTP %s answer of the Coveo platform", statusLine(e.StatusCode))
	var details []string
	if e.ContentType != "" {
		details = append(details, "content type "+e.ContentType)
	}
	if e.RequestID != "" {
		details = append(details, "request ID "+e.RequestID)
	}
	if e.Attempts > 1 {
		details = append(details, fmt.Sprintf("attempt %d", e.Attempts))
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(details, ", "))
	}
	fmt.Fprintf(&b, ": %v. %s", e.Err, e.Hint())
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Hint returns the likely cause and what to do about it.
func (e *DecodeError) Hint() string {
	return "The answer probably did not come from the Coveo API (a proxy, a firewall or a wrong endpoint), or the API changed: check the endpoint and proxy settings."
}

// redirectError is a redirect that was refused because following it would
// send the token to another host, or in clear text.
type redirectError struct {
	from, to string // scheme://host of each side, never the full URL
	reason   string
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("refused to follow a redirect from %s to %s: %s", e.from, e.to, e.reason)
}
