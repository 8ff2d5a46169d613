package coveoapi

import (
	"context"
	"errors"
	"math"
	"net/http"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fastRetries are retry settings whose waits are recorded, not slept.
func fastRetries(baseURL string, maxRetries int) Config {
	return Config{BaseURL: baseURL, MaxRetries: maxRetries, MinBackoff: 100 * time.Millisecond, MaxBackoff: 400 * time.Millisecond}
}

func TestRetryableStatusesAreRetriedUntilSuccess(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := newScriptServer(t, jsonAnswer(status, `{"message":"try again"}`), jsonAnswer(status, `{}`), jsonAnswer(200, privilegesJSON))
			c, waits := newTestClient(t, fastRetries(srv.URL, 4))
			got, err := c.TokenPrivileges(t.Context(), "org", testToken)
			if err != nil || !reflect.DeepEqual(got, privilegesWant) {
				t.Fatalf("TokenPrivileges = %v, %v; want the privileges after two retries", got, err)
			}
			if n := len(srv.requests()); n != 3 {
				t.Errorf("server got %d requests, want 3", n)
			}
			if n := len(waits.recorded()); n != 2 {
				t.Errorf("client waited %d times, want 2", n)
			}
		})
	}
}

func TestGivingUpReportsTheAttemptCount(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(503, `{"message":"Service unavailable"}`))
	c, waits := newTestClient(t, fastRetries(srv.URL, 2))
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Attempts != 3 || ae.StatusCode != 503 {
		t.Fatalf("error = %v, want a 503 *APIError after 3 attempts", err)
	}
	if !strings.Contains(err.Error(), "Gave up after 3 attempts") {
		t.Errorf("error %q does not report the attempts", err)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("server got %d requests, want 3", n)
	}
	if n := len(waits.recorded()); n != 2 {
		t.Errorf("client waited %d times, want 2", n)
	}
}

func TestZeroRetriesMeansOneAttempt(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(503, `{}`))
	c, waits := newTestClient(t, fastRetries(srv.URL, 0))
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Attempts != 1 || len(srv.requests()) != 1 || len(waits.recorded()) != 0 {
		t.Fatalf("error = %v after %d requests; want one attempt and no wait", err, len(srv.requests()))
	}
}

func TestOtherStatusesAreNeverRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 405, 409, 415, 419, 500, 501, 505, 302} {
		t.Run(statusLine(status), func(t *testing.T) {
			srv := newScriptServer(t, jsonAnswer(status, `{"message":"no"}`))
			c, waits := newTestClient(t, fastRetries(srv.URL, 3))
			_, err := c.TokenPrivileges(t.Context(), "org", testToken)
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != status || ae.Attempts != 1 {
				t.Fatalf("error = %v, want a %d *APIError after 1 attempt", err, status)
			}
			if n := len(srv.requests()); n != 1 {
				t.Errorf("server got %d requests, want 1", n)
			}
			if len(waits.recorded()) != 0 || strings.Contains(err.Error(), "attempts") {
				t.Errorf("retried or reported attempts: %v", err)
			}
		})
	}
}

func TestWAFBlockIsNeverRetried(t *testing.T) {
	srv := newScriptServer(t, answer{status: 503, header: map[string]string{"x-coveo-waf-action": "block", "Content-Type": "text/html"}, body: "<html>blocked</html>"})
	c, _ := newTestClient(t, fastRetries(srv.URL, 3))
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	var ae *APIError
	if !errors.As(err, &ae) || !ae.WAFBlocked || ae.Attempts != 1 || len(srv.requests()) != 1 {
		t.Fatalf("error = %v after %d requests; want a WAF block, not retried", err, len(srv.requests()))
	}
}

func TestTransportErrorsAreRetried(t *testing.T) {
	c, waits := newTestClient(t, fastRetries(closedPortURL(t), 2))
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error = %v (%T), want a *TransportError", err, err)
	}
	if te.Attempts != 3 || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error %q, Attempts %d; want 3 attempts reported", err, te.Attempts)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error does not wrap the refused connection: %v", err)
	}
	if te.Method != http.MethodPost || !strings.HasSuffix(te.URL, "/rest/organizations/org/privileges/token?accessToken=REDACTED") {
		t.Errorf("Method %q, URL %q", te.Method, te.URL)
	}
	if n := len(waits.recorded()); n != 2 {
		t.Errorf("client waited %d times, want 2", n)
	}
}

