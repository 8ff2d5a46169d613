package coveotest

import (
	"encoding/json"
	"fmt"
)

// Entry is one element of the JSON array the endpoint answers. It holds the
// element's JSON text, so it can be either documented shape or anything else a
// test needs (unknown fields, duplicate keys, odd values). The zero Entry is
// rendered as JSON null.
type Entry struct {
	raw []byte
}

// legacyEntry is the older shape shown in Coveo's documentation; field order
// follows the documentation's example.
type legacyEntry struct {
	Type         string   `json:"type,omitempty"`
	TargetDomain string   `json:"targetDomain"`
	TargetIDs    []string `json:"targetIds"`
	Owner        string   `json:"owner"`
	Global       bool     `json:"global"`
}

// currentEntry is the one-target-per-entry shape of Coveo's OpenAPI model
// (GlobalPrivilegeModel).
type currentEntry struct {
	Owner        string `json:"owner"`
	TargetDomain string `json:"targetDomain"`
	Type         string `json:"type,omitempty"`
	TargetID     string `json:"targetId"`
	Level        string `json:"level"`
}

// Legacy returns an entry in the older shape:
// {"type","targetDomain","targetIds","owner","global":false}. "type" is
// omitted when typ is empty; "targetIds" is always present, [] when no
// targetIDs are given.
func Legacy(owner, targetDomain, typ string, targetIDs ...string) Entry {
	ids := append([]string{}, targetIDs...) // never nil, so it renders as []
	return mustEntry(legacyEntry{Type: typ, TargetDomain: targetDomain, TargetIDs: ids, Owner: owner})
}

// Current returns an entry in the current shape:
// {"owner","targetDomain","type","targetId","level":"NORMAL"}. "type" is
// omitted when typ is empty.
func Current(owner, targetDomain, typ, targetID string) Entry {
	return mustEntry(currentEntry{Owner: owner, TargetDomain: targetDomain, Type: typ, TargetID: targetID, Level: "NORMAL"})
}

// RawEntry returns an entry served exactly as the given JSON text. It panics
// if the text is not valid JSON, since the array served would then be
// unreadable in a way no test means; to serve a broken body, Enqueue a
// Response instead.
func RawEntry(js string) Entry {
	if !json.Valid([]byte(js)) {
		panic(fmt.Sprintf("coveotest.RawEntry: invalid JSON: %q", js))
	}
	return Entry{raw: []byte(js)}
}

// MarshalJSON returns the entry's JSON text, so entries can be compared with
// what the server answers.
func (e Entry) MarshalJSON() ([]byte, error) {
	if e.raw == nil {
		return []byte("null"), nil
	}
	return e.raw, nil
}

func mustEntry(v any) Entry {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // unreachable: the structs hold only strings and bools
	}
	return Entry{raw: b}
}

// renderEntries writes the entries as a JSON array, copying each entry's text
// verbatim (json.Marshal would compact and re-validate it).
func renderEntries(entries []Entry) []byte {
	n := 2
	for _, e := range entries {
		n += len(e.raw) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		raw, _ := e.MarshalJSON()
		b = append(b, raw...)
	}
	return append(b, ']')
}
