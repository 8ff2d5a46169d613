package coveoapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestTokenPrivilegesSendsTheDocumentedRequest(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(200, privilegesJSON))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL, CallerToken: testCallerToken, UserAgent: "terraform-provider-coveo/1.2.3 (test)"})

	got, err := c.TokenPrivileges(t.Context(), "myorg", testInspectedToken)
	if err != nil {
		t.Fatalf("TokenPrivileges: %v", err)
	}
	if !reflect.DeepEqual(got, privilegesWant) {
		t.Errorf("privileges = %#v, want %#v", got, privilegesWant)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	checks := []struct{ what, got, want string }{
		{"method", r.method, http.MethodPost},
		{"path", r.escapedPath, "/rest/organizations/myorg/privileges/token"},
		{"accessToken", r.accessToken, testInspectedToken},
		{"Authorization", r.header.Get("Authorization"), "Bearer " + testCallerToken},
		{"Accept", r.header.Get("Accept"), "application/json"},
		{"Content-Type", r.header.Get("Content-Type"), "application/json"},
		{"User-Agent", r.header.Get("User-Agent"), "terraform-provider-coveo/1.2.3 (test)"},
		{"body", r.body, "{}"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.what, ch.got, ch.want)
		}
	}
	if len(r.query) != 1 {
		t.Errorf("query has parameters %v, want only accessToken", r.query)
	}
}

func TestTokenPrivilegesSendsTheInspectedTokenAsItsOwnCaller(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(200, `[]`))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL})
	got, err := c.TokenPrivileges(t.Context(), "myorg", testInspectedToken)
	if err != nil || len(got) != 0 || got == nil {
		t.Fatalf("TokenPrivileges = %#v, %v; want an empty list", got, err)
	}
	r := srv.requests()[0]
	if auth := r.header.Get("Authorization"); auth != "Bearer "+testInspectedToken {
		t.Errorf("Authorization = %q, want the inspected token", auth)
	}
	if r.accessToken != testInspectedToken {
		t.Errorf("accessToken = %q", r.accessToken)
	}
}

func TestTokenPrivilegesSendsTheDefaultUserAgentWhenNoneIsGiven(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(200, `[]`))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL})
	if _, err := c.TokenPrivileges(t.Context(), "o", testToken); err != nil {
		t.Fatal(err)
	}
	if ua := srv.requests()[0].header.Get("User-Agent"); ua != DefaultUserAgent {
		t.Errorf("User-Agent = %q, want %q", ua, DefaultUserAgent)
	}
}

func TestTokenPrivilegesQueryEscapesTheTokenSoItArrivesIntact(t *testing.T) {
	tokens := []string{
		"plus+sign", "slash/sign", "equals=sign==", "amp&accessToken=injected", "percent%20not-an-escape",
		"with space", "all+/=&% of them", testInspectedToken,
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig+/=",
	}
	srv := newScriptServer(t, jsonAnswer(200, `[]`))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL, CallerToken: "caller"})
	for i, tok := range tokens {
		if _, err := c.TokenPrivileges(t.Context(), "org", tok); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
		r := srv.requests()[i]
		if r.accessToken != tok {
			t.Errorf("token %d arrived as %q, want %q", i, r.accessToken, tok)
		}
		if len(r.query) != 1 || len(r.query["accessToken"]) != 1 {
			t.Errorf("token %d: query parameters %v, want exactly one accessToken", i, r.query)
		}
	}
}

func TestTokenPrivilegesPathEscapesTheOrganizationID(t *testing.T) {
	orgs := []string{"myorganization1a2b3c", "with space", "slash/inside", "question?mark", "hash#mark", "percent%25", "../escape", "ünïcödé"}
	srv := newScriptServer(t, jsonAnswer(200, `[]`))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL})
	for i, org := range orgs {
		if _, err := c.TokenPrivileges(t.Context(), org, testToken); err != nil {
			t.Fatalf("org %q: %v", org, err)
		}
		r := srv.requests()[i]
		want := "/rest/organizations/" + url.PathEscape(org) + "/privileges/token"
		if r.escapedPath != want {
			t.Errorf("org %q: path %q, want %q", org, r.escapedPath, want)
		}
		segments := strings.Split(r.escapedPath, "/")
		if len(segments) != 6 {
			t.Errorf("org %q split into several path segments: %q", org, r.escapedPath)
			continue
		}
		if got, _ := url.PathUnescape(segments[3]); got != org {
			t.Errorf("org %q arrived as %q", org, got)
		}
	}
}

