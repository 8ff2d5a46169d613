package coveotest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	org       = "acmeorg"
	caller    = "xx590a182c-5045-4914-a00b-1f4099581b3e"
	inspected = "xx11111111-2222-4333-8444-555555555555"
)

var client = &http.Client{Timeout: 30 * time.Second}

// call is one request to the endpoint; each field's zero value means "the
// well-formed default", so a test case changes only what it is about.
type call struct {
	method      string
	path        string // overrides the endpoint path
	org         string
	rawQuery    *string // overrides accessToken=<token>
	token       string
	auth        *string // overrides "Bearer <caller>"
	contentType *string
}

type answer struct {
	status int
	header http.Header
	body   string
}

func ptr(s string) *string { return &s }

func (c call) do(t *testing.T, s *Server) answer {
	t.Helper()
	return c.doContext(t, t.Context(), s)
}

func (c call) doContext(t *testing.T, ctx context.Context, s *Server) answer {
	t.Helper()
	req := c.request(t, ctx, s)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, string(body)}
}

func (c call) request(t *testing.T, ctx context.Context, s *Server) *http.Request {
	t.Helper()
	method := cmp(c.method, http.MethodPost)
	path := c.path
	if path == "" {
		path = "/rest/organizations/" + url.PathEscape(cmp(c.org, org)) + "/privileges/token"
	}
	query := "accessToken=" + url.QueryEscape(cmp(c.token, inspected))
	if c.rawQuery != nil {
		query = *c.rawQuery
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path+"?"+query, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if auth := valueOr(c.auth, "Bearer "+caller); auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if ct := valueOr(c.contentType, "application/json"); ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return req
}

func cmp(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func valueOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// fields decodes a JSON object, failing the test if body is not one.
func fields(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, body)
	}
	return m
}

func assertJSONEqual(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("got invalid JSON %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want invalid JSON %v: %s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON differs\n got: %s\nwant: %s", got, want)
	}
}

func newTestServer(t *testing.T) *Server {
	t.Helper()
	s := NewServer()
	t.Cleanup(s.Close)
	s.AddToken(caller)
	s.Grant(org, inspected, Legacy("SEARCH_API", "EXECUTE_QUERY", ""))
	return s
}

const expiredBody = `{"message":"Expired token","statusCode":419,"type":"ExpiredTokenException"}`

