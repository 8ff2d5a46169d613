package coveoapi

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// answer is one scripted HTTP answer.
type answer struct {
	status int
	header map[string]string
	body   string
}

// jsonAnswer returns an answer with a JSON body.
func jsonAnswer(status int, body string) answer {
	return answer{status: status, header: map[string]string{"Content-Type": "application/json"}, body: body}
}

const privilegesJSON = `[{"owner":"PLATFORM","targetDomain":"SOURCE","type":"VIEW","targetId":"*","level":"NORMAL"}]`

var privilegesWant = []Privilege{{Owner: "PLATFORM", TargetDomain: "SOURCE", Type: "VIEW", TargetIDs: []string{"*"}, Level: "NORMAL"}}

// receivedRequest is what a test server saw of one request.
type receivedRequest struct {
	method      string
	path        string
	escapedPath string
	query       map[string][]string
	accessToken string
	header      http.Header
	body        string
}

// scriptServer answers requests with its answers in order, repeating the
// last one, and records what it receives.
type scriptServer struct {
	*httptest.Server
	mu       sync.Mutex
	answers  []answer
	received []receivedRequest
}

func newScriptServer(t *testing.T, answers ...answer) *scriptServer {
	t.Helper()
	s := &scriptServer{answers: answers}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *scriptServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.received = append(s.received, receivedRequest{
		method:      r.Method,
		path:        r.URL.Path,
		escapedPath: r.URL.EscapedPath(),
		query:       r.URL.Query(),
		accessToken: r.URL.Query().Get("accessToken"),
		header:      r.Header.Clone(),
		body:        string(body),
	})
	a := s.answers[min(len(s.received), len(s.answers))-1]
	s.mu.Unlock()
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(cmpOrStatus(a.status))
	_, _ = io.WriteString(w, a.body)
}

func cmpOrStatus(status int) int {
	if status == 0 {
		return http.StatusOK
	}
	return status
}

func (s *scriptServer) requests() []receivedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedRequest(nil), s.received...)
}

// blockingServer never answers until the request's context ends or the test
// is over; it counts the requests it got.
func blockingServer(t *testing.T) (*httptest.Server, func() int, <-chan struct{}) {
	t.Helper()
	release := make(chan struct{})
	arrived := make(chan struct{}, 100)
	var mu sync.Mutex
	count := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		count++
		mu.Unlock()
		arrived <- struct{}{}
		_, _ = io.ReadAll(r.Body) // net/http notices a client leaving only once the body is read
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: unblocks handlers so Close returns
	return srv, func() int { mu.Lock(); defer mu.Unlock(); return count }, arrived
}

// closedPortURL returns the URL of a loopback port nothing listens on.
func closedPortURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// waitRecorder stands in for the client's sleep: it records each wait and
// returns at once, so tests check waits without waiting.
type waitRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *waitRecorder) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waits = append(w.waits, d)
	return ctx.Err()
}

func (w *waitRecorder) recorded() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}

// logRecord is one call of Config.Logger.
type logRecord struct {
	msg    string
	fields map[string]any
}

type logRecorder struct {
	mu      sync.Mutex
	records []logRecord
}

func (l *logRecorder) log(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, logRecord{msg: msg, fields: fields})
}

func (l *logRecorder) all() []logRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logRecord(nil), l.records...)
}

// newTestClient returns a client whose waits are recorded, not slept.
func newTestClient(t *testing.T, cfg Config) (*Client, *waitRecorder) {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	w := &waitRecorder{}
	c.sleep = w.sleep
	return c, w
}

// errorChainTexts returns the text of err and of every error it wraps, down
// to a redactedError, whose wrapped original is meant to hold the secret.
func errorChainTexts(err error) []string {
	var texts []string
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		texts = append(texts, e.Error())
		// Inspect e itself, not its chain: errors.As would look past it.
		if _, ok := any(e).(*redactedError); ok {
			return
		}
		switch u := any(e).(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return texts
}

// testToken is a token for tests that do not look for leaks; it appears in
// no message, so redaction leaves messages readable.
const testToken = "t0k3n-under-test"

// hangUntilClientLeaves answers nothing until the client gives up (or ten
// seconds pass, so a broken client cannot hang the test's server Close).
func hangUntilClientLeaves(_ http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body) // net/http notices a client leaving only once the body is read
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}
