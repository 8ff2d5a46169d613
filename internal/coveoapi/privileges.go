package coveoapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Privilege is one grant of an access token in an organization, merged from
// the entries Coveo answered for it.
type Privilege struct {
	Owner        string
	TargetDomain string
	Type         string   // "" when Coveo sent none
	TargetIDs    []string // sorted, deduplicated, never nil; empty when not limited to specific resources
	Level        string   // "" when absent
	Global       bool     // false when absent
}

// wirePrivilege is one element of the answer, in either documented shape:
// the older one (targetIds, global) or the current one (targetId, level).
// Fields it does not name are ignored.
type wirePrivilege struct {
	Owner        string   `json:"owner"`
	TargetDomain string   `json:"targetDomain"`
	Type         string   `json:"type"`
	TargetID     *string  `json:"targetId"`  // nil when absent or null
	TargetIDs    []string `json:"targetIds"` // nil when absent or null, empty (not nil) for []
	Level        string   `json:"level"`
	Global       bool     `json:"global"`
}

// grantKey identifies the entries that describe one grant. limited tells an
// entry naming resources from one that is not limited to specific resources,
// so the two are never merged into a grant that looks narrower than it is.
type grantKey struct {
	owner, targetDomain, typ, level string
	global, limited                 bool
}

var utf8BOM = []byte("\xef\xbb\xbf")

// DecodePrivileges decodes the body of a successful answer: a JSON array
// whose elements take either shape Coveo documents, or a mix. Entries of the
// same grant are merged, their targets united, and the result is sorted by
// owner, domain, type, level, global and targets. An error says what the
// body was instead of an array and quotes at most a short excerpt of it.
func DecodePrivileges(body []byte) ([]Privilege, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, utf8BOM))
	if len(trimmed) == 0 || trimmed[0] != '[' {
		return nil, fmt.Errorf("expected a JSON array of privileges, got %s", describeNonArray(trimmed))
	}
	// One pass decodes a well-formed answer; only a failure pays for a second
	// pass, element by element, to say which element is wrong and why.
	var elements []wirePrivilege
	if err := json.Unmarshal(trimmed, &elements); err != nil || !allValid(elements) {
		return nil, explainFailure(trimmed)
	}

	index := make(map[grantKey]int, len(elements))
	merged := make([]Privilege, 0, len(elements))
	for _, w := range elements {
		// An empty id names no resource: drop it, so that an entry holding
		// only empty ids counts as not limited, like the older shape's [].
		targets := slices.DeleteFunc(w.TargetIDs, func(id string) bool { return id == "" })
		if w.TargetID != nil && *w.TargetID != "" {
			targets = append(targets, *w.TargetID)
		}
		key := grantKey{
			owner:        w.Owner,
			targetDomain: w.TargetDomain,
			typ:          w.Type,
			level:        w.Level,
			global:       w.Global,
			limited:      len(targets) > 0,
		}
		at, ok := index[key]
		if !ok {
			at = len(merged)
			index[key] = at
			merged = append(merged, Privilege{
				Owner:        w.Owner,
				TargetDomain: w.TargetDomain,
				Type:         w.Type,
				TargetIDs:    []string{},
				Level:        w.Level,
				Global:       w.Global,
			})
		}
		merged[at].TargetIDs = append(merged[at].TargetIDs, targets...)
	}

	// Sorting each grant's targets once, after collecting them, keeps a grant
	// with many one-target entries at O(n log n).
	for i := range merged {
		slices.Sort(merged[i].TargetIDs)
		merged[i].TargetIDs = slices.Clip(slices.Compact(merged[i].TargetIDs))
	}
	slices.SortFunc(merged, comparePrivileges)
	return merged, nil
}

// comparePrivileges orders by owner, domain, type, level, global, then
// targets. It stops at the first difference: cmp.Or would evaluate every
// comparison, which shows when sorting thousands of grants.
func comparePrivileges(a, b Privilege) int {
	if c := strings.Compare(a.Owner, b.Owner); c != 0 {
		return c
	}
	if c := strings.Compare(a.TargetDomain, b.TargetDomain); c != 0 {
		return c
	}
	if c := strings.Compare(a.Type, b.Type); c != 0 {
		return c
	}
	if c := strings.Compare(a.Level, b.Level); c != 0 {
		return c
	}
	if c := compareBool(a.Global, b.Global); c != 0 {
		return c
	}
	return slices.Compare(a.TargetIDs, b.TargetIDs)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	default:
		return 1
	}
}

