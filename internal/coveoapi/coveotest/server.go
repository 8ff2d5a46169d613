package coveotest

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Server is an embedded Coveo privileges API listening on a loopback
// address. Its methods are safe for concurrent use, also while it serves.
type Server struct {
	URL string // base URL without a trailing slash, e.g. http://127.0.0.1:41234

	srv       *http.Server
	cancel    context.CancelFunc // ends the requests in flight, so Close never waits on a delay
	closeOnce sync.Once

	mu       sync.Mutex
	orgs     map[string]map[string][]Entry // organization → token → entries in grant order
	tokens   map[string]bool               // tokens valid as caller or inspected token
	expired  map[string]bool
	queue    []Response
	delay    time.Duration
	requests []Request
}

// Request is one request the server received.
type Request struct {
	Method        string
	Path          string // decoded path
	RawQuery      string
	AccessToken   string // the decoded accessToken query value
	Authorization string // the full header value
	Header        http.Header
	Body          string
	Organization  string // from the path; empty when the path is not the endpoint's
	RequestID     string // the X-Request-ID the server answered with
}

// maxBody bounds what is read (and recorded) of a request body; the endpoint
// expects "{}".
const maxBody = 1 << 20

// NewServer starts a server on 127.0.0.1 (or [::1] when there is no IPv4
// loopback) on a free port. It panics if it cannot listen, like
// httptest.NewServer, so tests need no error handling. Call Close when done.
func NewServer() *Server {
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		if s, err = Listen("[::1]:0"); err != nil {
			panic(fmt.Sprintf("coveotest: failed to listen on a loopback port: %v", err))
		}
	}
	return s
}

// Listen starts a server on addr (host:port). It does not check that addr is
// a loopback address; callers exposing it to people should.
func Listen(addr string) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		URL:     "http://" + l.Addr().String(),
		cancel:  cancel,
		orgs:    map[string]map[string][]Entry{},
		tokens:  map[string]bool{},
		expired: map[string]bool{},
	}
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.serve),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		// net/http's own messages would be the only log output; dropping them
		// keeps the guarantee that nothing here ever writes a token to a log.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() { _ = s.srv.Serve(l) }() // only ever ErrServerClosed, after Close
	return s, nil
}

// Close stops the server: requests waiting on a delay end without an
// answer, and Close returns once every connection is closed. It may be
// called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if s.srv.Shutdown(ctx) != nil {
			_ = s.srv.Close() // a client stalled mid-request; drop it
		}
	})
}

// Grant makes token valid and gives it entries in organization org, which
// becomes known. Calling it again for the same org and token appends.
func (s *Server) Grant(org, token string, entries ...Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = true
	tokens := s.orgs[org]
	if tokens == nil {
		tokens = map[string][]Entry{}
		s.orgs[org] = tokens
	}
	tokens[token] = append(tokens[token], entries...)
}

// AddOrganization makes org known without granting anything in it.
func (s *Server) AddOrganization(org string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orgs[org] == nil {
		s.orgs[org] = map[string][]Entry{}
	}
}

// AddToken makes token valid (as caller or inspected token) without
// privileges anywhere.
func (s *Server) AddToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = true
}

// Expire makes token answer 419 ExpiredToken from now on, whether it is the
// caller's token or the inspected one, and whether or not it was valid.
func (s *Server) Expire(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired[token] = true
}

// Enqueue scripts the next answers: each Response is served, in order, to
// the next request that reaches the endpoint (right path and method), before
// any token check; then normal behaviour resumes.
func (s *Server) Enqueue(responses ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, responses...)
}

