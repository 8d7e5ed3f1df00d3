package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// The hostname the allowlist mode configures (tf/auth.tf), and an origin
// outside the allowlist.
const (
	allowedHost   = "testlive.example.com"
	allowedOrigin = "https://" + allowedHost
	otherOrigin   = "https://not-allowed.example.net"
)

func (l *live) handoffCommand(mode string) string {
	return fmt.Sprintf("%s=%s %q", envHandoff, mode, l.self)
}

// lifecycle drives the CLI through everything a user does.
func (l *live) lifecycle(ctx context.Context) {
	w, err := l.workspace("auth", "TF_VAR_handoff_command="+l.handoffCommand("signed-url"), "TF_VAR_mode=signed_url")
	if err != nil {
		l.step("prepare the configuration", "FAILED", err.Error())
		l.broken = true
		return
	}
	apply, plan := []string{"apply", "-auto-approve", "-input=false"}, []string{"plan", "-detailed-exitcode", "-input=false"}

	l.run(ctx, "apply, signed-URL mode; a conversation starts with the provider's signed URL", true, func() (string, error) {
		if _, err := must(ctx, w, 0, apply...); err != nil {
			return "", err
		}
		if err := l.expectAuth(ctx, true, nil); err != nil {
			return "", err
		}
		found, err := handedOff(w)
		return "enable_auth=true on the API; " + found, err
	})
	l.run(ctx, "plan -detailed-exitcode after apply: no changes", true, func() (string, error) {
		_, err := must(ctx, w, 0, plan...)
		return "exit 0", err
	})
	l.run(ctx, "drift: enable_auth turned off through the API; plan finds it, apply repairs it", true, func() (string, error) {
		if _, err := l.client.UpdateAgentAuth(ctx, l.agentID, elevenlabs.AuthUpdate{EnableAuth: new(bool)}); err != nil {
			return "", err
		}
		out, err := must(ctx, w, 2, plan...)
		if err != nil {
			return "", err
		}
		if !strings.Contains(out, "enable_auth") {
			return "", fmt.Errorf("the plan does not show enable_auth changing:\n%s", clirun.Tail(out, 15))
		}
		if _, err := must(ctx, w, 0, apply...); err != nil {
			return "", err
		}
		return "plan exit 2, apply restored enable_auth=true", l.expectAuth(ctx, true, nil)
	})
	l.run(ctx, "elevenlabs_conversation_token: minted through the provider (a JWT)", false, func() (string, error) {
		w, err := l.workspace("token", "TF_VAR_handoff_command="+l.handoffCommand("token"))
		if err == nil {
			_, err = must(ctx, w, 0, apply...)
		}
		if err != nil {
			return "", err
		}
		return handedOff(w)
	})
	w.Env = append(w.Env, "TF_VAR_mode=allowlist") // from here on (a later entry wins)
	l.run(ctx, "apply, allowlist mode; the allowed Origin starts a conversation, another is refused", true, func() (string, error) {
		if _, err := must(ctx, w, 0, apply...); err != nil {
			return "", err
		}
		if err := l.expectAuth(ctx, false, []string{allowedHost, "localhost:3000"}); err != nil {
			return "", err
		}
		u := conversationURL(l.base, l.agentID)
		ok := startConversation(ctx, u, allowedOrigin, l.cfg.APIKey)
		if !ok.ok {
			return "", fmt.Errorf("Origin %s: %s", allowedOrigin, ok)
		}
		bad := startConversation(ctx, u, otherOrigin, l.cfg.APIKey)
		if bad.ok {
			return "", fmt.Errorf("Origin %s started a conversation the allowlist forbids (%s)", otherOrigin, bad)
		}
		return fmt.Sprintf("Origin %s: %s; Origin %s: %s", allowedOrigin, ok, otherOrigin, bad), nil
	})
	l.run(ctx, "data source elevenlabs_agents lists the agent in allowlist mode", false, func() (string, error) {
		w, err := l.workspace("agents", "TF_VAR_agent_name="+l.name)
		if err == nil {
			_, err = must(ctx, w, 0, apply...)
		}
		if err != nil {
			return "", err
		}
		out, err := must(ctx, w, 0, "output", "-json", "found")
		var found []string
		if err == nil {
			err = json.Unmarshal([]byte(out), &found)
		}
		if err != nil || len(found) != 1 || found[0] != "allowlist" {
			return "", fmt.Errorf("elevenlabs_agents with search=%q lists the agent as %v (%v), want once with auth_mode allowlist:\n%s", l.name, found, err, clirun.Tail(out, 15))
		}
		return "listed once, auth_mode allowlist", nil
	})
	l.run(ctx, "import: state rm, import by agent id, plan -detailed-exitcode has no changes", true, func() (string, error) {
		if _, err := must(ctx, w, 0, "state", "rm", "elevenlabs_agent_auth.this"); err != nil {
			return "", err
		}
		if _, err := must(ctx, w, 0, "import", "-input=false", "elevenlabs_agent_auth.this", l.agentID); err != nil {
			return "", err
		}
		_, err := must(ctx, w, 0, plan...)
		return "imported; plan exit 0", err
	})
	l.run(ctx, "destroy: auth reset to the defaults, the agent kept", true, func() (string, error) {
		if _, err := must(ctx, w, 0, "destroy", "-auto-approve", "-input=false"); err != nil {
			return "", err
		}
		return "enable_auth=false, allowlist empty", l.expectAuth(ctx, false, nil)
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
	slices.Sort(hosts)
	if want := slices.Sorted(slices.Values(allowlist)); got.EnableAuth != enable || !slices.Equal(hosts, want) {
		return fmt.Errorf("the API has enable_auth=%v allowlist=%v, want enable_auth=%v allowlist=%v", got.EnableAuth, hosts, enable, allowlist)
	}
	return nil
}
