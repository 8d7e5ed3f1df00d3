package elevenlabs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Agent is the part of GET /v1/convai/agents/{agent_id} that the provider
// reads: the agent's id and platform_settings.auth. Nothing else of the answer
// is modelled (name, tags, metadata, conversation_config, ...: the list's
// summaries carry the name and tags the provider shows), so that a member of
// an unexpected type that the provider never uses cannot fail a refresh.
type Agent struct {
	AgentID          string            `json:"agent_id"`
	PlatformSettings *PlatformSettings `json:"platform_settings,omitempty"`

	// authProblem says why platform_settings.auth cannot be read from the
	// answer ("platform_settings.auth is missing"); "" when it can. Auth
	// reports it.
	authProblem string
}

// PlatformSettings holds the platform_settings key the provider reads. Other keys
// (call_limits, widget, evaluation, ...) are not modelled: the provider never reads or sends them.
type PlatformSettings struct {
	Auth *AuthSettings `json:"auth,omitempty"`
}

// authFields are the members of platform_settings.auth the provider reads.
// The SDK's AuthSettings makes each optional with a default (false, [],
// false), and a missing one reads as that default; present, each must have
// its type, and null is refused: the API's model never answers null for them
// (CONTRACT.md, "Auth settings").
var authFields = []field{
	{name: "enable_auth", kind: kindBool, optional: true},
	{name: "allowlist", kind: kindArray, optional: true},
	{name: "require_origin_header", kind: kindBool, optional: true},
}

// UnmarshalJSON decodes an agent. The top-level members decode as usual (a
// wrong type fails the answer); platform_settings.auth is read strictly and
// apart: an answer without it, or with it in another shape (not an object,
// a field null or of the wrong type), still decodes, with Auth reporting
// what is wrong, so that a caller can name the agent instead of failing on
// the whole answer or, worse, reading it as the API defaults. It is read
// under its exact name, as the official SDKs read it (decodeChecked).
func (a *Agent) UnmarshalJSON(b []byte) error {
	type plain Agent // Agent's fields without this method
	var w struct {
		plain
		// Shadows plain's, so that the usual decoding leaves it alone.
		PlatformSettings json.RawMessage `json:"platform_settings"`
	}
	if describeJSON(b) == "null" {
		*a = Agent{authProblem: "the answer is null, not an agent"}
		return nil
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	_ = json.Unmarshal(b, &members) // an object: it decoded into w
	*a = Agent(w.plain)
	a.PlatformSettings, a.authProblem = readPlatformSettings(members["platform_settings"])
	return nil
}

// readPlatformSettings reads platform_settings.auth strictly; problem says
// why it cannot be read, "" when it can.
func readPlatformSettings(raw json.RawMessage) (ps *PlatformSettings, problem string) {
	if len(raw) == 0 {
		return nil, "the answer has no platform_settings"
	}
	members, problem := objectMembers(raw, "platform_settings")
	if problem != "" {
		return nil, problem
	}
	ps = &PlatformSettings{}
	authRaw, ok := members["auth"]
	if !ok {
		return ps, "platform_settings has no auth"
	}
	auth, problem := objectMembers(authRaw, "platform_settings.auth")
	if problem == "" {
		problem = checkFields(auth, "platform_settings.auth.", authFields)
	}
	if problem != "" {
		return ps, problem
	}
	ps.Auth = &AuthSettings{}
	if err := decodeChecked(auth, authFields, ps.Auth); err != nil { // checked above; entries are lenient
		ps.Auth = nil
		return ps, "platform_settings.auth is not the documented object"
	}
	return ps, ""
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

// Auth returns the agent's auth settings, or an *UnreadableAuthError when the
// answer carries none that can be read: platform_settings or its auth missing,
// null or not an object, or enable_auth, allowlist or require_origin_header
// null or of the wrong type. Such an answer is never read as the API
// defaults, which would make the agent look public. A field missing from an
// auth object reads as its documented default.
func (a *Agent) Auth() (AuthSettings, error) {
	switch {
	case a == nil:
		return AuthSettings{}, &UnreadableAuthError{Problem: "no answer"}
	case a.authProblem != "":
		return AuthSettings{}, &UnreadableAuthError{AgentID: a.AgentID, Problem: a.authProblem}
	case a.PlatformSettings == nil || a.PlatformSettings.Auth == nil: // an Agent built in code
		return AuthSettings{}, &UnreadableAuthError{AgentID: a.AgentID, Problem: "platform_settings has no auth"}
	}
	return *a.PlatformSettings.Auth, nil
}

// UnreadableAuthError is an answer about an agent whose auth settings cannot
// be read (Agent.Auth).
type UnreadableAuthError struct {
	AgentID string
	// Problem says what is missing or wrong, e.g. "platform_settings has no
	// auth" or "platform_settings.auth.enable_auth is a string, not a boolean".
	Problem string
}

func (e *UnreadableAuthError) Error() string {
	return "the auth settings of agent " + e.AgentID + " cannot be read from the API's answer: " + e.Problem
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
// (the API merges partially). An answer whose auth settings cannot be read
// (Agent.Auth: none, null, or of another shape) is an error: it cannot
// confirm that the change was saved.
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
	if _, err := a.Auth(); err != nil {
		var ue *UnreadableAuthError
		errors.As(err, &ue)
		return nil, &NoAuthAnswerError{Method: http.MethodPatch, Path: p, Problem: ue.Problem}
	}
	c.maskMalformed(&a)
	return &a, nil
}

// NoAuthAnswerError is a 2xx answer to an auth change whose auth settings
// cannot be read: the API documents the full agent after the change, so
// whether the change was saved is unknown.
type NoAuthAnswerError struct {
	Method, Path string
	// Problem says what the answer lacks (Agent.Auth).
	Problem string
}

func (e *NoAuthAnswerError) Error() string {
	return fmt.Sprintf("ElevenLabs API: %s %s succeeded but answered without auth settings (%s), so the provider "+
		"cannot confirm that the change was saved and reports it as not done. Run the command again; if this repeats, "+
		"check that the base URL points at the ElevenLabs API", e.Method, e.Path, e.Problem)
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
