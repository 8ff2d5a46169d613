// Package coveoapi calls the Coveo Platform API: it knows HTTP and Coveo,
// and nothing of Terraform. It never lets a token into an error or a log.
package coveoapi

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// DefaultRequestTimeout bounds one attempt; DefaultMaxRetries is the number
// of retries after the first attempt.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 4
)

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "terraform-provider-coveo"

// Default body limits, see Client.maxSuccessBody.
const (
	defaultMaxSuccessBody = 64 << 20
	defaultMaxErrorBody   = 64 << 10
)

// Config configures a Client.
type Config struct {
	BaseURL        string        // required; validated with ValidateEndpoint
	CallerToken    string        // optional; when empty, the inspected token is sent as its own caller
	UserAgent      string        // full User-Agent header value, built by the caller
	RequestTimeout time.Duration // per attempt; 0 means DefaultRequestTimeout
	MaxRetries     int           // retries after the first attempt; 0 means none; negative is an error
	// HTTPClient is optional. It is copied, never modified. The default
	// clones http.DefaultTransport with Proxy: http.ProxyFromEnvironment,
	// so HTTPS_PROXY and NO_PROXY are honoured.
	HTTPClient *http.Client
	// Logger is an optional debug logger; it never receives a token.
	Logger                 func(ctx context.Context, msg string, fields map[string]any)
	MinBackoff, MaxBackoff time.Duration // 0 means defaults (1s, 30s)
	MaxRetryAfter          time.Duration // cap on a server's Retry-After; 0 means 30s
}

// Defaults of the retry waits.
const (
	DefaultMinBackoff    = 1 * time.Second
	DefaultMaxBackoff    = 30 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
)

// Client calls the Coveo Platform API. It is safe for concurrent use.
type Client struct {
	baseURL        string
	callerToken    string
	userAgent      string
	requestTimeout time.Duration
	maxRetries     int
	httpClient     *http.Client
	logger         func(ctx context.Context, msg string, fields map[string]any)
	minBackoff     time.Duration
	maxBackoff     time.Duration
	maxRetryAfter  time.Duration

	// Body limits: a list of privileges can be long, an error body never
	// needs to be, and neither may let a misbehaving server exhaust memory.
	maxSuccessBody, maxErrorBody int64

	// Seams for tests, so waits can be checked without waiting.
	now    func() time.Time                                 // reads Retry-After dates
	sleep  func(ctx context.Context, d time.Duration) error // waits between attempts
	jitter func(n int64) int64                              // uniform in [0, n)
}

