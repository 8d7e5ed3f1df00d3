package elevenlabs

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// HeaderAPIKey is the header that carries the API key.
const HeaderAPIKey = "xi-api-key"

// APIError is an HTTP answer outside 2xx from the ElevenLabs API. Its fields come
// from the parsed `detail` (object, 422 array or plain string form); the raw body
// is never kept, and internal/redact masks the API key, signatures, tokens and
// JWTs in every field.
type APIError struct {
	StatusCode int
	Method     string
	Path       string
	// Code is the API's error code: detail.code, else detail.status.
	Code string
	// Message is detail.message, or the plain-string detail.
	Message   string
	RequestID string
	Param     string
	// Validation holds the entries of a 422 array-form detail.
	Validation []ValidationIssue
}

// ValidationIssue is one entry of a 422 array-form detail.
type ValidationIssue struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// Location renders Loc as a dotted path, e.g. body.platform_settings.auth.
func (v ValidationIssue) Location() string {
	parts := make([]string, 0, len(v.Loc))
	for _, p := range v.Loc {
		parts = append(parts, fmt.Sprint(p))
	}
	return strings.Join(parts, ".")
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ElevenLabs API: %s %s returned %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if d := e.Detail(); d != "" {
		fmt.Fprintf(&b, ": %s", d)
	}
	if e.Param != "" {
		fmt.Fprintf(&b, " (param %s)", e.Param)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Detail renders what the answer's `detail` said: "code: message", the
// plain-string message, or "validation failed: loc: msg (type); ..." for a
// 422 array ("" when it said nothing).
func (e *APIError) Detail() string {
	var parts []string
	for _, s := range []string{e.Code, e.Message} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(e.Validation) > 0 {
		issues := make([]string, len(e.Validation))
		for i, v := range e.Validation {
			issues[i] = v.Location() + ": " + v.Msg
			if v.Type != "" {
				issues[i] += " (" + v.Type + ")"
			}
		}
		parts = append(parts, "validation failed: "+strings.Join(issues, "; "))
	}
	return strings.Join(parts, ": ")
}

// IsNotFound reports whether err is a 404 answer from the API.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == http.StatusNotFound
}

// IsUnauthorized reports whether err is a 401 answer (no key, wrong key, missing scope).
func IsUnauthorized(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == http.StatusUnauthorized
}

// IsResidencyMismatch reports whether err is the API's 401 for a key sent to the
// wrong region: a key of a data-residency workspace sent to the global host, or
// the reverse (CONTRACT.md, "Data-residency 401": invalid_api_key with a message
// saying the key "is for a data residency stack").
func IsResidencyMismatch(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == http.StatusUnauthorized &&
		strings.Contains(strings.ToLower(e.Message), "residency")
}

// IsRedirect reports whether err is a 3xx answer, which the client never follows.
func IsRedirect(err error) bool {
	var e *RedirectError
	return errors.As(err, &e)
}

type errorBody struct {
	Detail json.RawMessage `json:"detail"`
}

type detailObject struct {
	Status    string `json:"status"`
	Code      string `json:"code"`
	Type      string `json:"type"`
	Message   string `json:"message"`
	RequestID string `json:"request_id"`
	Param     string `json:"param"`
}

// maxMessage bounds how much of an API message an error repeats.
const maxMessage = 500

// maxIssues bounds how many 422 entries an error lists.
const maxIssues = 10

// ParseError builds the *APIError of a non-2xx answer to method path: the
// status and request id from resp, the rest from the documented forms of
// `detail` in raw (the answer's body, or its first bytes). mask removes every
// secret the caller knows (Client.mask; nil: the name rules of internal/redact
// alone), so none appears in the result even where the body echoes it; nor do
// signatures, tokens or JWTs. It is the one parser of error answers: the client
// uses it for every call, internal/convclient for a refused conversation start.
func ParseError(method, path string, resp *http.Response, raw []byte, mask func(string) string) *APIError {
	if mask == nil {
		mask = func(s string) string { return redact.String(s) }
	}
	e := &APIError{StatusCode: resp.StatusCode, Method: method, Path: path}
	for _, h := range []string{"request-id", "x-request-id"} {
		if v := resp.Header.Get(h); v != "" {
			e.RequestID = v
			break
		}
	}
	parseDetail(e, raw)
	if e.Code == "" && e.Message == "" && len(e.Validation) == 0 {
		e.Message = fmt.Sprintf("unexpected response body (%d bytes, content type %q)", len(raw), resp.Header.Get("Content-Type"))
	}
	clean := func(s string) string { return truncate(mask(s), maxMessage) }
	e.Code, e.Message, e.RequestID, e.Param = clean(e.Code), clean(e.Message), clean(e.RequestID), clean(e.Param)
	for i := range e.Validation {
		e.Validation[i].Msg = clean(e.Validation[i].Msg)
		e.Validation[i].Type = clean(e.Validation[i].Type)
		e.Validation[i].Loc = cleanLoc(e.Validation[i].Loc, mask)
	}
	return e
}

// maxLocParts and maxLocPart bound the loc of a 422 entry an error repeats.
const (
	maxLocParts = 16
	maxLocPart  = 100
)

// cleanLoc returns loc with every element a masked, shortened string: a loc
// element that is not a string or a number (an array, an object) is written
// as JSON and masked like the rest, so a secret nested in it never reaches
// the error; a loc longer than maxLocParts ends in "…".
func cleanLoc(loc []any, mask func(string) string) []any {
	n := min(len(loc), maxLocParts)
	out := make([]any, 0, n+1)
	for _, p := range loc[:n] {
		s, ok := p.(string)
		if !ok {
			b, _ := json.Marshal(p) // a value json.Unmarshal produced always encodes
			s = string(b)
		}
		out = append(out, truncate(mask(s), maxLocPart))
	}
	if len(loc) > n {
		out = append(out, "…")
	}
	return out
}

// parseDetail fills e from the three documented forms of `detail`.
func parseDetail(e *APIError, raw []byte) {
	var body errorBody
	if json.Unmarshal(raw, &body) != nil || len(body.Detail) == 0 {
		return
	}
	var s string
	if json.Unmarshal(body.Detail, &s) == nil {
		e.Message = s
		return
	}
	var issues []ValidationIssue
	if json.Unmarshal(body.Detail, &issues) == nil {
		if len(issues) > maxIssues {
			e.Message = fmt.Sprintf("%d validation errors, the first %d shown", len(issues), maxIssues)
			issues = issues[:maxIssues]
		}
		e.Validation = issues
		return
	}
	var obj detailObject
	if json.Unmarshal(body.Detail, &obj) == nil {
		e.Code = obj.Code
		if e.Code == "" {
			e.Code = obj.Status
		}
		e.Message = obj.Message
		if obj.RequestID != "" {
			e.RequestID = obj.RequestID
		}
		e.Param = obj.Param
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