func TestDefaultChecks(t *testing.T) {
	const (
		expiredToken = "xx-expired-token"
		unknownToken = "xx-unknown-token"
		plainToken   = "xx-valid-token-without-grants"
		otherOrg     = "otherorg"
		otherToken   = "xx-token-of-other-org"
	)
	tests := []struct {
		name       string
		call       call
		status     int
		errorCode  string // AuthorizationServer shape when set
		body       string // exact body when set
		allowPOST  bool
		skipSecret bool // the body lists privileges, not an error
	}{
		{name: "other path", call: call{path: "/rest/organizations/acmeorg/privileges"}, status: 404, errorCode: "NOT_FOUND"},
		{name: "root path", call: call{path: "/"}, status: 404, errorCode: "NOT_FOUND"},
		{name: "trailing slash", call: call{path: "/rest/organizations/acmeorg/privileges/token/"}, status: 404, errorCode: "NOT_FOUND"},
		{name: "empty organization", call: call{path: "/rest/organizations//privileges/token"}, status: 404, errorCode: "NOT_FOUND"},
		{name: "GET", call: call{method: http.MethodGet}, status: 405, errorCode: "METHOD_NOT_ALLOWED", allowPOST: true},
		{name: "PUT", call: call{method: http.MethodPut}, status: 405, errorCode: "METHOD_NOT_ALLOWED", allowPOST: true},
		{name: "no Authorization", call: call{auth: ptr("")}, status: 401, errorCode: "UNAUTHORIZED"},
		{name: "Basic scheme", call: call{auth: ptr("Basic " + caller)}, status: 401, errorCode: "UNAUTHORIZED"},
		{name: "bare token", call: call{auth: ptr(caller)}, status: 401, errorCode: "UNAUTHORIZED"},
		{name: "empty bearer", call: call{auth: ptr("Bearer ")}, status: 401, errorCode: "UNAUTHORIZED"},
		{name: "bearer with extra space", call: call{auth: ptr("Bearer  " + caller)}, status: 401, errorCode: "UNAUTHORIZED"},
		{name: "unknown caller", call: call{auth: ptr("Bearer " + unknownToken)}, status: 401, errorCode: "UNAUTHORIZED"},
		{name: "expired caller", call: call{auth: ptr("Bearer " + expiredToken)}, status: 419, body: expiredBody},
		{name: "text/plain body", call: call{contentType: ptr("text/plain")}, status: 415, errorCode: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "no Content-Type", call: call{contentType: ptr("")}, status: 415, errorCode: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "seed's application-json typo", call: call{contentType: ptr("application-json")}, status: 415, errorCode: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "missing accessToken", call: call{rawQuery: ptr("")}, status: 400, errorCode: "MISSING_PARAMETER"},
		{name: "empty accessToken", call: call{rawQuery: ptr("accessToken=")}, status: 400, errorCode: "MISSING_PARAMETER"},
		{name: "unknown organization", call: call{org: "nosuchorg"}, status: 404, errorCode: "ORGANIZATION_NOT_FOUND"},
		{name: "expired inspected token", call: call{token: expiredToken}, status: 419, body: expiredBody},
		{name: "unknown inspected token", call: call{token: unknownToken}, status: 401, errorCode: "INVALID_TOKEN"},
		{name: "granted token", call: call{}, status: 200, skipSecret: true,
			body: `[{"targetDomain":"EXECUTE_QUERY","targetIds":[],"owner":"SEARCH_API","global":false}]`},
		{name: "Content-Type with charset", call: call{contentType: ptr("application/json; charset=utf-8")}, status: 200, skipSecret: true,
			body: `[{"targetDomain":"EXECUTE_QUERY","targetIds":[],"owner":"SEARCH_API","global":false}]`},
		{name: "lower-case bearer scheme", call: call{auth: ptr("bearer " + caller)}, status: 200, skipSecret: true,
			body: `[{"targetDomain":"EXECUTE_QUERY","targetIds":[],"owner":"SEARCH_API","global":false}]`},
		{name: "self inspection", call: call{auth: ptr("Bearer " + inspected)}, status: 200, skipSecret: true,
			body: `[{"targetDomain":"EXECUTE_QUERY","targetIds":[],"owner":"SEARCH_API","global":false}]`},
		{name: "token granted nothing", call: call{org: otherOrg, token: otherToken}, status: 200, body: `[]`},
		{name: "valid token never granted in org", call: call{token: plainToken}, status: 200, body: `[]`},
		{name: "token granted in another org only", call: call{org: otherOrg}, status: 200, body: `[]`},
		{name: "caller without grants inspecting itself", call: call{auth: ptr("Bearer " + plainToken), token: plainToken}, status: 200, body: `[]`},
	}

	s := newTestServer(t)
	s.Grant(org, expiredToken, Current("PLATFORM", "SOURCE", "VIEW", "*"))
	s.Expire(expiredToken)
	s.AddToken(plainToken)
	s.Grant(otherOrg, otherToken)

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.call.do(t, s)
			if a.status != tt.status {
				t.Fatalf("status = %d, want %d; body %s", a.status, tt.status, a.body)
			}
			id := a.header.Get("X-Request-ID")
			if id == "" {
				t.Error("no X-Request-ID header")
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			if tt.allowPOST && a.header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q, want POST", a.header.Get("Allow"))
			}
			if tt.body != "" && a.body != tt.body {
				t.Errorf("body = %s\nwant   %s", a.body, tt.body)
			}
			if tt.errorCode != "" {
				m := fields(t, a.body)
				if len(m) != 3 || m["errorCode"] != tt.errorCode || m["requestID"] != id {
					t.Errorf("body = %s, want {message, errorCode %q, requestID %q}", a.body, tt.errorCode, id)
				}
				if msg, _ := m["message"].(string); msg == "" {
					t.Errorf("body = %s, want a message", a.body)
				}
			}
			if !tt.skipSecret {
				for _, secret := range []string{caller, inspected, expiredToken, unknownToken, plainToken, otherToken} {
					if strings.Contains(a.body, secret) {
						t.Errorf("body names a token: %s", a.body)
					}
				}
			}
		})
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	s := newTestServer(t)
	seen := map[string]bool{}
	for range 20 {
		id := call{}.do(t, s).header.Get("X-Request-ID")
		if seen[id] {
			t.Fatalf("X-Request-ID %q repeated", id)
		}
		seen[id] = true
	}
}