func allValid(elements []wirePrivilege) bool {
	for i := range elements {
		if checkRequired(&elements[i]) != nil {
			return false
		}
	}
	return true
}

// explainFailure decodes an answer that failed to decode, element by
// element, and returns an error naming the first element at fault.
func explainFailure(body []byte) error {
	var elements []json.RawMessage
	if err := json.Unmarshal(body, &elements); err != nil {
		return fmt.Errorf("expected a JSON array of privileges, got %s", describeBrokenJSON(err))
	}
	for i, raw := range elements {
		if _, err := decodeElement(raw); err != nil {
			return fmt.Errorf("privilege at index %d: %w", i, err)
		}
	}
	// Unreachable while both passes apply the same rules.
	return errors.New("expected a JSON array of privileges, got an array that could not be decoded")
}

// decodeElement decodes one array element and checks the fields every grant
// needs.
func decodeElement(raw json.RawMessage) (wirePrivilege, error) {
	var w wirePrivilege
	if trimmed := bytes.TrimSpace(raw); len(trimmed) == 0 || trimmed[0] != '{' {
		return w, fmt.Errorf("expected a JSON object, got %s", jsonKind(trimmed))
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return w, fmt.Errorf("field %q is a JSON %s, expected %s", typeErr.Field, typeErr.Value, goTypeAsJSON(typeErr.Type))
		}
		return w, err
	}
	return w, checkRequired(&w)
}

// checkRequired checks the fields without which an entry names no grant.
func checkRequired(w *wirePrivilege) error {
	switch {
	case strings.TrimSpace(w.Owner) == "":
		return errors.New(`it has no "owner"`)
	case strings.TrimSpace(w.TargetDomain) == "":
		return errors.New(`it has no "targetDomain"`)
	}
	return nil
}

// goTypeAsJSON names, in JSON terms, the Go type a field was decoded into.
func goTypeAsJSON(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice:
		return "an array of strings"
	case reflect.Pointer:
		return goTypeAsJSON(t.Elem())
	default:
		return "another type"
	}
}

// jsonKind names the kind of JSON value that text starts with, for messages.
func jsonKind(text []byte) string {
	text = bytes.TrimSpace(text)
	if len(text) == 0 {
		return "nothing"
	}
	switch c := text[0]; {
	case c == '{':
		return "a JSON object"
	case c == '[':
		return "a JSON array"
	case c == '"':
		return "a JSON string"
	case bytes.Equal(text, []byte("null")):
		return "null"
	case bytes.Equal(text, []byte("true")), bytes.Equal(text, []byte("false")):
		return "a JSON boolean"
	case c == '-' || ('0' <= c && c <= '9'):
		return "a JSON number"
	default:
		return "text that is not JSON"
	}
}

// describeNonArray says what a body that should have been a JSON array was.
func describeNonArray(body []byte) string {
	if len(body) == 0 {
		return "an empty body"
	}
	if body[0] == '<' {
		if looksLikeHTML(body) {
			return "an HTML page"
		}
		return "an XML or HTML document"
	}
	kind := jsonKind(body)
	switch {
	case kind == "text that is not JSON":
		return fmt.Sprintf("text that is not JSON, starting %q", excerpt(body, 40))
	case !json.Valid(body):
		return "malformed JSON that starts like " + kind
	default:
		return kind
	}
}

// describeBrokenJSON says what is wrong with a body that starts like an
// array but is not valid JSON.
func describeBrokenJSON(err error) string {
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		if strings.Contains(syntaxErr.Error(), "unexpected end") {
			return fmt.Sprintf("truncated JSON: the body ends after %d bytes, before the array is closed", syntaxErr.Offset)
		}
		return fmt.Sprintf("malformed JSON at byte %d: %s", syntaxErr.Offset, syntaxErr.Error())
	}
	return "malformed JSON: " + err.Error()
}

// looksLikeHTML reports whether a body starting with '<' is an HTML page
// rather than some other markup.
func looksLikeHTML(body []byte) bool {
	head := bytes.ToLower(body[:min(len(body), 1024)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html"))
}

// excerpt returns at most maxRunes runes of the first line of text, printable
// characters only, so a message quoting a body stays short and readable.
// Callers holding secrets scrub the result.
func excerpt(text []byte, maxRunes int) string {
	var b strings.Builder
	n := 0
	for len(text) > 0 && n < maxRunes {
		r, size := utf8.DecodeRune(text)
		text = text[size:]
		if r == '\n' || r == '\r' {
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	s := strings.TrimSpace(b.String())
	if len(text) > 0 {
		s += "…"
	}
	return s
}
