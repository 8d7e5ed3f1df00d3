package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// The hostnames the allowlist mode configures, and an origin outside them.
const (
	allowedHost   = "testlive.example.com"
	allowedOrigin = "https://" + allowedHost
	otherOrigin   = "https://not-allowed.example.net"
)

// authConfig is the main configuration: var.mode picks signed URLs or the
// allowlist; in signed-URL mode a local-exec hands the minted URL to this
// binary, which starts a conversation with it.
const authConfig = `
variable "mode" {
  type = string
}

variable "handoff_command" {
  type = string
}

resource "elevenlabs_agent_auth" "this" {
  agent_id              = var.agent_id
  enable_auth           = var.mode == "signed_url"
  allowlist             = var.mode == "signed_url" ? null : ["` + allowedHost + `", "localhost:3000"]
  require_origin_header = var.mode == "allowlist"
}

ephemeral "elevenlabs_signed_url" "this" {
  count      = var.mode == "signed_url" ? 1 : 0
  agent_id   = var.agent_id
  depends_on = [elevenlabs_agent_auth.this]
}

resource "terraform_data" "handoff" {
  count = var.mode == "signed_url" ? 1 : 0
  input = elevenlabs_agent_auth.this.id

  provisioner "local-exec" {
    command = var.handoff_command
    environment = {
      ELEVENLABS_SIGNED_URL = ephemeral.elevenlabs_signed_url.this[0].signed_url
    }
  }
}
`

// tokenConfig mints a conversation token and hands its facts to this binary.
const tokenConfig = `
variable "handoff_command" {
  type = string
}

ephemeral "elevenlabs_conversation_token" "this" {
  agent_id = var.agent_id
}

resource "terraform_data" "handoff" {
  input = var.agent_id

  provisioner "local-exec" {
    command = var.handoff_command
    environment = {
      ELEVENLABS_CONVERSATION_TOKEN            = ephemeral.elevenlabs_conversation_token.this.token
      ELEVENLABS_CONVERSATION_ID               = ephemeral.elevenlabs_conversation_token.this.conversation_id
      ELEVENLABS_CONVERSATION_TOKEN_EXPIRES_AT = coalesce(ephemeral.elevenlabs_conversation_token.this.expires_at, "")
    }
  }
}
`

// agentsConfig reads the fleet data source, narrowed to the throwaway agent.
const agentsConfig = `
variable "agent_name" {
  type = string
}

data "elevenlabs_agents" "mine" {
  search = var.agent_name
}

output "found" {
  value = [for a in data.elevenlabs_agents.mine.agents : a.auth_mode if a.agent_id == var.agent_id]
}
`

func (l *live) handoffCommand(mode string) string {
	return fmt.Sprintf("%s=%s %q", envHandoff, mode, l.self)
}

// lifecycle drives the CLI through everything a user does.
func (l *live) lifecycle(ctx context.Context) {
	w, err := l.workspace("auth", authConfig)
	if err != nil {
		l.step("prepare the configuration", false, err.Error())
		l.broken = true
		return
	}
	w.setenv("TF_VAR_handoff_command=" + l.handoffCommand("signed-url"))
	signed := []string{"-var", "mode=signed_url"}
	allow := []string{"-var", "mode=allowlist"}
	args := func(cmd string, mode []string, extra ...string) []string {
		return append(append([]string{cmd}, mode...), extra...)
	}

	l.run(ctx, "apply, signed-URL mode; a conversation starts with the provider's signed URL", true, func() (string, error) {
		if _, err := w.must(ctx, 0, args("apply", signed, "-auto-approve", "-input=false")...); err != nil {
			return "", err
		}
		if err := l.expectAuth(ctx, true, nil); err != nil {
			return "", err
		}
		h, err := readHandoff(w)
		if err != nil {
			return "", err
		}
		if h.Start == nil || !h.Start.Accepted {
			return "", fmt.Errorf("the local-exec hand-off could not start a conversation with the provider's signed URL: %s %s", h.Start, h.Err)
		}
		return "enable_auth=true on the API; conversation " + h.Start.String(), nil
	})
	l.run(ctx, "plan -detailed-exitcode after apply: no changes", true, func() (string, error) {
		_, err := w.must(ctx, 0, args("plan", signed, "-detailed-exitcode", "-input=false")...)
		return "exit 0", err
	})
	l.run(ctx, "drift: enable_auth turned off through the API; plan finds it, apply repairs it", true, func() (string, error) {
		f := false
		if _, err := l.client.UpdateAgentAuth(ctx, l.agentID, elevenlabs.AuthUpdate{EnableAuth: &f}); err != nil {
			return "", err
		}
		out, err := w.must(ctx, 2, args("plan", signed, "-detailed-exitcode", "-input=false")...)
		if err != nil {
			return "", err
		}
		if !strings.Contains(out, "enable_auth") {
			return "", fmt.Errorf("the plan does not show enable_auth changing:\n%s", clirun.Tail(out, 15))
		}
		if _, err := w.must(ctx, 0, args("apply", signed, "-auto-approve", "-input=false")...); err != nil {
			return "", err
		}
		return "plan exit 2, apply restored enable_auth=true", l.expectAuth(ctx, true, nil)
	})
	l.run(ctx, "elevenlabs_conversation_token: minted through the provider (a JWT)", false, func() (string, error) {
		return l.tokenStep(ctx)
	})
	l.run(ctx, "apply, allowlist mode; the allowed Origin starts a conversation, another is refused", true, func() (string, error) {
		if _, err := w.must(ctx, 0, args("apply", allow, "-auto-approve", "-input=false")...); err != nil {
			return "", err
		}
		if err := l.expectAuth(ctx, false, []string{allowedHost, "localhost:3000"}); err != nil {
			return "", err
		}
		u := conversationURL(l.base, l.agentID)
		ok := startConversation(ctx, u, allowedOrigin, l.cfg.APIKey)
		if !ok.Accepted {
			return "", fmt.Errorf("Origin %s: %s", allowedOrigin, ok)
		}
		bad := startConversation(ctx, u, otherOrigin, l.cfg.APIKey)
		if bad.Accepted {
			return "", fmt.Errorf("Origin %s started a conversation the allowlist forbids (%s)", otherOrigin, bad)
		}
		return fmt.Sprintf("Origin %s: %s; Origin %s: %s", allowedOrigin, ok, otherOrigin, bad), nil
	})
	l.run(ctx, "data source elevenlabs_agents lists the agent in allowlist mode", false, func() (string, error) {
		return l.agentsStep(ctx, "allowlist")
	})
	l.run(ctx, "import: state rm, import by agent id, plan -detailed-exitcode has no changes", true, func() (string, error) {
		if _, err := w.must(ctx, 0, "state", "rm", "elevenlabs_agent_auth.this"); err != nil {
			return "", err
		}
		if _, err := w.must(ctx, 0, args("import", allow, "-input=false", "elevenlabs_agent_auth.this", l.agentID)...); err != nil {
			return "", err
		}
		_, err := w.must(ctx, 0, args("plan", allow, "-detailed-exitcode", "-input=false")...)
		return "imported; plan exit 0", err
	})
	l.run(ctx, "destroy: auth reset to the defaults, the agent kept", true, func() (string, error) {
		if _, err := w.must(ctx, 0, args("destroy", allow, "-auto-approve", "-input=false")...); err != nil {
			return "", err
		}
		if err := l.expectAuth(ctx, false, nil); err != nil {
			return "", err
		}
		return "enable_auth=false, allowlist empty", nil
	})
}

