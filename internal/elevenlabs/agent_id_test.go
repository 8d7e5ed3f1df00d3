package elevenlabs

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckAgentID(t *testing.T) {
	for _, tc := range []struct {
		id, reason, msg string
	}{
		{"agent_3701k3ttaq12ewp8b7qv5rfyszkz", "", ""},
		{"J3Pbu5gP6NNKBscdCdwB", "", ""},
		{"...", "", ""}, // not a dot segment: one opaque segment
		{strings.Repeat("a", MaxAgentIDLength), "", ""},
		{"", AgentIDEmpty, "the agent id is empty"},
		{"agent x", AgentIDWhitespace, `agent id "agent x" contains whitespace`},
		{"agent_x\u00a0", AgentIDWhitespace, `agent id "agent_x\u00a0" contains whitespace`},
		{"a/b", AgentIDPathChar, `agent id "a/b" contains '/'`},
		{"a?b", AgentIDPathChar, `agent id "a?b" contains '?'`},
		{"a#b", AgentIDPathChar, `agent id "a#b" contains '#'`},
		{"a\x00b", AgentIDControl, `agent id "a\x00b" contains a control character`},
		{".", AgentIDDotSegment, `agent id "." is a path dot segment`},
		{"..", AgentIDDotSegment, `agent id ".." is a path dot segment`},
		{strings.Repeat("a", MaxAgentIDLength+1), AgentIDTooLong, `agent id "` + strings.Repeat("a", 32) + `…" is longer than 128 bytes`},
	} {
		err := CheckAgentID(tc.id)
		var e *AgentIDError
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("%q: %v", tc.id, err)
		case tc.reason != "" && (!errors.As(err, &e) || e.Reason != tc.reason || err.Error() != tc.msg):
			t.Errorf("%q: got %v (%+v), want %s: %s", tc.id, err, e, tc.reason, tc.msg)
		}
	}
}