func TestTokenPrivilegesKeepsTheBasePath(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(200, `[]`))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL + "/gateway/coveo/"})
	if _, err := c.TokenPrivileges(t.Context(), "org", testToken); err != nil {
		t.Fatal(err)
	}
	if p := srv.requests()[0].path; p != "/gateway/coveo/rest/organizations/org/privileges/token" {
		t.Errorf("path = %q", p)
	}
}

func TestTokenPrivilegesRejectsBlankInputsBeforeAnyRequest(t *testing.T) {
	tests := []struct {
		name, org, token, wantErr string
	}{
		{"empty organization", "", "tok-secret-1", "organization ID is empty"},
		{"blank organization", " \t\n", "tok-secret-1", "organization ID is empty"},
		{"empty token", "org", "", "access token to inspect must not be empty"},
		{"blank token", "org", "  \t ", "access token to inspect must not be blank"},
		{"token with a trailing newline", "org", "tok-secret-1\n", "control character"},
		{"token with a NUL", "org", "tok-\x00secret-1", "control character"},
	}
	srv := newScriptServer(t, jsonAnswer(200, `[]`))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.TokenPrivileges(t.Context(), tt.org, tt.token)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error echoes the token: %q", err)
			}
		})
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("server got %d requests, want none", n)
	}
}

func TestNewClientValidatesTheConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"missing base URL", Config{}, "endpoint is empty"},
		{"http base URL to a remote host", Config{BaseURL: "http://platform.cloud.coveo.com"}, "use https"},
		{"negative retries", Config{BaseURL: "https://x.example", MaxRetries: -1}, "retries must not be negative"},
		{"negative timeout", Config{BaseURL: "https://x.example", RequestTimeout: -time.Second}, "timeout must not be negative"},
		{"negative backoff", Config{BaseURL: "https://x.example", MinBackoff: -time.Second}, "must not be negative"},
		{"negative Retry-After cap", Config{BaseURL: "https://x.example", MaxRetryAfter: -time.Second}, "must not be negative"},
		{"minimum backoff above maximum", Config{BaseURL: "https://x.example", MinBackoff: time.Minute, MaxBackoff: time.Second}, "longer than the maximum"},
		{"blank caller token", Config{BaseURL: "https://x.example", CallerToken: "   "}, "caller token must not be blank"},
		{"caller token with a newline", Config{BaseURL: "https://x.example", CallerToken: "caller-secret\n"}, "caller token must not contain control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.cfg)
			if err == nil {
				t.Fatalf("NewClient = %v, want an error containing %q", c, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "caller-secret") {
				t.Errorf("error echoes the caller token: %q", err)
			}
		})
	}
}

func TestNewClientAppliesDefaults(t *testing.T) {
	c, err := NewClient(Config{BaseURL: "https://platform.cloud.coveo.com/"})
	if err != nil {
		t.Fatal(err)
	}
	if c.requestTimeout != DefaultRequestTimeout || c.maxRetries != 0 || c.minBackoff != time.Second ||
		c.maxBackoff != 30*time.Second || c.maxRetryAfter != 30*time.Second || c.baseURL != "https://platform.cloud.coveo.com" {
		t.Errorf("defaults not applied: %+v", c)
	}
	if DefaultMaxRetries != 4 || DefaultRequestTimeout != 30*time.Second {
		t.Errorf("DefaultMaxRetries = %d, DefaultRequestTimeout = %s", DefaultMaxRetries, DefaultRequestTimeout)
	}
}

func TestMaxDurationIsAttemptsTimesTimeoutPlusRetriesTimesLongestWait(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want time.Duration
	}{
		{"defaults, no retry", Config{}, 30 * time.Second},
		{"default retries", Config{MaxRetries: DefaultMaxRetries}, 5*30*time.Second + 4*30*time.Second},
		{"Retry-After cap longest", Config{MaxRetries: 3, RequestTimeout: 10 * time.Second, MaxBackoff: 20 * time.Second, MaxRetryAfter: time.Minute}, 4*10*time.Second + 3*time.Minute},
		{"backoff longest", Config{MaxRetries: 2, RequestTimeout: 5 * time.Second, MaxBackoff: 2 * time.Minute, MaxRetryAfter: time.Second}, 3*5*time.Second + 2*2*time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.BaseURL = "https://platform.cloud.coveo.com"
			c, err := NewClient(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.MaxDuration(); got != tt.want {
				t.Errorf("MaxDuration() = %s, want %s", got, tt.want)
			}
		})
	}
}

// countingTransport records that the client used it.
type countingTransport struct {
	calls int
	next  http.RoundTripper
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.calls++
	return ct.next.RoundTrip(r)
}

