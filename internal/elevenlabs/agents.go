package elevenlabs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Agent is the part of GET /v1/convai/agents/{agent_id} that the provider reads.
type Agent struct {
	AgentID            string            `json:"agent_id"`
	Name               string            `json:"name"`
	ConversationConfig json.RawMessage   `json:"conversation_config,omitempty"`
	Metadata           *AgentMetadata    `json:"metadata,omitempty"`
	PlatformSettings   *PlatformSettings `json:"platform_settings,omitempty"`
	Tags               []string          `json:"tags,omitempty"`
}

// AgentMetadata carries the agent's timestamps.
type AgentMetadata struct {
	CreatedAtUnixSecs int64 `json:"created_at_unix_secs"`
	UpdatedAtUnixSecs int64 `json:"updated_at_unix_secs"`
}

// PlatformSettings holds the platform_settings keys the provider knows. Other keys
// (widget, evaluation, ...) are not modelled: the provider never reads or sends them.
type PlatformSettings struct {
	Auth       *AuthSettings `json:"auth,omitempty"`
	CallLimits *CallLimits   `json:"call_limits,omitempty"`
}

// CallLimits is platform_settings.call_limits.
type CallLimits struct {
	AgentConcurrencyLimit int64 `json:"agent_concurrency_limit"`
	DailyLimit            int64 `json:"daily_limit"`
	BurstingEnabled       bool  `json:"bursting_enabled"`
}

// AuthSettings is platform_settings.auth as the API returns it. shareable_token is
// deliberately absent: it is a server-set secret that is never sent or stored (the
// client only learns its value, to mask it wherever it is echoed: secrets.go).
type AuthSettings struct {
	EnableAuth          bool            `json:"enable_auth"`
	Allowlist           []AllowlistItem `json:"allowlist"`
	RequireOriginHeader bool            `json:"require_origin_header"`
}

// AllowlistItem is one allowlist entry.
type AllowlistItem struct {
	Hostname string `json:"hostname"`
	// Malformed is set, instead of Hostname, for an entry of an API answer that
	// is not {"hostname": string} (a bare string, a number, null, an object
	// without a string hostname): its JSON text, shortened and with secrets
	// masked, for the caller to report. It is never sent.
	Malformed string `json:"-"`
}

// maxMalformed bounds how much of a malformed allowlist entry is kept.
const maxMalformed = 80

// UnmarshalJSON accepts {"hostname": string} (other members are ignored). Any
// other entry does not fail the whole answer: it is kept in Malformed.
func (it *AllowlistItem) UnmarshalJSON(b []byte) error {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) == nil && obj != nil {
		var h string
		if raw, ok := obj["hostname"]; ok && json.Unmarshal(raw, &h) == nil && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			*it = AllowlistItem{Hostname: h}
			return nil
		}
	}
	*it = AllowlistItem{Malformed: string(b)} // masked and shortened by maskMalformed
	return nil
}

// Auth returns the agent's auth settings; a missing block reads as the API defaults.
func (a *Agent) Auth() AuthSettings {
	if a == nil || a.PlatformSettings == nil || a.PlatformSettings.Auth == nil {
		return AuthSettings{}
	}
	return *a.PlatformSettings.Auth
}

// AuthUpdate is a partial update of platform_settings.auth: nil fields are not sent.
// A non-nil Allowlist is always sent as an array (an empty one clears the list),
// never as null, which the API would treat as wiping the value.
type AuthUpdate struct {
	EnableAuth          *bool
	Allowlist           *[]AllowlistItem
	RequireOriginHeader *bool
}

// MarshalJSON encodes only the fields that are set.
func (u AuthUpdate) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if u.EnableAuth != nil {
		m["enable_auth"] = *u.EnableAuth
	}
	if u.Allowlist != nil {
		list := *u.Allowlist
		if list == nil {
			list = []AllowlistItem{}
		}
		m["allowlist"] = list
	}
	if u.RequireOriginHeader != nil {
		m["require_origin_header"] = *u.RequireOriginHeader
	}
	return json.Marshal(m)
}

type authPatchBody struct {
	PlatformSettings struct {
		Auth AuthUpdate `json:"auth"`
	} `json:"platform_settings"`
}

// GetAgent reads one agent: GET /v1/convai/agents/{agent_id}.
func (c *Client) GetAgent(ctx context.Context, agentID string) (*Agent, error) {
	var a Agent
	if err := c.do(ctx, http.MethodGet, agentPath(agentID), nil, nil, &a); err != nil {
		return nil, err
	}
	if err := c.sameAgent(http.MethodGet, agentID, &a); err != nil {
		return nil, err
	}
	c.maskMalformed(&a)
	return &a, nil
}

// sameAgent checks that an answer about agent id is about that agent: one
// without agent_id gets id; one naming another agent is an error (that id is
// masked and shortened: the server chose it).
func (c *Client) sameAgent(method, id string, a *Agent) error {
	switch a.AgentID {
	case "":
		a.AgentID = id
	case id:
	default:
		return fmt.Errorf("ElevenLabs API: %s %s answered with another agent, %q; its answer is not used", method,
			agentPath(id), truncate(c.mask(a.AgentID), MaxAgentIDLength))
	}
	return nil
}

// UpdateAgentAuth sends one PATCH with only platform_settings.auth and returns the
// agent as the API answers after the change. Other keys are left as they are
// (the API merges partially). An answer without platform_settings.auth (or a
// null body) is an error: it cannot confirm that the change was saved.
func (c *Client) UpdateAgentAuth(ctx context.Context, agentID string, u AuthUpdate) (*Agent, error) {
	var body authPatchBody
	body.PlatformSettings.Auth = u
	var a Agent
	p := agentPath(agentID)
	if err := c.do(ctx, http.MethodPatch, p, nil, body, &a); err != nil {
		return nil, err
	}
	if err := c.sameAgent(http.MethodPatch, agentID, &a); err != nil {
		return nil, err
	}
	if a.PlatformSettings == nil || a.PlatformSettings.Auth == nil {
		return nil, &NoAuthAnswerError{Method: http.MethodPatch, Path: p}
	}
	c.maskMalformed(&a)
	return &a, nil
}

// NoAuthAnswerError is a 2xx answer to an auth change that carries no
// platform_settings.auth: the API documents the full agent after the change, so
// whether the change was saved is unknown.
type NoAuthAnswerError struct{ Method, Path string }

func (e *NoAuthAnswerError) Error() string {
	return fmt.Sprintf("ElevenLabs API: %s %s succeeded but answered without auth settings (no platform_settings.auth "+
		"in the answer), so the provider cannot confirm that the change was saved and reports it as not done. "+
		"Run the command again; if this repeats, check that the base URL points at the ElevenLabs API", e.Method, e.Path)
}

// maskMalformed masks secrets in malformed allowlist entries, then shortens them.
func (c *Client) maskMalformed(a *Agent) {
	if a.PlatformSettings == nil || a.PlatformSettings.Auth == nil {
		return
	}
	for i, it := range a.PlatformSettings.Auth.Allowlist {
		if it.Malformed != "" {
			a.PlatformSettings.Auth.Allowlist[i].Malformed = truncate(c.mask(it.Malformed), maxMalformed)
		}
	}
}

func agentPath(id string) string { return "/v1/convai/agents/" + id }
