// Command coveo-api-stub serves Coveo's privileges API
// (POST /rest/organizations/{org}/privileges/token) on a loopback port from a
// JSON config, so the provider can be pointed at it with its endpoint
// setting. See package coveotest for how requests are checked and answered.
//
//	go run ./internal/cmd/coveo-api-stub -config FILE [-addr 127.0.0.1:0] [-url-file PATH]
//	    [-synthetic N -synthetic-org ORG -synthetic-token TOKEN [-synthetic-merged]]
//
// The config maps organizations to tokens to the entries their privileges
// answer, each entry served verbatim, so either shape of the API can be used:
//
//	{"organizations": {"myorg": {"tokens": {"xx-demo-token": [
//	    {"owner": "SEARCH_API", "targetDomain": "EXECUTE_QUERY", "targetIds": [], "global": false}]}}},
//	 "callers": ["xx-caller-token"],
//	 "expired": ["xx-old-token"]}
//
// Every token of the config can also be the caller's token; "callers" adds
// tokens valid only as callers, "expired" tokens answer 419. An organization
// with no tokens is known but empty.
//
// It prints "coveo-api-stub listening on URL" once listening, writes URL to
// -url-file if given (removed on exit), and stops on SIGINT or SIGTERM. It
// never prints a token.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/coveo-community/terraform-provider-coveo/internal/coveoapi/coveotest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	var usage usageError
	switch {
	case err == nil:
	case errors.As(err, &usage):
		os.Exit(2) // the flag package has already printed the problem and the usage
	default:
		fmt.Fprintln(os.Stderr, "coveo-api-stub:", err)
		os.Exit(1)
	}
}

// usageError is a command-line error the FlagSet has already reported.
type usageError struct{ error }

// config is the -config file.
type config struct {
	Organizations map[string]struct {
		Tokens map[string][]json.RawMessage `json:"tokens"`
	} `json:"organizations"`
	Callers []string `json:"callers"`
	Expired []string `json:"expired"`
}

// run serves until ctx ends; it returns an error only when it cannot start.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("coveo-api-stub", flag.ContinueOnError)
	configPath := fs.String("config", "", "JSON `file` of organizations, their tokens and privileges (see the command's doc)")
	addr := fs.String("addr", "127.0.0.1:0", "loopback `host:port` to listen on; port 0 picks a free one")
	urlFile := fs.String("url-file", "", "write the base URL to `path` once listening, so scripts can wait for it")
	synthetic := fs.Int("synthetic", 0, "grant `N` generated distinct privileges to -synthetic-token in -synthetic-org")
	syntheticOrg := fs.String("synthetic-org", "", "`organization` for -synthetic")
	syntheticToken := fs.String("synthetic-token", "", "`token` for -synthetic")
	syntheticMerged := fs.Bool("synthetic-merged", false, "with -synthetic: N entries of a few dozen grants with many targets each, instead of N distinct grants")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *configPath == "" && *synthetic == 0:
		return errors.New("-config or -synthetic is required")
	case *synthetic < 0:
		return errors.New("-synthetic must not be negative")
	case *synthetic > 0 && (*syntheticOrg == "" || *syntheticToken == ""):
		return errors.New("-synthetic needs -synthetic-org and -synthetic-token")
	case *synthetic == 0 && (*syntheticOrg != "" || *syntheticToken != "" || *syntheticMerged):
		return errors.New("-synthetic-org, -synthetic-token and -synthetic-merged need -synthetic N")
	}
	var cfg config
	if *configPath != "" {
		var err error
		if cfg, err = loadConfig(*configPath); err != nil {
			return err
		}
	}
	if err := checkLoopback(ctx, *addr); err != nil {
		return err
	}

	s, err := coveotest.Listen(*addr)
	if err != nil {
		return err
	}
	defer s.Close()
	for org, o := range cfg.Organizations {
		s.AddOrganization(org)
		for token, raws := range o.Tokens {
			entries := make([]coveotest.Entry, len(raws))
			for i, raw := range raws {
				entries[i] = coveotest.RawEntry(string(raw))
			}
			s.Grant(org, token, entries...)
		}
	}
	for _, token := range cfg.Callers {
		s.AddToken(token)
	}
	for _, token := range cfg.Expired {
		s.Expire(token)
	}
	if *synthetic > 0 {
		entries := coveotest.SyntheticEntries(*synthetic)
		if *syntheticMerged {
			entries = coveotest.SyntheticTargets(*synthetic)
		}
		s.Grant(*syntheticOrg, *syntheticToken, entries...)
	}

	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, s.URL+"\n"); err != nil {
			return err
		}
		defer func() { _ = os.Remove(*urlFile) }()
	}
	if _, err := fmt.Fprintf(stdout, "coveo-api-stub listening on %s\n", s.URL); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// loadConfig reads and checks the config. Its errors never quote the file's
// values, since they include tokens.
func loadConfig(path string) (config, error) {
	var cfg config
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr):
			return cfg, fmt.Errorf("%s: wrong JSON type at byte offset %d (want %s)", path, typeErr.Offset, typeErr.Type)
		case errors.As(err, &syntaxErr):
			return cfg, fmt.Errorf("%s: invalid JSON at byte offset %d", path, syntaxErr.Offset)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			// encoding/json names the field, which may be a misplaced token.
			return cfg, fmt.Errorf("%s: unknown field (a token outside \"tokens\"?)", path)
		}
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return cfg, fmt.Errorf("%s: data after the config object", path)
	}
	for org, o := range cfg.Organizations {
		if org == "" {
			return cfg, fmt.Errorf("%s: empty organization id", path)
		}
		if _, ok := o.Tokens[""]; ok {
			return cfg, fmt.Errorf("%s: empty token in organization %q", path, org)
		}
	}
	for _, tokens := range [][]string{cfg.Callers, cfg.Expired} {
		for _, token := range tokens {
			if token == "" {
				return cfg, fmt.Errorf("%s: empty token in callers or expired", path)
			}
		}
	}
	return cfg, nil
}

// checkLoopback refuses an address whose host is not loopback: the stub
// serves tokens and privileges without TLS, so it must stay on this machine.
// A name such as localhost must resolve to loopback addresses only.
func checkLoopback(ctx context.Context, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	if host == "" {
		return fmt.Errorf("-addr %q listens on every interface; give a loopback host such as 127.0.0.1", addr)
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return fmt.Errorf("-addr %q is not a loopback address", addr)
		}
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so a script
// polling for path never reads a partial URL.
func writeFileAtomic(path, content string) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".coveo-api-stub-url-*")
	if err != nil {
		return err
	}
	_, err = f.WriteString(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}