func TestNewClientUsesButDoesNotModifyTheSuppliedHTTPClient(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(200, `[]`))
	transport := &countingTransport{next: http.DefaultTransport}
	supplied := &http.Client{Transport: transport, Timeout: time.Minute}
	c, _ := newTestClient(t, Config{BaseURL: srv.URL, HTTPClient: supplied})
	if supplied.CheckRedirect != nil || supplied.Transport != transport || supplied.Timeout != time.Minute {
		t.Fatalf("the supplied client was modified: %+v", supplied)
	}
	if _, err := c.TokenPrivileges(t.Context(), "org", testToken); err != nil {
		t.Fatal(err)
	}
	if transport.calls != 1 {
		t.Errorf("supplied transport used %d times, want 1", transport.calls)
	}
}

func TestSuppliedRedirectPolicyStillApplies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	policyCalls := 0
	supplied := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		policyCalls++
		return errors.New("caller policy says no")
	}}
	c, _ := newTestClient(t, Config{BaseURL: srv.URL, HTTPClient: supplied})
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	if err == nil || !strings.Contains(err.Error(), "caller policy says no") || policyCalls != 1 {
		t.Fatalf("error = %v after %d policy calls; want the caller's policy applied once", err, policyCalls)
	}
}

const proxyChildEnv = "COVEOAPI_TEST_PROXY_CHILD"

// TestDefaultHTTPClientUsesProxyFromEnvironment checks the default
// transport's Proxy is http.ProxyFromEnvironment, then, in a child process
// (net/http reads the proxy variables once per process), that it answers
// the proxy for an https request to a remote host and honours NO_PROXY.
func TestDefaultHTTPClientUsesProxyFromEnvironment(t *testing.T) {
	c, err := NewClient(Config{BaseURL: "https://platform.cloud.coveo.com"})
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.httpClient.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil {
		t.Fatalf("default transport = %T with Proxy set %v; want *http.Transport with a Proxy", c.httpClient.Transport, ok && tr.Proxy != nil)
	}
	if reflect.ValueOf(tr.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
		t.Errorf("default transport's Proxy is not http.ProxyFromEnvironment")
	}
	if tr == http.DefaultTransport {
		t.Errorf("default transport is http.DefaultTransport itself, want a clone")
	}

	if os.Getenv(proxyChildEnv) == "1" {
		req := httptest.NewRequest(http.MethodPost, "https://platform.cloud.coveo.com/rest/organizations/o/privileges/token", nil)
		proxy, err := tr.Proxy(req)
		if err != nil || proxy == nil || proxy.String() != "http://proxy.example.test:3128" {
			t.Fatalf("Proxy(https remote) = %v, %v; want http://proxy.example.test:3128", proxy, err)
		}
		req = httptest.NewRequest(http.MethodPost, "https://direct.example.test/x", nil)
		if proxy, err := tr.Proxy(req); err != nil || proxy != nil {
			t.Fatalf("Proxy(NO_PROXY host) = %v, %v; want no proxy", proxy, err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDefaultHTTPClientUsesProxyFromEnvironment$", "-test.v", "-test.count=1")
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(name) {
		case "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "REQUEST_METHOD":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, proxyChildEnv+"=1", "HTTPS_PROXY=http://proxy.example.test:3128", "NO_PROXY=direct.example.test")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestDefaultHTTPClientUsesProxyFromEnvironment") {
		t.Fatalf("child process: %v\n%s", err, out)
	}
}

func TestCrossHostRedirectIsRefusedAndTheOtherHostReceivesNothing(t *testing.T) {
	other := newScriptServer(t, jsonAnswer(200, privilegesJSON))
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A faithful copy of path and query: the token would go along.
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(first.Close)
	logs := &logRecorder{}
	c, _ := newTestClient(t, Config{BaseURL: first.URL, CallerToken: testCallerToken, MaxRetries: 3, Logger: logs.log})

	_, err := c.TokenPrivileges(t.Context(), "org", testInspectedToken)
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error = %v (%T), want a *TransportError", err, err)
	}
	var re *redirectError
	if !errors.As(err, &re) {
		t.Errorf("error does not wrap the refused redirect: %v", err)
	}
	if te.Attempts != 1 {
		t.Errorf("Attempts = %d, want 1: a refused redirect is not retried", te.Attempts)
	}
	for _, want := range []string{"refused to follow a redirect", "another host", strings.TrimPrefix(other.URL, "http://")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if n := len(other.requests()); n != 0 {
		t.Errorf("the other host received %d requests, want none", n)
	}
	assertNoSecret(t, "error", err.Error())
	for _, rec := range logs.all() {
		assertNoSecret(t, "log", fmt.Sprint(rec.msg, rec.fields))
	}
}

func TestSameHostRedirectIsFollowed(t *testing.T) {
	srv := &scriptServer{answers: []answer{jsonAnswer(200, privilegesJSON)}}
	srv.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/old"); ok {
			r.URL.Path = rest
			http.Redirect(w, r, r.URL.String(), http.StatusPermanentRedirect)
			return
		}
		srv.serve(w, r)
	}))
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, Config{BaseURL: srv.URL + "/old", CallerToken: "caller"})
	got, err := c.TokenPrivileges(t.Context(), "org", testInspectedToken)
	if err != nil {
		t.Fatalf("TokenPrivileges: %v", err)
	}
	if !reflect.DeepEqual(got, privilegesWant) {
		t.Errorf("privileges = %v", got)
	}
	r := srv.requests()[0]
	if r.method != http.MethodPost || r.body != "{}" || r.accessToken != testInspectedToken || r.header.Get("Authorization") != "Bearer caller" {
		t.Errorf("redirected request = %+v", r)
	}
}