// expectAuth reads the agent through the API and compares its auth.
func (l *live) expectAuth(ctx context.Context, enable bool, allowlist []string) error {
	a, err := l.client.GetAgent(ctx, l.agentID)
	if err != nil {
		return err
	}
	got, err := a.Auth()
	if err != nil {
		return err
	}
	var hosts []string
	for _, h := range got.Allowlist {
		hosts = append(hosts, h.Hostname)
	}
	if got.EnableAuth != enable || strings.Join(hosts, ",") != strings.Join(allowlist, ",") && !sameSet(hosts, allowlist) {
		return fmt.Errorf("the API has enable_auth=%v allowlist=%v, want enable_auth=%v allowlist=%v", got.EnableAuth, hosts, enable, allowlist)
	}
	return nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func readHandoff(w *workspace) (*handoffResult, error) {
	b, err := os.ReadFile(filepath.Join(w.cli.Dir, "handoff.json"))
	if err != nil {
		return nil, fmt.Errorf("the local-exec hand-off did not run: %v", err)
	}
	var h handoffResult
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

func (l *live) tokenStep(ctx context.Context) (string, error) {
	w, err := l.workspace("token", tokenConfig)
	if err != nil {
		return "", err
	}
	w.setenv("TF_VAR_handoff_command=" + l.handoffCommand("token"))
	if _, err := w.must(ctx, 0, "apply", "-auto-approve", "-input=false"); err != nil {
		return "", err
	}
	h, err := readHandoff(w)
	if err != nil {
		return "", err
	}
	if !h.JWT || h.Err != "" {
		return "", fmt.Errorf("the provider's token is not a JWT: %s", h.Err)
	}
	if h.ConversationID == "" {
		return "", fmt.Errorf("the provider answered no conversation_id")
	}
	if h.Exp != 0 {
		at, err := time.Parse(time.RFC3339, h.ExpiresAt)
		if err != nil || at.Unix() != h.Exp {
			return "", fmt.Errorf("expires_at %q is not the token's exp claim %d", h.ExpiresAt, h.Exp)
		}
	}
	return fmt.Sprintf("JWT with claims %s; expires_at %s", strings.Join(h.ClaimNames, ", "), h.ExpiresAt), nil
}

func (l *live) agentsStep(ctx context.Context, wantMode string) (string, error) {
	w, err := l.workspace("agents", agentsConfig)
	if err != nil {
		return "", err
	}
	w.setenv("TF_VAR_agent_name=" + l.name)
	if _, err := w.must(ctx, 0, "apply", "-auto-approve", "-input=false"); err != nil {
		return "", err
	}
	out, err := w.must(ctx, 0, "output", "-json", "found")
	if err != nil {
		return "", err
	}
	var found []string
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		return "", fmt.Errorf("output found is not a list of strings: %v: %s", err, out)
	}
	if len(found) != 1 || found[0] != wantMode {
		return "", fmt.Errorf("elevenlabs_agents with search=%q lists the agent as %v, want once with auth_mode %q", l.name, found, wantMode)
	}
	return "listed once, auth_mode " + wantMode, nil
}
