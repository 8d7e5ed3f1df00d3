package fakeapi

import (
	"errors"
	"fmt"
	"sort"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/hostname"
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
	var out []ValidationIssue
	if v, ok := m["archived"]; ok {
		if _, isBool := v.(bool); !isBool {
			out = append(out, ValidationIssue{Loc: appendLoc(base, "archived"), Msg: "Input should be a valid boolean", Type: "bool_type"})
		}
	}
	if a, ok := m["auth"]; ok && a != nil {
		out = append(out, validateAuth(a, appendLoc(base, "auth"))...)
	}
	return out
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

// hostnameProblem returns why h is not an acceptable allowlist hostname, or ""
// if it is. The fake enforces the provider's own rules (internal/hostname: an
// entry must be able to match a browser's Origin host), so a test that sends
// a bad entry straight to the API sees the same reason the provider gives.
func hostnameProblem(h string) string {
	var ee *hostname.EntryError
	if err := hostname.Validate(h); errors.As(err, &ee) {
		return ee.Reason
	}
	return ""
}
