package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestAgentIDValidator(t *testing.T) {
	const ex = "agent ids look like agent_3701k3ttaq12ewp8b7qv5rfyszkz"
	for _, tc := range []struct{ in, want string }{
		{"agent_3701k3ttaq12ewp8b7qv5rfyszkz", ""},
		{"J3Pbu5gP6NNKBscdCdwB", ""},
		{"agent_x", ""},
		{"", "Error|Invalid agent id|the agent id is empty; copy it from the agent's settings page or the API, e.g. agent_3701k3ttaq12ewp8b7qv5rfyszkz"},
		{"agent x", `Error|Invalid agent id|agent id "agent x" contains whitespace; remove it (` + ex + `)`},
		{"agent_x\n", `Error|Invalid agent id|agent id "agent_x\n" contains whitespace; remove it (` + ex + `)`},
		{"agents/agent_x", `Error|Invalid agent id|agent id "agents/agent_x" contains '/'; give the bare id, not a URL or path (` + ex + `)`},
		{"agent_x?x=1", `Error|Invalid agent id|agent id "agent_x?x=1" contains '?'; give the bare id, not a URL or path (` + ex + `)`},
		{"agent_x#top", `Error|Invalid agent id|agent id "agent_x#top" contains '#'; give the bare id, not a URL or path (` + ex + `)`},
		{"agent\x00x", `Error|Invalid agent id|agent id "agent\x00x" contains a control character; remove it`},
		{"..", `Error|Invalid agent id|agent id ".." is a path dot segment; give the bare id, not a URL or path (` + ex + `)`},
		{strings.Repeat("x", 129), `Error|Invalid agent id|agent id "` + strings.Repeat("x", 32) + `…" is longer than 128 bytes; give the bare id, not a URL or path (` + ex + `)`},
	} {
		if got := runString(agentIDValidator, types.StringValue(tc.in)); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		if got := runString(agentIDValidator, v); got != "" {
			t.Errorf("%s: %s", v, got)
		}
	}
}
