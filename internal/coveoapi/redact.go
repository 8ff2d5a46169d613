package coveoapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Redacted replaces a secret wherever this package reports text.
const Redacted = "REDACTED"

// redactor scrubs secrets from text this package produces. Errors and log
// fields are built from redacted parts already; the redactor is the last line
// of defence against a server, proxy or transport echoing a token back in a
// way nobody anticipated. A nil *redactor scrubs nothing.
type redactor struct {
	replacer *strings.Replacer
}

// newRedactor returns a redactor for the given secrets, in every form they
// can take on the wire or in text: raw, query-escaped, path-escaped (with
// upper- or lower-case hex), and JSON-escaped. Empty secrets are ignored.
func newRedactor(secrets ...string) *redactor {
	seen := map[string]bool{}
	var forms []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			forms = append(forms, s)
		}
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		add(s)
		for _, escaped := range []string{url.QueryEscape(s), url.PathEscape(s)} {
			add(escaped)
			add(lowerHexEscapes(escaped))
		}
		add(jsonEscape(s, true))
		add(jsonEscape(s, false))
		// Some JSON encoders (Java's among them) also escape the slash.
		add(strings.ReplaceAll(jsonEscape(s, false), "/", `\/`))
	}
	if len(forms) == 0 {
		return nil
	}
	// Longest first, so that a form containing another is replaced whole.
	slices.SortFunc(forms, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Redacted)
	}
	return &redactor{replacer: strings.NewReplacer(pairs...)}
}

// String returns s with every secret replaced by Redacted.
func (r *redactor) String(s string) string {
	if r == nil {
		return s
	}
	return r.replacer.Replace(s)
}

// Error returns err unchanged when its text holds no secret, so callers can
// still inspect its type; otherwise an error with scrubbed text that wraps
// err for errors.Is and errors.As.
func (r *redactor) Error(err error) error {
	if err == nil || r == nil {
		return err
	}
	msg := err.Error()
	clean := r.String(msg)
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}

// Fields returns a copy of a log record's fields with every value rendered
// as scrubbed text where it could hold a secret.
func (r *redactor) Fields(fields map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			out[k] = r.String(v)
		case error:
			out[k] = r.String(v.Error())
		case int, int64, bool, float64, time.Duration:
			out[k] = v
		default:
			out[k] = r.String(fmt.Sprint(v))
		}
	}
	return out
}

// redactedError carries the scrubbed text of an error that held a secret.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// lowerHexEscapes returns s with the hex digits of its %XX escapes in lower
// case, the form some servers echo back.
func lowerHexEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1] = lowerASCII(b[i+1])
			b[i+2] = lowerASCII(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// jsonEscape returns s as it appears inside a JSON string, with or without
// the HTML escaping (\u0026 for &) that Go's encoder applies by default.
func jsonEscape(s string, escapeHTML bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(s); err != nil {
		return s // unreachable: every string encodes
	}
	out := strings.TrimSuffix(buf.String(), "\n")
	return strings.TrimSuffix(strings.TrimPrefix(out, `"`), `"`)
}

// redactURL returns rawURL with the value of its accessToken query
// parameter replaced, whatever that value is, then scrubbed of the secrets.
func (r *redactor) redactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return r.String(rawURL)
	}
	if u.User != nil {
		u.User = url.User(Redacted)
	}
	if u.RawQuery != "" {
		q := u.Query()
		if q.Has("accessToken") {
			q.Set("accessToken", Redacted)
			// Encode sorts keys; the order of a redacted query does not matter.
			u.RawQuery = q.Encode()
		}
	}
	return r.String(u.String())
}