func TestRedirectFromHTTPSToHTTPIsRefused(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, Config{BaseURL: srv.URL, HTTPClient: srv.Client(), MaxRetries: 2})
	_, err := c.TokenPrivileges(t.Context(), "org", testInspectedToken)
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 1 || !strings.Contains(err.Error(), "clear text") {
		t.Fatalf("error = %v; want a refused redirect after 1 attempt, mentioning clear text", err)
	}
	assertNoSecret(t, "error", err.Error())
}

func TestResponseContentTypeIsCheckedLoosely(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		wantErr     string // "" when the privileges must decode
	}{
		{"application/json", "application/json", privilegesJSON, ""},
		{"application/json with charset", "application/json; charset=utf-8", privilegesJSON, ""},
		{"structured +json type", "application/vnd.coveo.privileges+json", privilegesJSON, ""},
		{"no content type", "", privilegesJSON, ""},
		{"text/plain holding JSON", "text/plain", privilegesJSON, ""},
		{"HTML page", "text/html; charset=utf-8", "<!DOCTYPE html><html><body>Sign in</body></html>", "got an HTML page"},
		{"HTML content type with a JSON body", "text/html", privilegesJSON, "got an HTML page"},
		{"HTML page labelled JSON", "application/json", "<html><body>proxy</body></html>", "got an HTML page"},
		{"text/plain not JSON", "text/plain", "OK", "the content type is not JSON"},
		{"null", "application/json", "null", "got null"},
		{"object", "application/json", `{"items": []}`, "got a JSON object"},
		{"empty", "application/json", "", "got an empty body"},
		{"truncated", "application/json", `[{"owner":"A",`, "truncated JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t, answer{status: 200, header: map[string]string{"Content-Type": tt.contentType, "X-Request-ID": "req-42"}, body: tt.body})
			c, _ := newTestClient(t, Config{BaseURL: srv.URL, MaxRetries: 2})
			got, err := c.TokenPrivileges(t.Context(), "org", testToken)
			if tt.wantErr == "" {
				if err != nil || !reflect.DeepEqual(got, privilegesWant) {
					t.Fatalf("TokenPrivileges = %v, %v; want the privileges", got, err)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error = %v (%T), want a *DecodeError", err, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if de.StatusCode != 200 || de.RequestID != "req-42" || de.ContentType != tt.contentType {
				t.Errorf("DecodeError = %+v", de)
			}
			if de.Hint() == "" || !strings.Contains(err.Error(), de.Hint()) {
				t.Errorf("error %q lacks its hint", err)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("server got %d requests, want 1: a bad body is not retried", n)
			}
		})
	}
}

func TestBodyLargerThanTheLimitIsAnError(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(200, "["+strings.Repeat(" ", 4096)+"]"))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL})
	c.maxSuccessBody = 1024
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	var de *DecodeError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "larger than the 1 KiB limit") {
		t.Fatalf("error = %v, want a DecodeError about the size limit", err)
	}
}

func TestErrorBodyIsReadOnlyUpToTheLimitAndShortened(t *testing.T) {
	long := strings.Repeat("very long message ", 100000)
	srv := newScriptServer(t, jsonAnswer(400, `{"message":"`+long+`","errorCode":"BAD"}`))
	c, _ := newTestClient(t, Config{BaseURL: srv.URL})
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	// The body was cut at the limit, so it is no longer valid JSON: what is
	// left is an excerpt, short either way.
	if n := len([]rune(ae.Message)); n > 301 {
		t.Errorf("Message has %d runes, want at most 301", n)
	}
	if ae.StatusCode != 400 {
		t.Errorf("StatusCode = %d", ae.StatusCode)
	}
	if ae.Code != "" {
		t.Errorf("Code = %q: the whole body was read, past the limit", ae.Code)
	}
}

