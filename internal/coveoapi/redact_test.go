package coveoapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Tokens holding every character that query or path escaping changes, so
// that a leak in any form is caught.
const (
	testInspectedToken = "xx+in/spec=ted&tok%en with space-7c1f0d"
	testCallerToken    = "caller+tok/en=&%-SECRET-99 zz"
)

// secretForms returns every form in which a token could leak.
func secretForms(tokens ...string) []string {
	var forms []string
	for _, tok := range tokens {
		forms = append(forms, tok, url.QueryEscape(tok), url.PathEscape(tok))
	}
	return forms
}

// assertNoSecret fails when text holds either test token in any form, or
// even the first ten characters of one, as a quote cut short would.
func assertNoSecret(t *testing.T, what, text string) {
	t.Helper()
	for _, form := range secretForms(testInspectedToken, testCallerToken) {
		if strings.Contains(text, form[:10]) {
			t.Errorf("%s holds a token or its start (form %q): %s", what, form, text)
		}
	}
}

func TestRedactorScrubsEveryForm(t *testing.T) {
	red := newRedactor(testInspectedToken, testCallerToken)
	for _, form := range append(secretForms(testInspectedToken, testCallerToken),
		lowerHexEscapes(url.QueryEscape(testInspectedToken)),
		jsonEscape(testInspectedToken, true),
		strings.ReplaceAll(jsonEscape(testInspectedToken, false), "/", `\/`),
	) {
		got := red.String("before " + form + " after")
		if got != "before "+Redacted+" after" {
			t.Errorf("String(%q) = %q", form, got)
		}
	}
}

func TestRedactorWithoutSecretsChangesNothing(t *testing.T) {
	red := newRedactor("", "")
	if red != nil {
		t.Fatalf("newRedactor of empty secrets = %v, want nil", red)
	}
	if got := red.String("text"); got != "text" {
		t.Errorf("nil redactor changed text to %q", got)
	}
	err := errors.New("boom")
	if got := red.Error(err); !errors.Is(got, err) || got.Error() != "boom" {
		t.Errorf("nil redactor changed the error to %v", got)
	}
}

func TestRedactorErrorKeepsCleanErrorsAndWrapsDirtyOnes(t *testing.T) {
	red := newRedactor(testInspectedToken)
	clean := fmt.Errorf("clean: %w", context.Canceled)
	var wrapped *redactedError
	if got := red.Error(clean); errors.As(got, &wrapped) || !errors.Is(got, context.Canceled) {
		t.Errorf("a clean error was replaced: %#v", got)
	}
	dirty := fmt.Errorf("token %s leaked: %w", testInspectedToken, context.DeadlineExceeded)
	got := red.Error(dirty)
	assertNoSecret(t, "redacted error", got.Error())
	if !errors.Is(got, context.DeadlineExceeded) {
		t.Errorf("redacted error does not wrap the original")
	}
	if red.Error(nil) != nil {
		t.Errorf("Error(nil) != nil")
	}
}

func TestRedactorFieldsScrubsValuesOfEveryType(t *testing.T) {
	red := newRedactor(testInspectedToken)
	fields := red.Fields(map[string]any{
		"string":   "x " + testInspectedToken,
		"error":    errors.New(url.QueryEscape(testInspectedToken)),
		"stringer": struct{ S string }{testInspectedToken},
		"int":      3,
		"duration": 2 * time.Second,
	})
	for k, v := range fields {
		assertNoSecret(t, "field "+k, fmt.Sprint(v))
	}
	if fields["int"] != 3 || fields["duration"] != 2*time.Second {
		t.Errorf("numbers were not kept as they are: %v", fields)
	}
}

func TestRedactURLReplacesTheAccessTokenParameter(t *testing.T) {
	red := newRedactor(testInspectedToken)
	raw := "https://platform.cloud.coveo.com/rest/organizations/org/privileges/token?accessToken=" + url.QueryEscape(testInspectedToken)
	got := red.redactURL(raw)
	want := "https://platform.cloud.coveo.com/rest/organizations/org/privileges/token?accessToken=REDACTED"
	if got != want {
		t.Errorf("redactURL = %q, want %q", got, want)
	}
	// Whatever the value, even one the redactor does not know.
	got = newRedactor().redactURL("https://h/p?accessToken=unknown&x=1")
	if strings.Contains(got, "unknown") {
		t.Errorf("redactURL kept an unknown accessToken value: %q", got)
	}
}

