package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/clirun"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// The local-exec hand-off: the CLI runs this binary again with
// TESTLIVE_HANDOFF set and the provider's credential in its environment; it
// checks the credential and writes what it found (never the credential) to
// TESTLIVE_HANDOFF_OUT.
const (
	envHandoff    = "TESTLIVE_HANDOFF"
	envHandoffOut = "TESTLIVE_HANDOFF_OUT"
)

// handoffResult is the hand-off file: what the check found, or why it failed.
type handoffResult struct {
	Found string `json:"found,omitempty"`
	Err   string `json:"error,omitempty"`
}

func handoffMain(mode string) int {
	var res handoffResult
	found, err := handoff(mode)
	if res.Found = found; err != nil {
		res.Err = err.Error()
	}
	b, _ := json.Marshal(res)
	if err := os.WriteFile(os.Getenv(envHandoffOut), b, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "testlive hand-off:", err)
		return 1
	}
	return 0
}

// handoff checks the credential of the hand-off's mode: a signed URL starts a
// conversation; a conversation token is a JWT whose exp is the expires_at the
// provider reported, with a conversation id.
func handoff(mode string) (string, error) {
	switch mode {
	case "signed-url":
		u := os.Getenv("ELEVENLABS_SIGNED_URL")
		if u == "" {
			return "", errors.New("no ELEVENLABS_SIGNED_URL")
		}
		s := startConversation(context.Background(), u, "", "")
		if !s.ok {
			return "", fmt.Errorf("the local-exec hand-off could not start a conversation with the provider's signed URL: %s", s)
		}
		return "conversation " + s.String(), nil
	case "token":
		claims, err := elevenlabs.TokenClaims(os.Getenv("ELEVENLABS_CONVERSATION_TOKEN"))
		if err != nil {
			return "", fmt.Errorf("the provider's token is not a JWT: %v", err)
		}
		if os.Getenv("ELEVENLABS_CONVERSATION_ID") == "" {
			return "", errors.New("the provider answered no conversation_id")
		}
		expiresAt := os.Getenv("ELEVENLABS_CONVERSATION_TOKEN_EXPIRES_AT")
		if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
			if at, err := time.Parse(time.RFC3339, expiresAt); err != nil || at.Unix() != exp.Unix() {
				return "", fmt.Errorf("expires_at %q is not the token's exp claim %d", expiresAt, exp.Unix())
			}
		}
		return fmt.Sprintf("JWT with claims %s; expires_at %s", strings.Join(slices.Sorted(maps.Keys(claims)), ", "), expiresAt), nil
	}
	return "", fmt.Errorf("unknown hand-off mode %s", mode)
}

// handedOff reads what the hand-off in w found.
func handedOff(w *clirun.Workspace) (string, error) {
	b, err := os.ReadFile(filepath.Join(w.Dir, "handoff.json"))
	if err != nil {
		return "", fmt.Errorf("the local-exec hand-off did not run: %v", err)
	}
	var h handoffResult
	if err := json.Unmarshal(b, &h); err != nil {
		return "", err
	}
	if h.Err != "" {
		return "", errors.New(h.Err)
	}
	return h.Found, nil
}
