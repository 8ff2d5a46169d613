package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// started is a run in progress.
type started struct {
	url    string
	cancel context.CancelFunc
	done   chan error
}

// start runs the command with args and waits for its "listening" line.
func start(t *testing.T, args ...string) started {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw)
		pw.CloseWithError(errors.New("run returned"))
		done <- err
		close(done) // a second stop sees the run already ended
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no listening line: %v (run: %v)", err, <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }() // run prints nothing more, but must never block on it
	const prefix = "coveo-api-stub listening on "
	if !strings.HasPrefix(line, prefix) {
		t.Fatalf("first line %q", line)
	}
	s := started{strings.TrimSuffix(strings.TrimPrefix(line, prefix), "\n"), cancel, done}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop cancels the run and checks it ends cleanly.
func (s started) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case err, ok := <-s.done:
		if ok && err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}

func inspect(t *testing.T, base, org, caller, token string) (int, string) {
	t.Helper()
	u := base + "/rest/organizations/" + url.PathEscape(org) + "/privileges/token?accessToken=" + url.QueryEscape(token)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+caller)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	config := writeConfig(t, `{
  "organizations": {
    "myorg": {"tokens": {
      "xx-demo-token": [
        {"targetDomain": "EXECUTE_QUERY", "targetIds": [], "owner": "SEARCH_API", "global": false},
        {"owner":"PLATFORM","targetDomain":"SOURCE","type":"VIEW","targetId":"*","level":"NORMAL","unknown":1}
      ],
      "xx-empty-token": []
    }},
    "emptyorg": {}
  },
  "callers": ["xx-caller-token"],
  "expired": ["xx-old-token"]
}`)
	urlFile := filepath.Join(t.TempDir(), "url")
	s := start(t, "-config", config, "-url-file", urlFile,
		"-synthetic", "1000", "-synthetic-org", "synthorg", "-synthetic-token", "xx-synthetic-token")

	if got, err := os.ReadFile(urlFile); err != nil || string(got) != s.url+"\n" {
		t.Errorf("url file holds %q (%v), want %q", got, err, s.url+"\n")
	}
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Errorf("URL %q is not on 127.0.0.1", s.url)
	}

	const caller = "xx-caller-token"
	tests := []struct {
		name, org, caller, token string
		status                   int
		body                     string // exact when set
	}{
		{"entries verbatim", "myorg", caller, "xx-demo-token", 200,
			`[{"targetDomain": "EXECUTE_QUERY", "targetIds": [], "owner": "SEARCH_API", "global": false},` +
				`{"owner":"PLATFORM","targetDomain":"SOURCE","type":"VIEW","targetId":"*","level":"NORMAL","unknown":1}]`},
		{"empty list", "myorg", caller, "xx-empty-token", 200, `[]`},
		{"config token as caller", "myorg", "xx-demo-token", "xx-empty-token", 200, `[]`},
		{"known org without tokens", "emptyorg", caller, "xx-demo-token", 200, `[]`},
		{"expired", "myorg", caller, "xx-old-token", 419, ""},
		{"unknown token", "myorg", caller, "xx-nobody", 401, ""},
		{"unknown org", "nosuchorg", caller, "xx-demo-token", 404, ""},
		{"unknown caller", "myorg", "xx-nobody", "xx-demo-token", 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := inspect(t, s.url, tt.org, tt.caller, tt.token)
			if status != tt.status || tt.body != "" && body != tt.body {
				t.Errorf("status %d, body %s; want %d %s", status, body, tt.status, tt.body)
			}
		})
	}

	status, body := inspect(t, s.url, "synthorg", caller, "xx-synthetic-token")
	var entries []json.RawMessage
	if err := json.Unmarshal([]byte(body), &entries); err != nil || status != 200 || len(entries) != 1000 {
		t.Errorf("synthetic: status %d, %d entries, %v", status, len(entries), err)
	}

	s.stop(t)
	if _, err := os.Stat(urlFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("url file left after exit: %v", err)
	}
	if _, err := http.Post(s.url+"/", "application/json", nil); err == nil {
		t.Error("still serving after its context ended")
	}
}

