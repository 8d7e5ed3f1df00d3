package fakeapi

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// MaxAllowlistEntries is the documented limit on allowlist entries.
const MaxAllowlistEntries = 10

// validatePlatformSettings checks a platform_settings value from a request
// body (PATCH or create). base is its location, e.g. ["body","platform_settings"].
// null is accepted (it wipes the object on PATCH).
func validatePlatformSettings(ps any, base []any) []ValidationIssue {
	if ps == nil {
		return nil
	}
	m, ok := ps.(map[string]any)
	if !ok {
		return []ValidationIssue{notObject(base)}
	}
	a, ok := m["auth"]
	if !ok || a == nil {
		return nil
	}
	return validateAuth(a, appendLoc(base, "auth"))
}

func notObject(l []any) ValidationIssue {
	return ValidationIssue{Loc: l, Msg: "Input should be a valid dictionary or object to extract fields from", Type: "model_attributes_type"}
}

// validateAuth checks an auth object. Unknown keys pass; shareable_token is
// server-set and ignored here (it is dropped before the merge).
func validateAuth(a any, base []any) []ValidationIssue {
	m, ok := a.(map[string]any)
	if !ok {
		return []ValidationIssue{notObject(base)}
	}
	var out []ValidationIssue
	for _, k := range []string{"enable_auth", "require_origin_header"} {
		v, ok := m[k]
		if !ok {
			continue
		}
		if _, isBool := v.(bool); !isBool {
			out = append(out, ValidationIssue{Loc: appendLoc(base, k), Msg: "Input should be a valid boolean", Type: "bool_type"})
		}
	}
	if v, ok := m["allowlist"]; ok {
		out = append(out, validateAllowlist(v, appendLoc(base, "allowlist"))...)
	}
	return out
}

func validateAllowlist(v any, base []any) []ValidationIssue {
	arr, ok := v.([]any)
	if !ok {
		return []ValidationIssue{{Loc: base, Msg: "Input should be a valid list", Type: "list_type"}}
	}
	var out []ValidationIssue
	if len(arr) > MaxAllowlistEntries {
		out = append(out, ValidationIssue{
			Loc:  base,
			Msg:  fmt.Sprintf("List should have at most %d items after validation, not %d", MaxAllowlistEntries, len(arr)),
			Type: "too_long",
		})
	}
	seen := map[string]int{}
	for i, item := range arr {
		il := appendLoc(base, i)
		m, ok := item.(map[string]any)
		if !ok {
			out = append(out, ValidationIssue{Loc: il, Msg: "Input should be a valid dictionary or instance of AllowlistItem", Type: "model_type"})
			continue
		}
		var extra []string
		for k := range m {
			if k != "hostname" {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		for _, k := range extra {
			out = append(out, ValidationIssue{Loc: appendLoc(il, k), Msg: "Extra inputs are not permitted", Type: "extra_forbidden"})
		}
		hl := appendLoc(il, "hostname")
		h, ok := m["hostname"]
		if !ok {
			out = append(out, ValidationIssue{Loc: hl, Msg: "Field required", Type: "missing"})
			continue
		}
		hs, ok := h.(string)
		if !ok {
			out = append(out, ValidationIssue{Loc: hl, Msg: "Input should be a valid string", Type: "string_type"})
			continue
		}
		if problem := hostnameProblem(hs); problem != "" {
			out = append(out, ValidationIssue{Loc: hl, Msg: "Value error, " + problem, Type: "value_error"})
			continue
		}
		if j, dup := seen[hs]; dup {
			out = append(out, ValidationIssue{
				Loc:  hl,
				Msg:  fmt.Sprintf("Value error, duplicate hostname %q (also at index %d)", hs, j),
				Type: "value_error",
			})
			continue
		}
		seen[hs] = i
	}
	return out
}

// hostnameProblem returns why h is not an acceptable allowlist hostname, or
// "" if it is. Our decision (unconfirmed by the contract): an entry is "host"
// or "host:port", lower case, with no scheme, path, query, fragment,
// wildcard, whitespace or trailing dot. A host is DNS labels of [a-z0-9-_],
// an IPv4 address or a bracketed IPv6 address; a port is 1..65535.
func hostnameProblem(h string) string {
	switch {
	case h == "":
		return "hostname must not be empty"
	case strings.IndexFunc(h, unicode.IsSpace) >= 0:
		return "hostname must not contain whitespace"
	case strings.Contains(h, "://"):
		return "hostname must not contain a scheme; write host or host:port"
	case strings.Contains(h, "/"):
		return "hostname must not contain a path"
	case strings.ContainsAny(h, "?#"):
		return "hostname must not contain a query or fragment"
	case strings.Contains(h, "*"):
		return "hostname must not contain a wildcard"
	case h != strings.ToLower(h):
		return "hostname must be lower case"
	}
	host, port := h, ""
	if strings.HasPrefix(h, "[") {
		end := strings.Index(h, "]")
		if end < 0 {
			return "hostname has an unclosed IPv6 bracket"
		}
		host, port = h[1:end], h[end+1:]
		if ip := net.ParseIP(host); ip == nil || ip.To4() != nil {
			return "hostname has an invalid IPv6 address"
		}
		if port != "" {
			if !strings.HasPrefix(port, ":") {
				return "hostname has garbage after the IPv6 address"
			}
			port = port[1:]
			if p := portProblem(port); p != "" {
				return p
			}
		}
		return ""
	}
	switch strings.Count(h, ":") {
	case 0:
	case 1:
		i := strings.LastIndex(h, ":")
		host, port = h[:i], h[i+1:]
		if p := portProblem(port); p != "" {
			return p
		}
	default:
		return "hostname with an IPv6 address must put it in brackets"
	}
	if host == "" {
		return "hostname must have a host before the port"
	}
	if strings.HasSuffix(host, ".") {
		return "hostname must not end with a dot"
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" {
			return "hostname must not have an empty label"
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return fmt.Sprintf("hostname contains the invalid character %q", r)
			}
		}
	}
	return ""
}

func portProblem(p string) string {
	if p == "" {
		return "hostname has an empty port"
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return "hostname has a non-numeric port"
		}
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return "hostname has a port out of range 1..65535"
	}
	return ""
}
