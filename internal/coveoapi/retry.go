package coveoapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryableStatus reports whether an answer is worth another attempt:
// rate limiting and the gateway failures a later attempt usually clears.
// Other 4xx answers and 500/501 would fail the same way again.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	default:
		return false
	}
}

// isCertificateError reports a TLS certificate that failed verification.
func isCertificateError(err error) bool {
	var verification *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verification) || errors.As(err, &unknownAuthority) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// retry runs attempts until one succeeds, fails for good, the retries are
// spent, or ctx ends.
func (c *Client) retry(ctx context.Context, cl *call) ([]Privilege, error) {
	maxAttempts := c.maxRetries + 1
	var last error // the error of the last completed attempt
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, stopped(cl, n-1, err, last)
		}
		o := c.attempt(ctx, cl, n)
		if o.canceled {
			return nil, stopped(cl, n, ctx.Err(), last)
		}
		if o.err == nil {
			return o.privileges, nil
		}
		if !o.retryable || n >= maxAttempts {
			return nil, o.err
		}
		wait, source := c.backoff(n), "backoff"
		if o.hasRetryAfter {
			wait, source = min(o.retryAfter, c.maxRetryAfter), "Retry-After"
		}
		c.log(ctx, cl, "coveo API retry", map[string]any{
			"attempt": n, "next_attempt": n + 1, "wait": wait, "wait_source": source, "reason": o.err.Error(),
		})
		last = o.err
		if err := c.sleep(ctx, wait); err != nil {
			return nil, stopped(cl, n, err, last)
		}
	}
}

// backoff returns the wait before retry number n (1 for the first retry):
// MinBackoff doubled n-1 times, capped at MaxBackoff, with equal jitter,
// i.e. uniform between half and all of it, so that clients spread out
// without ever retrying at once.
func (c *Client) backoff(n int) time.Duration {
	base := c.minBackoff
	for i := 1; i < n && base < c.maxBackoff; i++ {
		if base > c.maxBackoff/2 {
			base = c.maxBackoff
			break
		}
		base *= 2
	}
	base = min(base, c.maxBackoff)
	half := base / 2
	return half + time.Duration(c.jitter(int64(base-half)+1))
}

// parseRetryAfter reads a Retry-After header in either form RFC 9110
// allows: delta-seconds or an HTTP date. A date in the past means no wait;
// a negative or unreadable value is ignored.
func parseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if value[0] == '-' {
		return 0, false
	}
	if allDigits(value) {
		secs, err := strconv.ParseInt(value, 10, 64)
		if err != nil || secs > math.MaxInt64/int64(time.Second) {
			// Too large to represent: the cap applies anyway.
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// sleepContext waits d, or less if ctx ends first, and then returns ctx's
// error.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// stopped is the error of a call cut short by its context. It wraps the
// context's error and, when an attempt failed before, that failure.
func stopped(cl *call, attempts int, ctxErr, last error) error {
	what := fmt.Sprintf("%s %s stopped", cl.method, cl.redactedURL)
	if attempts == 0 {
		what += " before any attempt"
	} else {
		what += " after " + attemptsText(attempts)
	}
	if last != nil {
		return fmt.Errorf("%s because the context ended: %w; the last failure was: %w", what, ctxErr, last)
	}
	return fmt.Errorf("%s because the context ended: %w", what, ctxErr)
}