func TestShapesRenderedExactly(t *testing.T) {
	s := newTestServer(t)
	const token = "xx22222222-3333-4444-8555-666666666666"
	s.Grant(org, token,
		Legacy("SEARCH_API", "EXECUTE_QUERY", ""),
		Legacy("USAGE_ANALYTICS", "ANALYTICS_DATA", "EDIT"),
		Current("PLATFORM", "SOURCE", "VIEW", "*"),
	)
	// A second Grant appends, keeping order.
	s.Grant(org, token,
		Current("PLATFORM", "SOURCE", "EDIT", "mysourceid"),
		Current("SEARCH_API", "IMPERSONATE", "", "*"),
		Legacy("PLATFORM", "API_KEY", "VIEW", "key1", "key2"),
		RawEntry(`{"owner":"COVEO_ML","owner":"PLATFORM","targetDomain":"MODELS","type":"VIEW","targetId":"*","level":"GLOBAL","extra":{"x":[1]}}`),
	)

	a := call{token: token}.do(t, s)
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	want := `[` +
		`{"targetDomain":"EXECUTE_QUERY","targetIds":[],"owner":"SEARCH_API","global":false},` +
		`{"type":"EDIT","targetDomain":"ANALYTICS_DATA","targetIds":[],"owner":"USAGE_ANALYTICS","global":false},` +
		`{"owner":"PLATFORM","targetDomain":"SOURCE","type":"VIEW","targetId":"*","level":"NORMAL"},` +
		`{"owner":"PLATFORM","targetDomain":"SOURCE","type":"EDIT","targetId":"mysourceid","level":"NORMAL"},` +
		`{"owner":"SEARCH_API","targetDomain":"IMPERSONATE","targetId":"*","level":"NORMAL"},` +
		`{"type":"VIEW","targetDomain":"API_KEY","targetIds":["key1","key2"],"owner":"PLATFORM","global":false},` +
		`{"owner":"COVEO_ML","owner":"PLATFORM","targetDomain":"MODELS","type":"VIEW","targetId":"*","level":"GLOBAL","extra":{"x":[1]}}` +
		`]`
	if a.body != want {
		t.Errorf("body\n got: %s\nwant: %s", a.body, want)
	}

	// The first two entries are the example of Coveo's documentation (the seed page).
	var got []json.RawMessage
	if err := json.Unmarshal([]byte(a.body), &got); err != nil {
		t.Fatal(err)
	}
	seed := `[
  {"targetDomain": "EXECUTE_QUERY", "targetIds": [], "owner": "SEARCH_API", "global": false},
  {"type": "EDIT", "targetDomain": "ANALYTICS_DATA", "targetIds": [], "owner": "USAGE_ANALYTICS", "global": false}
]`
	assertJSONEqual(t, "["+string(got[0])+","+string(got[1])+"]", seed)
}

func TestEntry(t *testing.T) {
	b, err := json.Marshal([]Entry{{}, Legacy("O", "D", ""), RawEntry(` {"a" : 1} `)})
	if err != nil {
		t.Fatal(err)
	}
	if want := `[null,{"targetDomain":"D","targetIds":[],"owner":"O","global":false},{"a":1}]`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	if got := string(renderEntries(nil)); got != "[]" {
		t.Errorf("no entries render %s, want []", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("RawEntry accepted invalid JSON")
		}
	}()
	RawEntry(`{"owner":`)
}

func TestEnqueue(t *testing.T) {
	s := newTestServer(t)
	s.Enqueue(TooManyRequests("2"), Unavailable(503))
	s.Enqueue(AuthorizationServerError(403, "FORBIDDEN", "No.", "req-1"))

	// Wrong path and method are answered before the queue, and do not consume it.
	if a := (call{path: "/nope"}).do(t, s); a.status != 404 {
		t.Fatalf("wrong path: status %d", a.status)
	}
	if a := (call{method: http.MethodGet}).do(t, s); a.status != 405 {
		t.Fatalf("wrong method: status %d", a.status)
	}

	// Queued answers come before token checks: this request has no Authorization.
	a := call{auth: ptr("")}.do(t, s)
	if a.status != 429 || a.header.Get("Retry-After") != "2" {
		t.Fatalf("1st: status %d, Retry-After %q", a.status, a.header.Get("Retry-After"))
	}
	assertJSONEqual(t, a.body, `{"message":"Too many requests.","statusCode":429}`)

	if a = (call{}).do(t, s); a.status != 503 || a.body != "503 Service Unavailable\n" {
		t.Fatalf("2nd: status %d, body %q", a.status, a.body)
	}
	if a = (call{}).do(t, s); a.status != 403 || a.body != `{"message":"No.","errorCode":"FORBIDDEN","requestID":"req-1"}` {
		t.Fatalf("3rd: status %d, body %s", a.status, a.body)
	}
	for i := range 2 {
		if a = (call{}).do(t, s); a.status != 200 {
			t.Fatalf("after the queue, request %d: status %d, body %s", i, a.status, a.body)
		}
	}
}

