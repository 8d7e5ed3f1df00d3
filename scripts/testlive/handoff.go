package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// The local-exec hand-off: the CLI runs this binary again with
// TESTLIVE_HANDOFF set and the provider's credential in its environment; it
// writes what it found (never the credential) to TESTLIVE_HANDOFF_OUT.
const (
	envHandoff    = "TESTLIVE_HANDOFF"
	envHandoffOut = "TESTLIVE_HANDOFF_OUT"
)

// handoffResult is the hand-off file.
type handoffResult struct {
	Mode  string       `json:"mode"`
	Start *startResult `json:"start,omitempty"`
	// Token mode: facts about the token, never the token.
	JWT            bool     `json:"jwt,omitempty"`
	ClaimNames     []string `json:"claim_names,omitempty"`
	Exp            int64    `json:"exp,omitempty"`
	ConversationID string   `json:"conversation_id,omitempty"`
	ExpiresAt      string   `json:"expires_at,omitempty"`
	Err            string   `json:"error,omitempty"`
}

func handoffMain(mode string) int {
	res := handoffResult{Mode: mode}
	switch mode {
	case "signed-url":
		u := os.Getenv("ELEVENLABS_SIGNED_URL")
		if u == "" {
			res.Err = "no ELEVENLABS_SIGNED_URL"
			break
		}
		s := startConversation(context.Background(), u, "", "")
		res.Start = &s
	case "token":
		claims, err := elevenlabs.TokenClaims(os.Getenv("ELEVENLABS_CONVERSATION_TOKEN"))
		if err != nil {
			res.Err = "not a JWT: " + err.Error()
			break
		}
		res.JWT, res.ClaimNames = true, claimNames(claims)
		if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
			res.Exp = exp.Unix()
		}
		res.ConversationID = os.Getenv("ELEVENLABS_CONVERSATION_ID")
		res.ExpiresAt = os.Getenv("ELEVENLABS_CONVERSATION_TOKEN_EXPIRES_AT")
	default:
		res.Err = "unknown hand-off mode " + mode
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(os.Getenv(envHandoffOut), b, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "testlive hand-off:", err)
		return 1
	}
	return 0
}

// claimNames lists a token's claim names, sorted.
func claimNames(claims map[string]any) []string {
	names := make([]string, 0, len(claims))
	for k := range claims {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
