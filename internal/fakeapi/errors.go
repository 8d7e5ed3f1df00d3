package fakeapi

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// ValidationIssue is one entry of a 422 body's "detail" array, in the shape
// of the contract's ValidationError: loc, msg, type.
type ValidationIssue struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// Error codes the fake answers with in the object form of "detail".
const (
	CodeNeedsAuthorization = "needs_authorization"
	CodeInvalidAPIKey      = "invalid_api_key"
	CodeMissingPermissions = "missing_permissions"
	CodeAgentNotFound      = "agent_not_found"

	ReasonSignatureRequired = "signature_required"
	ReasonSignatureInvalid  = "signature_invalid"
	ReasonSignatureExpired  = "signature_expired"
	ReasonSignatureUsed     = "signature_used"
	ReasonOriginRequired    = "origin_required"
	ReasonOriginNotAllowed  = "origin_not_allowed"
)

// loc builds a ValidationIssue location from its parts.
func loc(parts ...any) []any { return parts }

// appendLoc returns a new location: base followed by more.
func appendLoc(base []any, more ...any) []any {
	out := make([]any, 0, len(base)+len(more))
	out = append(out, base...)
	return append(out, more...)
}

// marshalJSON is json.Marshal without HTML escaping, so URLs keep a plain
// "&" (as a Python server would send them).
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		http.Error(w, `{"detail":"Internal Server Error"}`, http.StatusInternalServerError)
		return
	}
	writeRawJSON(w, status, b)
}

func writeRawJSON(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// appErrorDetail is the object form of "detail". status and code carry the
// same value; request_id repeats the request-id header.
func appErrorDetail(code, message, requestID string) map[string]any {
	return map[string]any{
		"status":     code,
		"code":       code,
		"message":    message,
		"request_id": requestID,
	}
}

// writeAppError writes {"detail":{"status":code,"code":code,"message":...,"request_id":...}}.
func writeAppError(w http.ResponseWriter, status int, code, message, requestID string) {
	writeJSON(w, status, map[string]any{"detail": appErrorDetail(code, message, requestID)})
}

// writeValidation writes a 422 with the array form of "detail".
func writeValidation(w http.ResponseWriter, issues []ValidationIssue) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": issues})
}

// writeStringDetail writes {"detail":"..."} (the plain string form).
func writeStringDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]any{"detail": detail})
}