// SetDelay makes every answer wait d first. A request whose context ends
// during the wait (the client gave up, or Close) gets no answer: its
// connection is dropped.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// Requests returns a copy of every request received, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	id := newRequestID()
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody)) // a short read is recorded as is
	org, onEndpoint := endpointOrganization(r.URL)

	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method:        r.Method,
		Path:          r.URL.Path,
		RawQuery:      r.URL.RawQuery,
		AccessToken:   r.URL.Query().Get("accessToken"),
		Authorization: r.Header.Get("Authorization"),
		Header:        r.Header.Clone(),
		Body:          string(body),
		Organization:  org,
		RequestID:     id,
	})
	delay := s.delay
	s.mu.Unlock()

	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			// Returning would make net/http send an empty 200; aborting
			// drops the connection unanswered, as a server that went away does.
			panic(http.ErrAbortHandler)
		}
	}
	write(w, id, s.answer(r, id, org, onEndpoint))
}

// answer applies Coveo's checks in the order documented in the package doc.
func (s *Server) answer(r *http.Request, id, org string, onEndpoint bool) Response {
	if !onEndpoint {
		return AuthorizationServerError(http.StatusNotFound, "NOT_FOUND", "No resource matches this path.", id)
	}
	if r.Method != http.MethodPost {
		resp := AuthorizationServerError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
			fmt.Sprintf("Request method %q is not supported; use POST.", r.Method), id)
		resp.Header = http.Header{"Allow": {http.MethodPost}}
		return resp
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		resp := s.queue[0]
		s.queue = s.queue[1:]
		return resp
	}

	caller, ok := bearerToken(r.Header.Get("Authorization"))
	switch {
	case !ok:
		return AuthorizationServerError(http.StatusUnauthorized, "UNAUTHORIZED",
			"Missing or malformed Authorization header; expected \"Bearer <token>\".", id)
	case s.expired[caller]:
		return ExpiredToken()
	case !s.tokens[caller]:
		return AuthorizationServerError(http.StatusUnauthorized, "UNAUTHORIZED", "Invalid access token.", id)
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != contentTypeJSON {
		return AuthorizationServerError(http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
			"Content type must be application/json.", id)
	}
	token := r.URL.Query().Get("accessToken")
	if token == "" {
		return AuthorizationServerError(http.StatusBadRequest, "MISSING_PARAMETER",
			"Required query parameter 'accessToken' is missing.", id)
	}
	grants, ok := s.orgs[org]
	switch {
	case !ok:
		return AuthorizationServerError(http.StatusNotFound, "ORGANIZATION_NOT_FOUND",
			fmt.Sprintf("Organization %q does not exist.", org), id)
	case s.expired[token]:
		return ExpiredToken()
	case !s.tokens[token]:
		return AuthorizationServerError(http.StatusUnauthorized, "INVALID_TOKEN",
			"The accessToken parameter is not a valid access token.", id)
	}
	return Response{Status: http.StatusOK, Body: string(renderEntries(grants[token]))}
}

func write(w http.ResponseWriter, id string, resp Response) {
	h := w.Header()
	h.Set("X-Request-ID", id)
	h.Set("Content-Type", contentTypeJSON)
	for k, v := range resp.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, resp.Body) // a failure means the client left; nothing to do
}

// endpointOrganization reports whether u is the endpoint's path,
// /rest/organizations/{organizationId}/privileges/token, and its decoded
// organization id. It splits the escaped path so an id holding %2F stays one
// segment.
func endpointOrganization(u *url.URL) (string, bool) {
	seg := strings.Split(u.EscapedPath(), "/")
	if len(seg) != 6 || seg[0] != "" || seg[1] != "rest" || seg[2] != "organizations" ||
		seg[4] != "privileges" || seg[5] != "token" {
		return "", false
	}
	org, err := url.PathUnescape(seg[3])
	if err != nil || org == "" {
		return "", false
	}
	return org, true
}

// bearerToken returns the token of an "Authorization: Bearer <token>" value.
// The scheme is case-insensitive (RFC 9110); the token must be non-empty and
// carry no surrounding spaces.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || strings.TrimSpace(token) != token {
		return "", false
	}
	return token, true
}

// newRequestID returns a random UUID (version 4), unique per request.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails since Go 1.24
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