func TestBackoffDoublesFromMinToMaxWithEqualJitter(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name   string
		jitter func(n int64) int64
		want   []time.Duration
	}{
		{"largest jitter", func(n int64) int64 { return n - 1 }, []time.Duration{100 * ms, 200 * ms, 400 * ms, 400 * ms, 400 * ms}},
		{"no jitter", func(int64) int64 { return 0 }, []time.Duration{50 * ms, 100 * ms, 200 * ms, 200 * ms, 200 * ms}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, waits := newTestClient(t, fastRetries(closedPortURL(t), 5))
			c.jitter = tt.jitter
			if _, err := c.TokenPrivileges(t.Context(), "org", testToken); err == nil {
				t.Fatal("want an error")
			}
			if got := waits.recorded(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("waits = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBackoffStaysWithinItsBoundsWithRandomJitter(t *testing.T) {
	c, _ := newTestClient(t, Config{BaseURL: "https://x.example", MinBackoff: time.Second, MaxBackoff: 30 * time.Second})
	for retry := 1; retry <= 200; retry++ {
		base := time.Second
		for i := 1; i < retry && base < 30*time.Second; i++ {
			base *= 2
		}
		base = min(base, 30*time.Second)
		for range 20 {
			if got := c.backoff(retry); got < base/2 || got > base {
				t.Fatalf("backoff(%d) = %s, want within [%s, %s]", retry, got, base/2, base)
			}
		}
	}
	huge, _ := newTestClient(t, Config{BaseURL: "https://x.example", MinBackoff: time.Nanosecond, MaxBackoff: time.Duration(math.MaxInt64)})
	if got := huge.backoff(1000); got < 0 {
		t.Fatalf("backoff overflowed: %s", got)
	}
}

func TestRetryAfterIsHonouredAndCapped(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		name       string
		retryAfter string
		cap        time.Duration
		want       time.Duration
	}{
		{"delta seconds", "3", time.Hour, 3 * time.Second},
		{"zero seconds", "0", time.Hour, 0},
		{"delta seconds above the cap", "120", 5 * time.Second, 5 * time.Second},
		{"huge delta seconds", "99999999999999999999999", 5 * time.Second, 5 * time.Second},
		{"HTTP date", now.Add(7 * time.Second).Format(http.TimeFormat), time.Hour, 7 * time.Second},
		{"HTTP date above the cap", now.Add(time.Hour).Format(http.TimeFormat), 10 * time.Second, 10 * time.Second},
		{"HTTP date in the past", now.Add(-time.Minute).Format(http.TimeFormat), time.Hour, 0},
		{"negative seconds ignored", "-5", time.Hour, 100 * time.Millisecond},
		{"unreadable value ignored", "soon", time.Hour, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptServer(t,
				answer{status: 429, header: map[string]string{"Retry-After": tt.retryAfter}, body: `{"message":"Too many requests.","statusCode":429}`},
				jsonAnswer(200, `[]`))
			cfg := fastRetries(srv.URL, 1)
			cfg.MinBackoff, cfg.MaxBackoff, cfg.MaxRetryAfter = 100*time.Millisecond, 100*time.Millisecond, tt.cap
			c, waits := newTestClient(t, cfg)
			c.now = func() time.Time { return now }
			c.jitter = func(n int64) int64 { return n - 1 }
			if _, err := c.TokenPrivileges(t.Context(), "org", testToken); err != nil {
				t.Fatal(err)
			}
			if got := waits.recorded(); len(got) != 1 || got[0] != tt.want {
				t.Errorf("waits = %v, want [%s]", got, tt.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"  ", 0, false},
		{"1", time.Second, true},
		{" 30 ", 30 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"9223372036854775807", time.Duration(math.MaxInt64), true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Sunday, 04-Jan-26 03:05:05 GMT", 24*time.Hour*2 + time.Minute, true}, // RFC 850, obsolete but allowed
		{"tomorrow", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.value, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tt.value, got, ok, tt.want, tt.wantOK)
		}
	}
}

// callCancelled calls TokenPrivileges, cancels the call's context once ready
// fires (a nil ready leaves the cancelling to the test), and returns the
// call's error after checking that it wraps context.Canceled. It fails the
// test when the call does not return in a generous time: a liveness check
// that cancellation works at all, not a speed assertion.
func callCancelled(t *testing.T, c *Client, ctx context.Context, cancel context.CancelFunc, ready <-chan struct{}) error {
	t.Helper()
	done := make(chan struct{})
	var callErr error
	go func() {
		defer close(done)
		_, callErr = c.TokenPrivileges(ctx, "org", testToken)
	}()
	if ready != nil {
		<-ready
		cancel()
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("TokenPrivileges did not return after the context was cancelled")
	}
	if !errors.Is(callErr, context.Canceled) {
		t.Fatalf("error = %v, want one wrapping context.Canceled", callErr)
	}
	return callErr
}

func TestCancellationDuringBackoffStopsTheWait(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(503, `{"message":"down"}`))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// Real sleeps, an hour long: only cancellation can end the wait. The
	// logger cancels as the client decides to retry.
	c, err := NewClient(Config{BaseURL: srv.URL, MaxRetries: 3, MinBackoff: time.Hour, MaxBackoff: time.Hour,
		Logger: func(_ context.Context, msg string, _ map[string]any) {
			if msg == "coveo API retry" {
				cancel()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	callErr := callCancelled(t, c, ctx, cancel, nil)
	var ae *APIError
	if !errors.As(callErr, &ae) || ae.StatusCode != 503 {
		t.Errorf("error does not carry the last failure: %v", callErr)
	}
	if !strings.Contains(callErr.Error(), "after 1 attempt") {
		t.Errorf("error %q does not report the attempt", callErr)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

func TestCancellationFromAnotherGoroutineDuringBackoff(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(429, `{"message":"slow down"}`))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	logged := make(chan struct{}, 1)
	c, err := NewClient(Config{BaseURL: srv.URL, MaxRetries: 3, MinBackoff: time.Hour, MaxBackoff: time.Hour,
		Logger: func(_ context.Context, msg string, _ map[string]any) {
			if msg == "coveo API retry" {
				logged <- struct{}{}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	_ = callCancelled(t, c, ctx, cancel, logged) // it checks the error itself
}

func TestCancellationDuringARequestStopsAtOnce(t *testing.T) {
	srv, count, arrived := blockingServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c, waits := newTestClient(t, fastRetries(srv.URL, 3))
	callErr := callCancelled(t, c, ctx, cancel, arrived)
	var te *TransportError
	if errors.As(callErr, &te) {
		t.Errorf("a cancellation is reported as a transport failure: %v", callErr)
	}
	if n := count(); n != 1 || len(waits.recorded()) != 0 {
		t.Errorf("%d requests and %d waits, want 1 and 0", n, len(waits.recorded()))
	}
}

func TestAlreadyCancelledContextMakesNoRequest(t *testing.T) {
	srv := newScriptServer(t, jsonAnswer(200, `[]`))
	c, _ := newTestClient(t, fastRetries(srv.URL, 3))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.TokenPrivileges(ctx, "org", testToken)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "before any attempt") {
		t.Fatalf("error = %v, want a cancellation before any attempt", err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

func TestPerAttemptTimeoutIsARetryableTransportError(t *testing.T) {
	srv, count, _ := blockingServer(t)
	cfg := fastRetries(srv.URL, 1)
	cfg.RequestTimeout = 50 * time.Millisecond
	c, waits := newTestClient(t, cfg)
	_, err := c.TokenPrivileges(t.Context(), "org", testToken)
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 2 {
		t.Fatalf("error = %v, want a *TransportError after 2 attempts", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "per-attempt timeout of 50ms") {
		t.Errorf("error %q does not say the attempts timed out", err)
	}
	if n := count(); n != 2 || len(waits.recorded()) != 1 {
		t.Errorf("%d requests and %d waits, want 2 and 1", n, len(waits.recorded()))
	}
}

func TestCallerDeadlineEndsTheCallWithoutRetry(t *testing.T) {
	srv, count, _ := blockingServer(t)
	cfg := fastRetries(srv.URL, 3)
	cfg.RequestTimeout = time.Hour
	c, _ := newTestClient(t, cfg)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.TokenPrivileges(ctx, "org", testToken)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want one wrapping context.DeadlineExceeded", err)
	}
	if n := count(); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

func TestSleepContext(t *testing.T) {
	if err := sleepContext(t.Context(), 0); err != nil {
		t.Errorf("sleepContext(0) = %v", err)
	}
	if err := sleepContext(t.Context(), time.Millisecond); err != nil {
		t.Errorf("sleepContext(1ms) = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := sleepContext(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("sleepContext on a cancelled context = %v", err)
	}
}