// TestNoTokenInAnyErrorOrLog makes servers echo both tokens, raw and
// escaped, everywhere they can, and fails if any error text, error field or
// log record holds a token.
func TestNoTokenInAnyErrorOrLog(t *testing.T) {
	echo := fmt.Sprintf("raw %s %s query %s %s path %s",
		testInspectedToken, testCallerToken, url.QueryEscape(testInspectedToken), url.QueryEscape(testCallerToken), url.PathEscape(testInspectedToken))
	jsonEcho, err := json.Marshal(map[string]string{"message": echo, "errorCode": testInspectedToken, "requestID": testCallerToken})
	if err != nil {
		t.Fatal(err)
	}
	// A quote cut at 40 or 200 runes would end inside the token without
	// prior scrubbing.
	padded := func(n int) string { return strings.Repeat("x", n) + testInspectedToken }

	handler := func(status int, contentType, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("X-Request-ID", r.Header.Get("Authorization")+" "+r.URL.RawQuery)
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body+" "+r.URL.RawQuery+" "+r.Header.Get("Authorization"))
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: nothing listens
		setup   func(*Config)
		ctx     func(context.Context) (context.Context, context.CancelFunc)
	}{
		{name: "JSON error body", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-ID", testInspectedToken)
			w.WriteHeader(401)
			_, _ = w.Write(jsonEcho)
		}},
		{name: "plain text error body", handler: handler(400, "text/plain", echo)},
		{name: "plain text error body cut inside a token", handler: handler(400, "text/plain", padded(190))},
		{name: "HTML 502, retried", handler: handler(502, "text/html", "<html>"+echo+"</html>"), setup: func(c *Config) { c.MaxRetries = 1 }},
		{name: "429 JSON, retried", handler: handler(429, "application/json", `{"message":"`+echo+`"}`), setup: func(c *Config) { c.MaxRetries = 2 }},
		{name: "WAF block", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Coveo-Waf-Action", "block")
			handler(403, "text/html", "<html>"+echo+"</html>")(w, r)
		}},
		{name: "200 HTML page", handler: handler(200, "text/html", "<html>"+echo+"</html>")},
		{name: "200 text that is not JSON", handler: handler(200, "text/plain", echo)},
		{name: "200 text cut inside a token", handler: handler(200, "text/plain", padded(30))},
		{name: "200 object", handler: handler(200, "application/json", `{"message":"`+echo+`"}`)},
		{name: "200 content type echoing the token", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; note="+url.QueryEscape(testInspectedToken))
			w.WriteHeader(200)
			_, _ = io.WriteString(w, "<html></html>")
		}},
		{name: "closed port", setup: func(c *Config) { c.MaxRetries = 1 }},
		{name: "per-attempt timeout", handler: hangUntilClientLeaves,
			setup: func(c *Config) { c.RequestTimeout = 20 * time.Millisecond; c.MaxRetries = 1 }},
		{name: "cancelled during the request", handler: hangUntilClientLeaves,
			ctx: func(parent context.Context) (context.Context, context.CancelFunc) {
				return context.WithTimeout(parent, 20*time.Millisecond)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := closedPortURL(t)
			if tt.handler != nil {
				srv := httptest.NewServer(tt.handler)
				t.Cleanup(srv.Close)
				base = srv.URL
			}
			logs := &logRecorder{}
			cfg := Config{BaseURL: base, CallerToken: testCallerToken, Logger: logs.log, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}
			if tt.setup != nil {
				tt.setup(&cfg)
			}
			c, _ := newTestClient(t, cfg)
			ctx := t.Context()
			if tt.ctx != nil {
				var cancel context.CancelFunc
				ctx, cancel = tt.ctx(ctx)
				defer cancel()
			}
			_, err := c.TokenPrivileges(ctx, "org", testInspectedToken)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, text := range errorChainTexts(err) {
				assertNoSecret(t, "error", text)
			}
			var ae *APIError
			if errors.As(err, &ae) {
				assertNoSecret(t, "APIError fields", fmt.Sprintf("%+v %s", *ae, ae.Hint()))
			}
			var te *TransportError
			if errors.As(err, &te) {
				assertNoSecret(t, "TransportError URL", te.URL)
			}
			var de *DecodeError
			if errors.As(err, &de) {
				assertNoSecret(t, "DecodeError fields", fmt.Sprintf("%s %s %v", de.ContentType, de.RequestID, de.Err))
			}
			if len(logs.all()) == 0 {
				t.Error("nothing was logged")
			}
			for _, rec := range logs.all() {
				assertNoSecret(t, "log record", fmt.Sprintf("%s %v", rec.msg, rec.fields))
			}
		})
	}
}

func TestShortTokensDoNotGarbleTheMessagesOwnWords(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(419, `{"message":"Expired token for caller","statusCode":419,"type":"ExpiredTokenException"}`))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL, CallerToken: "caller"})
	_, err := c.TokenPrivileges(t.Context(), "org", "token")
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	// What the server said is scrubbed whatever the token's length...
	if ae.Message != "Expired REDACTED for REDACTED" {
		t.Errorf("Message = %q, want both short tokens scrubbed", ae.Message)
	}
	// ...but the hint, written here, keeps its words.
	if !strings.Contains(err.Error(), "the caller token or the inspected access token is no longer valid") {
		t.Errorf("error = %q, want the hint intact", err)
	}
}