func TestLoggerReceivesRequestsResponsesAndRetries(t *testing.T) {
	srv := newScriptServer(t,
		answer{status: 503, header: map[string]string{"Content-Type": "text/plain", "X-Request-ID": "req-1"}, body: "503 Service Unavailable"},
		answer{status: 200, header: map[string]string{"Content-Type": "application/json", "X-Request-ID": "req-2"}, body: privilegesJSON},
	)
	logs := &logRecorder{}
	c, _ := newTestClient(t, Config{BaseURL: srv.URL, CallerToken: testCallerToken, MaxRetries: 2, Logger: logs.log, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	if _, err := c.TokenPrivileges(t.Context(), "org", testInspectedToken); err != nil {
		t.Fatal(err)
	}
	records := logs.all()
	var msgs []string
	for _, r := range records {
		msgs = append(msgs, r.msg)
		assertNoSecret(t, "log record", fmt.Sprint(r.msg, r.fields))
	}
	want := []string{"coveo API request", "coveo API response", "coveo API retry", "coveo API request", "coveo API response"}
	if !reflect.DeepEqual(msgs, want) {
		t.Fatalf("log messages = %q, want %q", msgs, want)
	}
	req := records[0].fields
	if req["method"] != "POST" || req["attempt"] != 1 || !strings.Contains(fmt.Sprint(req["url"]), "accessToken=REDACTED") {
		t.Errorf("request fields = %v", req)
	}
	resp := records[1].fields
	if resp["status"] != 503 || resp["request_id"] != "req-1" || resp["content_type"] != "text/plain" {
		t.Errorf("response fields = %v", resp)
	}
	if _, ok := resp["duration"].(time.Duration); !ok {
		t.Errorf("response duration = %T, want a time.Duration", resp["duration"])
	}
	retry := records[2].fields
	if _, ok := retry["wait"].(time.Duration); !ok || !strings.Contains(fmt.Sprint(retry["reason"]), "503") {
		t.Errorf("retry fields = %v", retry)
	}
	if records[3].fields["attempt"] != 2 || records[4].fields["status"] != 200 {
		t.Errorf("second attempt fields = %v, %v", records[3].fields, records[4].fields)
	}
}

func TestRedirectLoopIsCutAndNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, fastRetries(srv.URL, 3))
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 1 || !strings.Contains(err.Error(), "gave up after 10 redirects") {
		t.Fatalf("error = %v; want a redirect loop cut after 1 attempt", err)
	}
	if n := hits.Load(); n != 10 {
		t.Errorf("server got %d requests, want 10", n)
	}
}

func TestLoggerReceivesTransportFailures(t *testing.T) {
	logs := &logRecorder{}
	cfg := fastRetries(closedPortURL(t), 1)
	cfg.Logger = logs.log
	c, _ := newTestClient(t, cfg)
	if _, err := c.TokenPrivileges(t.Context(), "org", testToken); err == nil {
		t.Fatal("want an error")
	}
	var msgs []string
	for _, r := range logs.all() {
		msgs = append(msgs, r.msg)
	}
	want := []string{"coveo API request", "coveo API request failed", "coveo API retry", "coveo API request", "coveo API request failed"}
	if !reflect.DeepEqual(msgs, want) {
		t.Fatalf("log messages = %q, want %q", msgs, want)
	}
	if e := fmt.Sprint(logs.all()[1].fields["error"]); !strings.Contains(e, "connection refused") {
		t.Errorf("failure logged as %q", e)
	}
}

func TestSameHostComparesHostNamesAndEffectivePorts(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://platform.cloud.coveo.com/x", "https://PLATFORM.cloud.coveo.com:443/y", true},
		{"http://127.0.0.1/x", "http://127.0.0.1:80/y", true},
		{"http://127.0.0.1:8080", "https://127.0.0.1:8080", true},
		{"https://platform.cloud.coveo.com", "https://platform.cloud.coveo.com:8443", false},
		{"https://platform.cloud.coveo.com", "https://platform-eu.cloud.coveo.com", false},
		{"https://platform.cloud.coveo.com", "https://platform.cloud.coveo.com.evil.example", false},
		{"http://127.0.0.1:1234", "http://127.0.0.1:1235", false},
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := sameHost(a, b); got != tt.want {
			t.Errorf("sameHost(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{64 << 20: "64 MiB", 64 << 10: "64 KiB", 1000: "1000 bytes"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}