// TestDemoConfig checks that testdata/demo.json loads and that every token
// in it answers its entries.
func TestDemoConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg config
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Callers) == 0 || len(cfg.Organizations) == 0 {
		t.Fatal("demo config needs callers and organizations")
	}
	s := start(t, "-config", "testdata/demo.json")
	for org, o := range cfg.Organizations {
		for token, want := range o.Tokens {
			status, body := inspect(t, s.url, org, cfg.Callers[0], token)
			var got []json.RawMessage
			if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 || len(got) != len(want) {
				t.Errorf("org %s, a token: status %d, %d entries (%v), want %d", org, status, len(got), err, len(want))
			}
		}
	}
	for _, token := range cfg.Expired {
		if status, _ := inspect(t, s.url, "acmecorpproductionq7x2k9pd", cfg.Callers[0], token); status != 419 {
			t.Errorf("expired token: status %d", status)
		}
	}
}

func TestRunRefuses(t *testing.T) {
	const secret = "xx-secret-token"
	good := writeConfig(t, `{"organizations": {"o": {"tokens": {"`+secret+`": []}}}}`)
	tests := []struct {
		name  string
		args  []string
		usage bool
	}{
		{"no config", nil, false},
		{"unknown flag", []string{"-nope"}, true},
		{"extra argument", []string{"-config", good, "serve"}, false},
		{"all interfaces", []string{"-config", good, "-addr", ":0"}, false},
		{"unspecified address", []string{"-config", good, "-addr", "0.0.0.0:0"}, false},
		{"public address", []string{"-config", good, "-addr", "192.0.2.1:8080"}, false},
		{"no port", []string{"-config", good, "-addr", "127.0.0.1"}, false},
		{"missing config file", []string{"-config", filepath.Join(t.TempDir(), "none.json")}, false},
		{"negative synthetic", []string{"-synthetic", "-1", "-synthetic-org", "o", "-synthetic-token", secret}, false},
		{"synthetic without token", []string{"-synthetic", "10", "-synthetic-org", "o"}, false},
		{"synthetic token without count", []string{"-config", good, "-synthetic-token", secret}, false},
		{"merged without count", []string{"-config", good, "-synthetic-merged"}, false},
		{"unknown field", []string{"-config", writeConfig(t, `{"organisations": {}}`)}, false},
		{"token outside tokens", []string{"-config", writeConfig(t, `{"organizations": {"o": {"`+secret+`": []}}}`)}, false},
		{"wrong type", []string{"-config", writeConfig(t, `{"organizations": {"o": {"tokens": {"`+secret+`": 5}}}}`)}, false},
		{"syntax error", []string{"-config", writeConfig(t, `{"organizations": {"o": {"tokens": {"`+secret+`": [1,]}}}}`)}, false},
		{"trailing data", []string{"-config", writeConfig(t, `{} {}`)}, false},
		{"empty organization", []string{"-config", writeConfig(t, `{"organizations": {"": {}}}`)}, false},
		{"empty token", []string{"-config", writeConfig(t, `{"organizations": {"o": {"tokens": {"": []}}}}`)}, false},
		{"empty caller", []string{"-config", writeConfig(t, `{"callers": [""]}`)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			err := run(t.Context(), tt.args, &out)
			if err == nil {
				t.Fatal("run accepted the arguments")
			}
			var usage usageError
			if errors.As(err, &usage) != tt.usage {
				t.Errorf("usage error = %v, want %v: %v", !tt.usage, tt.usage, err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error names a token: %v", err)
			}
			if out.Len() != 0 {
				t.Errorf("printed %q", out.String())
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	if err := run(t.Context(), []string{"-h"}, io.Discard); err != nil {
		t.Errorf("-h: %v", err)
	}
}

func TestRunSyntheticOnly(t *testing.T) {
	s := start(t, "-addr", "localhost:0", "-synthetic", "5000", "-synthetic-org", "o", "-synthetic-token", "xx-t")
	status, body := inspect(t, s.url, "o", "xx-t", "xx-t")
	var entries []json.RawMessage
	if err := json.Unmarshal([]byte(body), &entries); err != nil || status != 200 || len(entries) != 5000 {
		t.Errorf("status %d, %d entries, %v", status, len(entries), err)
	}
}