func TestResponseConstructors(t *testing.T) {
	const date = "Wed, 21 Oct 2015 07:28:00 GMT"
	tests := []struct {
		name        string
		resp        Response
		status      int
		contentType string
		body        string            // exact, or a fragment when it starts with '<'
		header      map[string]string // "" means absent
	}{
		{"authorization server", AuthorizationServerError(401, "INVALID_TOKEN", "Bad token.", "abc"), 401, "application/json",
			`{"message":"Bad token.","errorCode":"INVALID_TOKEN","requestID":"abc"}`, nil},
		{"service", ServiceError(401, "UNAUTHORIZED", "Invalid access token."), 401, "application/json",
			`{"errorCode":"UNAUTHORIZED","message":"Invalid access token.","statusCode":401}`, nil},
		{"429 seconds", TooManyRequests("30"), 429, "application/json",
			`{"message":"Too many requests.","statusCode":429}`, map[string]string{"Retry-After": "30"}},
		{"429 date", TooManyRequests(date), 429, "application/json",
			`{"message":"Too many requests.","statusCode":429}`, map[string]string{"Retry-After": date}},
		{"429 no Retry-After", TooManyRequests(""), 429, "application/json",
			`{"message":"Too many requests.","statusCode":429}`, map[string]string{"Retry-After": ""}},
		{"expired", ExpiredToken(), 419, "application/json", expiredBody, nil},
		{"problem", Problem(403, "FORBIDDEN", "Missing privilege."), 403, "application/problem+json",
			`{"title":"FORBIDDEN","detail":"Missing privilege.","status":403}`, nil},
		{"html", HTMLPage(502), 502, "text/html; charset=utf-8", "<title>502 Bad Gateway</title>", map[string]string{"X-Coveo-Waf-Action": ""}},
		{"waf", WAFBlock(), 403, "text/html; charset=utf-8", "<h1>Request blocked</h1>", map[string]string{"X-Coveo-Waf-Action": "block"}},
		{"unavailable", Unavailable(504), 504, "text/plain; charset=utf-8", "504 Gateway Timeout\n", nil},
		{"zero status", Response{Body: `[]`}, 200, "application/json", `[]`, nil},
		{"header override", Response{Status: 200, Header: http.Header{"x-request-id": {"fixed"}}}, 200, "application/json", "",
			map[string]string{"X-Request-ID": "fixed"}},
	}
	s := newTestServer(t)
	for _, tt := range tests {
		s.Enqueue(tt.resp)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call{}.do(t, s)
			if a.status != tt.status {
				t.Errorf("status = %d, want %d", a.status, tt.status)
			}
			if ct := a.header.Get("Content-Type"); ct != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", ct, tt.contentType)
			}
			if len(a.header.Values("X-Request-ID")) != 1 || a.header.Get("X-Request-ID") == "" {
				t.Errorf("X-Request-ID = %q, want one value", a.header.Values("X-Request-ID"))
			}
			if tt.body != a.body && (!strings.HasPrefix(tt.body, "<") || !strings.Contains(a.body, tt.body)) {
				t.Errorf("body = %q, want %q", a.body, tt.body)
			}
			for k, v := range tt.header {
				if got := a.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestDelay(t *testing.T) {
	s := newTestServer(t)
	s.SetDelay(100 * time.Millisecond)
	start := time.Now()
	if a := (call{}).do(t, s); a.status != 200 {
		t.Fatalf("status %d", a.status)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("answered after %v, want at least 100ms", d)
	}

	s.SetDelay(time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := client.Do(call{}.request(t, ctx, s))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancelled request returned after %v", d)
	}

	s.SetDelay(0)
	if a := (call{}).do(t, s); a.status != 200 {
		t.Fatalf("after SetDelay(0): status %d", a.status)
	}
}

// TestDelayEndsOnServerSideCancel checks the handler itself stops waiting
// when the request's context ends, rather than only the client giving up.
func TestDelayEndsOnServerSideCancel(t *testing.T) {
	s := newTestServer(t)
	s.SetDelay(time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	req := call{}.request(t, ctx, s)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	var aborted any
	go func() {
		defer close(done)
		defer func() { aborted = recover() }()
		s.serve(rec, req)
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("handler still waiting after its request was cancelled")
	}
	if aborted != http.ErrAbortHandler { //nolint:errorlint // a recovered panic value, never wrapped
		t.Errorf("handler ended with %v, want panic(http.ErrAbortHandler)", aborted)
	}
	if rec.Header().Get("X-Request-ID") != "" || rec.Body.Len() != 0 {
		t.Errorf("a cancelled request was answered: %v %q", rec.Header(), rec.Body)
	}
}

func TestCloseEndsDelayedRequests(t *testing.T) {
	s := newTestServer(t)
	s.SetDelay(time.Hour)
	errc := make(chan error, 1)
	go func() {
		resp, err := client.Do(call{}.request(t, context.Background(), s))
		if err == nil {
			_ = resp.Body.Close()
		}
		errc <- err
	}()
	for len(s.Requests()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	s.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v with a delayed request in flight", d)
	}
	if err := <-errc; err == nil {
		t.Error("a request in flight at Close got an answer")
	}
	s.Close() // idempotent
	if _, err := client.Post(s.URL+"/", "application/json", nil); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestRequestsRecorded(t *testing.T) {
	s := newTestServer(t)
	const (
		token    = "a+b/c=d&e%f g h=="
		spaceOrg = "acme corp"
	)
	s.Grant(spaceOrg, token, Current("PLATFORM", "SOURCE", "VIEW", "*"))

	a := call{org: spaceOrg, token: token}.do(t, s)
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	// Unescaped, '+' reads as a space and '&' ends the value, as any server decodes it.
	if b := (call{org: spaceOrg, rawQuery: ptr("accessToken=a+b/c=d&e")}).do(t, s); b.status != 401 {
		t.Errorf("unescaped token: status %d, want 401", b.status)
	}

	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests recorded, want 2", len(reqs))
	}
	r := reqs[0]
	want := Request{
		Method:        http.MethodPost,
		Path:          "/rest/organizations/acme corp/privileges/token",
		RawQuery:      "accessToken=" + url.QueryEscape(token),
		AccessToken:   token,
		Authorization: "Bearer " + caller,
		Header:        r.Header,
		Body:          "{}",
		Organization:  spaceOrg,
		RequestID:     a.header.Get("X-Request-ID"),
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("recorded %+v\nwant     %+v", r, want)
	}
	if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Accept") != "application/json" {
		t.Errorf("recorded headers %v", r.Header)
	}
	if reqs[1].AccessToken != "a b/c=d" {
		t.Errorf("unescaped token decoded as %q", reqs[1].AccessToken)
	}

	// Requests returns copies.
	reqs[0].Header.Set("Authorization", "changed")
	if s.Requests()[0].Header.Get("Authorization") != "Bearer "+caller {
		t.Error("changing a returned Request changed the record")
	}

	// Requests off the endpoint are recorded too, without an organization.
	call{path: "/elsewhere"}.do(t, s)
	if last := s.Requests()[2]; last.Path != "/elsewhere" || last.Organization != "" {
		t.Errorf("off-endpoint request recorded as %+v", last)
	}
}

func TestEscapedSlashInOrganization(t *testing.T) {
	s := newTestServer(t)
	s.Grant("a/b", inspected)
	if a := (call{org: "a/b"}).do(t, s); a.status != 200 || a.body != "[]" {
		t.Errorf("status %d, body %s", a.status, a.body)
	}
	if got := s.Requests()[0].Organization; got != "a/b" {
		t.Errorf("Organization = %q", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newTestServer(t)
	const workers, rounds = 8, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			token := fmt.Sprintf("xx-worker-%d", w)
			for i := range rounds {
				s.Grant(org, token, Current("PLATFORM", "SOURCE", "VIEW", fmt.Sprint(i)))
				a := call{token: token}.do(t, s)
				var entries []json.RawMessage
				if err := json.Unmarshal([]byte(a.body), &entries); err != nil || a.status != 200 || len(entries) != i+1 {
					t.Errorf("worker %d round %d: status %d, %d entries, err %v", w, i, a.status, len(entries), err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range rounds {
			s.Requests()
			s.AddToken("xx-other")
			s.AddOrganization("other")
			s.SetDelay(0)
			s.Expire("xx-never-used")
			s.Enqueue() // nothing queued: must not disturb the workers
		}
	})
	wg.Wait()
	if n := len(s.Requests()); n != workers*rounds {
		t.Errorf("%d requests recorded, want %d", n, workers*rounds)
	}
}

func TestAddOrganization(t *testing.T) {
	s := newTestServer(t)
	if a := (call{org: "neworg"}).do(t, s); a.status != 404 {
		t.Fatalf("unknown org: status %d", a.status)
	}
	s.AddOrganization("neworg")
	if a := (call{org: "neworg"}).do(t, s); a.status != 200 || a.body != "[]" {
		t.Fatalf("known org: status %d, body %s", a.status, a.body)
	}
}

func TestSyntheticEntries(t *testing.T) {
	const n = 5000
	entries := SyntheticEntries(n)
	if len(entries) != n {
		t.Fatalf("%d entries, want %d", len(entries), n)
	}
	if !reflect.DeepEqual(entries, SyntheticEntries(n)) {
		t.Error("SyntheticEntries is not deterministic")
	}
	// Distinct owner/domain/type: no two entries merge into one grant.
	type grant struct{ owner, domain, typ string }
	seen := map[grant]bool{}
	owners := map[string]bool{}
	var legacy, current int
	for i, e := range entries {
		var v struct {
			Owner        string    `json:"owner"`
			TargetDomain string    `json:"targetDomain"`
			Type         string    `json:"type"`
			TargetID     *string   `json:"targetId"`
			TargetIDs    *[]string `json:"targetIds"`
		}
		if err := json.Unmarshal(e.raw, &v); err != nil {
			t.Fatal(err)
		}
		var target string
		switch {
		case v.TargetID != nil && v.TargetIDs == nil:
			current++
			target = *v.TargetID
		case v.TargetIDs != nil && v.TargetID == nil && len(*v.TargetIDs) == 1:
			legacy++
			target = (*v.TargetIDs)[0]
		default:
			t.Fatalf("entry %d is not one grant: %s", i, e.raw)
		}
		if target == "" || target == "*" {
			t.Fatalf("entry %d targets %q", i, target)
		}
		g := grant{v.Owner, v.TargetDomain, v.Type}
		if seen[g] {
			t.Fatalf("entry %d repeats %v", i, g)
		}
		seen[g] = true
		owners[v.Owner] = true
	}
	if legacy == 0 || current == 0 || len(owners) < 5 {
		t.Errorf("%d legacy, %d current entries, owners %v: want a mix", legacy, current, slices.Sorted(maps.Keys(owners)))
	}
	if len(SyntheticEntries(0)) != 0 {
		t.Error("SyntheticEntries(0) is not empty")
	}
}

func TestSyntheticTargets(t *testing.T) {
	const n = 5000
	entries := SyntheticTargets(n)
	if len(entries) != n || !reflect.DeepEqual(entries, SyntheticTargets(n)) {
		t.Fatalf("%d entries, want %d, deterministic", len(entries), n)
	}
	type grant struct{ owner, domain, typ string }
	grants := map[grant]int{}
	targets := map[string]bool{}
	for i, e := range entries {
		var v struct {
			Owner        string  `json:"owner"`
			TargetDomain string  `json:"targetDomain"`
			Type         string  `json:"type"`
			TargetID     *string `json:"targetId"`
		}
		if err := json.Unmarshal(e.raw, &v); err != nil {
			t.Fatal(err)
		}
		if v.TargetID == nil || *v.TargetID == "" || *v.TargetID == "*" || targets[*v.TargetID] {
			t.Fatalf("entry %d: want a current-shape entry with its own target id: %s", i, e.raw)
		}
		targets[*v.TargetID] = true
		grants[grant{v.Owner, v.TargetDomain, v.Type}]++
	}
	if len(grants) > 30 || len(grants) < 20 {
		t.Errorf("the entries name %d grants, want every valid kind once (about 28)", len(grants))
	}
}

func TestListenError(t *testing.T) {
	s := newTestServer(t)
	if _, err := Listen(strings.TrimPrefix(s.URL, "http://")); err == nil {
		t.Error("Listen on a port in use succeeded")
	}
}