// NewClient checks cfg and returns a client.
func NewClient(cfg Config) (*Client, error) {
	base, err := ValidateEndpoint(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("invalid Coveo endpoint: %w", err)
	}
	if cfg.CallerToken != "" {
		if problem := TokenProblem(cfg.CallerToken); problem != "" {
			return nil, errors.New("the caller token " + problem)
		}
	}
	switch {
	case cfg.MaxRetries < 0:
		return nil, fmt.Errorf("the number of retries must not be negative, got %d", cfg.MaxRetries)
	case cfg.RequestTimeout < 0:
		return nil, fmt.Errorf("the request timeout must not be negative, got %s", cfg.RequestTimeout)
	case cfg.MinBackoff < 0 || cfg.MaxBackoff < 0:
		return nil, errors.New("the retry backoff durations must not be negative")
	case cfg.MaxRetryAfter < 0:
		return nil, fmt.Errorf("the Retry-After cap must not be negative, got %s", cfg.MaxRetryAfter)
	}
	c := &Client{
		baseURL:        base,
		callerToken:    cfg.CallerToken,
		userAgent:      cmp.Or(cfg.UserAgent, DefaultUserAgent),
		requestTimeout: cmp.Or(cfg.RequestTimeout, DefaultRequestTimeout),
		maxRetries:     cfg.MaxRetries,
		httpClient:     newHTTPClient(cfg.HTTPClient),
		logger:         cfg.Logger,
		minBackoff:     cmp.Or(cfg.MinBackoff, DefaultMinBackoff),
		maxBackoff:     cmp.Or(cfg.MaxBackoff, DefaultMaxBackoff),
		maxRetryAfter:  cmp.Or(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
		maxSuccessBody: defaultMaxSuccessBody,
		maxErrorBody:   defaultMaxErrorBody,
		now:            time.Now,
		sleep:          sleepContext,
		jitter:         rand.Int64N,
	}
	if c.minBackoff > c.maxBackoff {
		return nil, fmt.Errorf("the minimum retry backoff (%s) is longer than the maximum (%s)", c.minBackoff, c.maxBackoff)
	}
	return c, nil
}

// MaxDuration reports the longest a TokenPrivileges call can take when every
// attempt fails slowly: attempts × timeout + retries × longest wait.
func (c *Client) MaxDuration() time.Duration {
	attempts := c.maxRetries + 1
	return c.requestTimeout*time.Duration(attempts) + max(c.maxBackoff, c.maxRetryAfter)*time.Duration(c.maxRetries)
}

// call is one TokenPrivileges call: its URL and the secrets to keep out of
// everything it reports.
type call struct {
	method      string
	url         string
	redactedURL string
	callerToken string
	red         *redactor
}

// TokenPrivileges returns the privileges that token holds in the
// organization, decoded and merged. It retries rate limiting, gateway
// failures and transport errors; every error it returns is one of
// *APIError, *TransportError, *DecodeError, or an error wrapping ctx.Err(),
// except for a plain error about unusable arguments before any request; none
// holds a token.
func (c *Client) TokenPrivileges(ctx context.Context, organizationID, token string) ([]Privilege, error) {
	if strings.TrimSpace(organizationID) == "" {
		return nil, errors.New("the organization ID is empty")
	}
	if problem := TokenProblem(token); problem != "" {
		return nil, errors.New("the access token to inspect " + problem)
	}
	red := newRedactor(token, c.callerToken)
	cl := &call{
		method: http.MethodPost,
		url: c.baseURL + "/rest/organizations/" + url.PathEscape(organizationID) +
			"/privileges/token?accessToken=" + url.QueryEscape(token),
		callerToken: cmp.Or(c.callerToken, token),
		red:         red,
	}
	cl.redactedURL = red.redactURL(cl.url)
	privileges, err := c.retry(ctx, cl)
	// Every part of an error that came from outside is scrubbed already; this
	// last pass over the whole text guards against a path that forgot.
	return privileges, newRedactor(longSecrets(token, c.callerToken)...).Error(err)
}

// minWholeTextSecretLen is the shortest secret the last pass over a whole
// error text scrubs. A shorter one found there is far likelier a word of the
// message itself (a test token such as "caller" in "the caller token") than a
// leak, and real Coveo tokens are much longer: an API key has 34 characters.
const minWholeTextSecretLen = 8

func longSecrets(secrets ...string) []string {
	var long []string
	for _, s := range secrets {
		if len(s) >= minWholeTextSecretLen {
			long = append(long, s)
		}
	}
	return long
}

// TokenProblem describes what makes token unusable (it could not travel in
// an Authorization header, or it was pasted with stray white space), or
// returns "" when it is fine. It never repeats any part of the token.
func TokenProblem(token string) string {
	switch {
	case token == "":
		return "must not be empty."
	case strings.TrimSpace(token) == "":
		return "must not be blank."
	case strings.IndexFunc(token, unicode.IsControl) >= 0:
		return "must not contain control characters (a token pasted with a newline?)."
	case strings.TrimSpace(token) != token:
		return "must not start or end with whitespace."
	}
	return ""
}

// outcome is the result of one attempt.
type outcome struct {
	privileges    []Privilege
	err           error // *APIError, *TransportError or *DecodeError
	retryable     bool
	retryAfter    time.Duration
	hasRetryAfter bool
	canceled      bool // the caller's context ended during the attempt
}

// attempt makes one request with its own timeout and classifies the answer.
func (c *Client) attempt(ctx context.Context, cl *call, n int) outcome {
	attemptCtx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()

	req, err := http.NewRequestWithContext(attemptCtx, cl.method, cl.url, strings.NewReader("{}"))
	if err != nil {
		return outcome{err: &TransportError{Method: cl.method, URL: cl.redactedURL, Attempts: n, Err: cl.red.Error(unwrapURLError(err))}}
	}
	req.Header.Set("Authorization", "Bearer "+cl.callerToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	c.log(ctx, cl, "coveo API request", map[string]any{
		"method": cl.method, "url": cl.redactedURL, "attempt": n, "max_attempts": c.maxRetries + 1,
	})
	start := time.Now()
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return c.transportFailure(ctx, attemptCtx, cl, n, err)
	}
	defer func() { _ = resp.Body.Close() }() // read fully or abandoned; nothing to report

	success := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := c.maxErrorBody
	if success {
		limit = c.maxSuccessBody
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	requestID := resp.Header.Get("X-Request-ID")
	contentType := resp.Header.Get("Content-Type")
	c.log(ctx, cl, "coveo API response", map[string]any{
		"status": resp.StatusCode, "request_id": requestID, "duration": time.Since(start),
		"content_type": contentType, "bytes": len(body), "attempt": n,
	})

	if !success {
		// An error body is only read for its message: a short or failed read
		// still leaves the status, which is what matters.
		apiErr := newAPIError(resp.StatusCode, resp.Header, body[:min(int64(len(body)), c.maxErrorBody)], cl.red)
		apiErr.Attempts = n
		o := outcome{err: apiErr, retryable: retryableStatus(resp.StatusCode) && !apiErr.WAFBlocked}
		o.retryAfter, o.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		return o
	}
	if readErr != nil {
		return c.transportFailure(ctx, attemptCtx, cl, n, fmt.Errorf("reading the answer: %w", readErr))
	}
	decodeFailure := func(err error) outcome {
		return outcome{err: &DecodeError{
			StatusCode:  resp.StatusCode,
			ContentType: shorten(cl.red.String(contentType), 100),
			RequestID:   shorten(cl.red.String(requestID), 100),
			Attempts:    n,
			Err:         cl.red.Error(err),
		}}
	}
	if int64(len(body)) > c.maxSuccessBody {
		return decodeFailure(fmt.Errorf("the answer is larger than the %s limit", byteSize(c.maxSuccessBody)))
	}
	if isHTML(contentType, bytes.TrimSpace(body)) {
		return decodeFailure(errors.New("expected a JSON array of privileges, got an HTML page"))
	}
	// The Content-Type is otherwise checked loosely: a body that decodes is
	// accepted whatever it says, and a failure names it.
	privileges, err := DecodePrivileges(body)
	if err != nil {
		// The error may quote the start of the body. Describe the scrubbed
		// body instead, so that the quote cannot end in part of a token.
		if _, scrubbedErr := DecodePrivileges([]byte(cl.red.String(string(body)))); scrubbedErr != nil {
			err = scrubbedErr
		}
		if mediaType, _, _ := mime.ParseMediaType(contentType); contentType != "" && !isJSONMediaType(mediaType) {
			err = fmt.Errorf("%w (the content type is not JSON)", err)
		}
		return decodeFailure(err)
	}
	return outcome{privileges: privileges}
}

// isJSONMediaType accepts application/json and any structured +json type
// such as application/problem+json.
func isJSONMediaType(mediaType string) bool {
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

// transportFailure classifies a request that got no complete answer.
func (c *Client) transportFailure(ctx, attemptCtx context.Context, cl *call, n int, err error) outcome {
	inner := unwrapURLError(err)
	c.log(ctx, cl, "coveo API request failed", map[string]any{"attempt": n, "error": inner})
	if ctx.Err() != nil {
		return outcome{err: inner, canceled: true}
	}
	retryable := true
	var redirect *redirectError
	switch {
	case errors.Is(attemptCtx.Err(), context.DeadlineExceeded):
		inner = fmt.Errorf("no answer within the per-attempt timeout of %s: %w", c.requestTimeout, context.DeadlineExceeded)
	case errors.As(inner, &redirect), isCertificateError(inner):
		// Retrying cannot change where a redirect points or which
		// certificate a server presents.
		retryable = false
	}
	return outcome{
		err:       &TransportError{Method: cl.method, URL: cl.redactedURL, Attempts: n, Err: cl.red.Error(inner)},
		retryable: retryable,
	}
}

// unwrapURLError drops the *url.Error net/http wraps errors in, since its
// text holds the full URL, query string and token included.
func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) && urlErr.Err != nil {
		return urlErr.Err
	}
	return err
}

func (c *Client) log(ctx context.Context, cl *call, msg string, fields map[string]any) {
	if c.logger == nil {
		return
	}
	c.logger(ctx, cl.red.String(msg), cl.red.Fields(fields))
}

// newHTTPClient returns a copy of the caller's client, or a default one,
// whose redirects never carry a token to another host or into clear text.
func newHTTPClient(supplied *http.Client) *http.Client {
	var hc http.Client
	if supplied != nil {
		hc = *supplied
	} else {
		hc.Transport = defaultTransport()
	}
	hc.CheckRedirect = refuseUnsafeRedirects(hc.CheckRedirect)
	return &hc
}

// defaultTransport clones http.DefaultTransport, so that the client gets its
// own connection pool with the standard timeouts, and honours the proxy
// environment variables.
func defaultTransport() *http.Transport {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		tr := t.Clone()
		tr.Proxy = http.ProxyFromEnvironment
		return tr
	}
	// Someone replaced http.DefaultTransport with another type.
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

// maxRedirects matches net/http's default limit.
const maxRedirects = 10

// refuseUnsafeRedirects returns a CheckRedirect that refuses a redirect to
// another host (the access token is in the query string, so even net/http's
// removal of Authorization would not protect it) or from https to http, then
// defers to next, the caller's own policy, if any.
func refuseUnsafeRedirects(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		switch {
		case len(via) >= maxRedirects:
			return &redirectError{from: origin(first), to: origin(req.URL), reason: fmt.Sprintf("gave up after %d redirects", maxRedirects)}
		case first.Scheme == "https" && req.URL.Scheme != "https":
			return &redirectError{from: origin(first), to: origin(req.URL), reason: "the token must not travel in clear text"}
		case !sameHost(first, req.URL):
			return &redirectError{from: origin(first), to: origin(req.URL), reason: "the token must not be sent to another host"}
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

// origin returns scheme://host[:port] of u: enough to name a redirect's ends
// without its path or query, which could hold a token.
func origin(u *url.URL) string {
	return u.Scheme + "://" + u.Host
}

// sameHost compares host names (case-insensitively) and ports, taking the
// scheme's default port when none is written.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Hostname(), b.Hostname()) && portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

// byteSize writes a size in MiB or KiB when it is a whole number of them.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}

// attemptsText returns "1 attempt" or "n attempts".
func attemptsText(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return strconv.Itoa(n) + " attempts"
}
