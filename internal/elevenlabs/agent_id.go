package elevenlabs

import (
	"fmt"
	"unicode"
)

// MaxAgentIDLength bounds an agent id. Ids are opaque (CONTRACT.md,
// "Conventions": "agent_" plus 28 characters, older ones 20); the bound only
// keeps a hostile list answer or a pasted blob out of URLs and messages.
const MaxAgentIDLength = 128

// The reasons CheckAgentID gives.
const (
	AgentIDEmpty      = "empty"
	AgentIDWhitespace = "whitespace"
	AgentIDPathChar   = "path character"
	AgentIDControl    = "control character"
	AgentIDDotSegment = "dot segment"
	AgentIDTooLong    = "too long"
)

// AgentIDError says why a string cannot be an agent id.
type AgentIDError struct {
	ID string
	// Reason is one of the AgentID* constants.
	Reason string
	// Char is the offending '/', '?' or '#' when Reason is AgentIDPathChar.
	Char rune
}

func (e *AgentIDError) Error() string {
	switch e.Reason {
	case AgentIDEmpty:
		return "the agent id is empty"
	case AgentIDPathChar:
		return fmt.Sprintf("agent id %q contains %q", e.ID, e.Char)
	case AgentIDControl:
		return fmt.Sprintf("agent id %q contains a control character", e.ID)
	case AgentIDDotSegment:
		return fmt.Sprintf("agent id %q is a path dot segment", e.ID)
	case AgentIDTooLong:
		return fmt.Sprintf("agent id %q is longer than %d bytes", truncate(e.ID, 32), MaxAgentIDLength)
	}
	return fmt.Sprintf("agent id %q contains whitespace", e.ID)
}

// CheckAgentID reports, as an *AgentIDError, why id cannot be sent as one
// segment of an API path (/v1/convai/agents/{agent_id}): empty, whitespace,
// '/', '?', '#', a control character, "." or ".." (which address another URL
// once a server or proxy resolves them), or longer than MaxAgentIDLength. It
// is the one rule for ids a user gives and ids the API lists.
func CheckAgentID(id string) error {
	switch {
	case id == "":
		return &AgentIDError{ID: id, Reason: AgentIDEmpty}
	case len(id) > MaxAgentIDLength:
		return &AgentIDError{ID: id, Reason: AgentIDTooLong}
	case id == "." || id == "..":
		return &AgentIDError{ID: id, Reason: AgentIDDotSegment}
	}
	for _, r := range id {
		switch {
		case unicode.IsSpace(r):
			return &AgentIDError{ID: id, Reason: AgentIDWhitespace}
		case r == '/' || r == '?' || r == '#':
			return &AgentIDError{ID: id, Reason: AgentIDPathChar, Char: r}
		case !unicode.IsPrint(r):
			return &AgentIDError{ID: id, Reason: AgentIDControl}
		}
	}
	return nil
}
