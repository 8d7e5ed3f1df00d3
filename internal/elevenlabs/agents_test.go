package elevenlabs

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestAnswerAboutAnotherAgentIsRefused: a GET or PATCH of one agent answered
// with another agent's id is an error, never that agent's settings taken for
// the one asked about; the id the server chose is masked (an echoed secret)
// and bounded. An answer without agent_id is the agent asked about.
func TestAnswerAboutAnotherAgentIsRefused(t *testing.T) {
	const auth = `"platform_settings":{"auth":{"enable_auth":true,"allowlist":[],"require_origin_header":false}}`
	for name, tc := range map[string]struct{ answeredID, want string }{
		"another agent": {"agent_other", `answered with another agent, "agent_other"; its answer is not used`},
		"a secret":      {otherSecret, `answered with another agent, "***"`},
		"a huge id":     {strings.Repeat("x", 100000), `answered with another agent, "` + strings.Repeat("x", MaxAgentIDLength) + `…"`},
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"agent_id":"`+tc.answeredID+`",`+auth+`}`)
			}), withOtherSecret)
			enable := true
			_, getErr := c.GetAgent(context.Background(), "agent_asked")
			_, patchErr := c.UpdateAgentAuth(context.Background(), "agent_asked", AuthUpdate{EnableAuth: &enable})
			for method, err := range map[string]error{"GET": getErr, "PATCH": patchErr} {
				if err == nil || !strings.Contains(err.Error(), method+" /v1/convai/agents/agent_asked "+tc.want) {
					t.Errorf("%s: err = %.300v", method, err)
					continue
				}
				if strings.Contains(err.Error(), otherSecret) || len(err.Error()) > 400 {
					t.Errorf("%s: error of %d bytes leaks the secret or is unbounded: %.300s", method, len(err.Error()), err)
				}
			}
		})
	}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{`+auth+`}`)
	}))
	a, err := c.GetAgent(context.Background(), "agent_asked")
	if err != nil || a.AgentID != "agent_asked" {
		t.Fatalf("answer without agent_id: %+v, %v", a, err)
	}
	if auth, err := a.Auth(); err != nil || !auth.EnableAuth {
		t.Errorf("answer without agent_id: auth %+v, %v", auth, err)
	}
}

// TestFieldsNothingReadsDoNotFailAnAnswer: an agent's answer is decoded for
// agent_id and platform_settings.auth only; a member the provider never reads
// (name, tags, metadata, conversation_config, ...) of an unexpected type fails
// neither a GET nor a PATCH, so a refresh never fails over data it does not use.
func TestFieldsNothingReadsDoNotFailAnAnswer(t *testing.T) {
	const auth = `"platform_settings":{"auth":{"enable_auth":true,"allowlist":[],"require_origin_header":false},"widget":7}`
	for name, member := range map[string]string{
		"name":                `"name":42`,
		"tags":                `"tags":"prod"`,
		"tags of numbers":     `"tags":[1,2]`,
		"metadata":            `"metadata":[]`,
		"metadata timestamps": `"metadata":{"created_at_unix_secs":"yesterday","updated_at_unix_secs":1.5}`,
		"conversation_config": `"conversation_config":"none"`,
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"agent_id":"agent_1",`+member+`,`+auth+`}`)
			}))
			enable := true
			got, getErr := c.GetAgent(context.Background(), "agent_1")
			patched, patchErr := c.UpdateAgentAuth(context.Background(), "agent_1", AuthUpdate{EnableAuth: &enable})
			for method, r := range map[string]struct {
				a   *Agent
				err error
			}{"GET": {got, getErr}, "PATCH": {patched, patchErr}} {
				if r.err != nil {
					t.Errorf("%s: %v", method, r.err)
					continue
				}
				if auth, err := r.a.Auth(); err != nil || !auth.EnableAuth || r.a.AgentID != "agent_1" {
					t.Errorf("%s: agent %s, auth %+v, %v", method, r.a.AgentID, auth, err)
				}
			}
		})
	}
}
