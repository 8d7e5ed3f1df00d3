package elevenlabs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Strict reading of API answers (CONTRACT.md, "Answers the provider trusts",
// after "Listing agents" and "Auth settings"). encoding/json reads a missing key, a null and a zero value
// alike, so a list answered {"agents": null} would read as a workspace with
// no agents. The answers an audit trusts are checked field by field first:
// each field the contract (and the official SDK's schema) requires is
// present, not null, and of its JSON type; an optional field, when present,
// has its type. The first problem is reported with the field's path. The
// checked members are then decoded under their exact names (decodeChecked).

// jsonKind is the JSON type a field must have.
type jsonKind int

const (
	kindString jsonKind = iota
	kindBool
	kindInteger
	kindArray
	kindObject
	// kindStringArray is an array whose every element is a string.
	kindStringArray
)

var kindNames = map[jsonKind]string{
	kindString: "a string", kindBool: "a boolean", kindInteger: "an integer", kindArray: "an array",
	kindObject: "an object", kindStringArray: "an array of strings",
}

// field is one member of an answer's object: its name, its JSON type, and
// whether it may be missing (optional) or null (nullable).
type field struct {
	name     string
	kind     jsonKind
	optional bool
	nullable bool
	// fields are checked inside an object.
	fields []field
}

// describeJSON names the JSON type of raw for a message: "null", "a string",
// "a number", "a boolean", "an array", "an object".
func describeJSON(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case 'n':
		return "null"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "a number"
}

// hasKind reports whether raw (not null) is of kind k.
func hasKind(raw json.RawMessage, k jsonKind) bool {
	raw = bytes.TrimSpace(raw)
	switch k {
	case kindString:
		return raw[0] == '"'
	case kindBool:
		return raw[0] == 't' || raw[0] == 'f'
	case kindInteger:
		_, err := strconv.ParseInt(string(raw), 10, 64)
		return err == nil
	case kindArray:
		return raw[0] == '['
	case kindObject:
		return raw[0] == '{'
	case kindStringArray:
		var items []json.RawMessage
		if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			return false
		}
		for _, it := range items {
			if t := bytes.TrimSpace(it); len(t) == 0 || t[0] != '"' {
				return false
			}
		}
		return true
	}
	return false
}

// objectMembers reads raw as a JSON object; problem says why it is not one
// ("null", "an array", ...), with what named in it.
func objectMembers(raw json.RawMessage, what string) (members map[string]json.RawMessage, problem string) {
	if d := describeJSON(raw); d != "an object" {
		return nil, fmt.Sprintf("%s is %s, not an object", what, d)
	}
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, fmt.Sprintf("%s is not a JSON object", what)
	}
	return members, ""
}

// checkFields returns the first field of fields that members lacks or holds
// with the wrong type, as "<prefix><name> is missing" (or "is null", or "is a
// string, not a boolean"), or "" when every field fits.
func checkFields(members map[string]json.RawMessage, prefix string, fields []field) string {
	for _, f := range fields {
		name := prefix + f.name
		raw, ok := members[f.name]
		switch d := describeJSON(raw); {
		case !ok:
			if !f.optional {
				return name + " is missing"
			}
		case d == "null":
			if !f.nullable {
				return name + " is null"
			}
		case !hasKind(raw, f.kind):
			if f.kind == kindInteger && d == "a number" {
				return name + " is a number that is not an integer"
			}
			if f.kind == kindStringArray && d == "an array" {
				return name + " is an array with an entry that is not a string"
			}
			return fmt.Sprintf("%s is %s, not %s", name, d, kindNames[f.kind])
		case f.kind == kindObject && len(f.fields) > 0:
			inner, problem := objectMembers(raw, name)
			if problem == "" {
				problem = checkFields(inner, name+".", f.fields)
			}
			if problem != "" {
				return problem
			}
		}
	}
	return ""
}

// decodeChecked decodes into out the members of fields, under their exact
// names only, once checkFields has accepted them. encoding/json matches an
// object's keys to struct fields in any letter case, the last one winning, so
// {"enable_auth": false, "ENABLE_AUTH": true} would decode as true while the
// member checked, and documented, says false. The official SDKs read the
// exact names and ignore any other key; so does the provider.
func decodeChecked(members map[string]json.RawMessage, fields []field, out any) error {
	exact := make(map[string]json.RawMessage, len(fields))
	for _, f := range fields {
		if raw, ok := members[f.name]; ok {
			exact[f.name] = raw
		}
	}
	b, err := json.Marshal(exact)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}
