package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// TestAccCLI_signedURLNeverPersists mints signed URLs in a plan and an apply,
// hands one to a provisioner, and then reads every file and output the CLI made:
// no signature, signed URL or API key may appear in the state, the saved plan,
// `show -json`, the CLI output or a TF_LOG=trace log.
func TestAccCLI_signedURLNeverPersists(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("secret keeper")
	e.fake.SetAuth(id, fakeAuth(true, false))
	w.write(fmt.Sprintf(`
ephemeral "elevenlabs_signed_url" "support" {
  agent_id = %q
}

resource "elevenlabs_agent_auth" "support" {
  agent_id    = %q
  enable_auth = true
}

resource "terraform_data" "handoff" {
  input = "once"
  provisioner "local-exec" {
    command = "printf '%%s|%%s' \"$SIGNED_URL\" \"$EXPIRES_AT\" > handoff.txt"
    environment = {
      SIGNED_URL = ephemeral.elevenlabs_signed_url.support.signed_url
      EXPIRES_AT = ephemeral.elevenlabs_signed_url.support.expires_at
    }
  }
}
`, id, id))

	outputs := w.runTraced(nil)

	// The provisioner got a working URL and its expiry.
	parts := strings.SplitN(w.read("handoff.txt"), "|", 2)
	if len(parts) != 2 || !strings.HasPrefix(parts[0], "ws://") || !strings.Contains(parts[0], "conversation_signature=") || parts[1] == "" {
		t.Fatalf("the provisioner did not receive the signed URL and expiry: %q", parts)
	}
	if code, _, err := e.connect(parts[0], ""); err != nil || code != connected {
		t.Errorf("the handed-off URL does not open a conversation: %d %v", code, err)
	}

	sigs := e.fake.Signatures()
	if len(sigs) < 3 {
		t.Fatalf("expected a signed URL minted in each plan and apply, the fake minted %d", len(sigs))
	}
	f := &secretFinder{t: t, secrets: map[string]string{testAPIKey: "API key", parts[0]: "signed URL"}}
	for _, s := range sigs {
		f.secrets[s] = "conversation signature " + s[:4] + "…"
	}
	w.checkEverywhere(f, outputs, "elevenlabs_signed_url", "ElevenLabs API request")
}

// TestAccCLI_conversationTokenNeverPersists is the signed-URL probe for the
// WebRTC conversation token: minted once in each plan and each apply, handed to
// a provisioner, and found in none of the state, the saved plans, `show -json`,
// the CLI output or a TF_LOG=trace log.
func TestAccCLI_conversationTokenNeverPersists(t *testing.T) {
	requireCLI(t, featureEphemeral)
	e := newTestEnv(t)
	w := newCLIWorkspace(t, e)
	id := e.agent("token keeper")
	e.fake.SetAuth(id, fakeAuth(true, false))
	w.write(fmt.Sprintf(`
ephemeral "elevenlabs_conversation_token" "support" {
  agent_id         = %q
  participant_name = "ci"
}

resource "terraform_data" "handoff" {
  input = "once"
  provisioner "local-exec" {
    command = "printf '%%s|%%s|%%s' \"$TOKEN\" \"$CONVERSATION_ID\" \"$EXPIRES_AT\" > handoff.txt"
    environment = {
      TOKEN           = ephemeral.elevenlabs_conversation_token.support.token
      CONVERSATION_ID = ephemeral.elevenlabs_conversation_token.support.conversation_id
      EXPIRES_AT      = ephemeral.elevenlabs_conversation_token.support.expires_at
    }
  }
}
`, id))

	outputs := w.runTraced(func(i int, args []string) {
		// One GET per open, and one open per plan or apply.
		if n := e.fake.Count("GET", fakeapi.RouteConversationToken); n != i+1 {
			t.Errorf("after %v the token endpoint was called %d times, want %d", args, n, i+1)
		}
	})

	// The provisioner got a working token, its conversation and its expiry.
	parts := strings.SplitN(w.read("handoff.txt"), "|", 3)
	if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		t.Fatalf("the provisioner did not receive the token, conversation id and expiry: %q", parts)
	}
	if claims, reason := e.fake.JoinWebRTC(parts[0], id); reason != "" || claims.ConversationID != parts[1] {
		t.Errorf("the handed-off token does not join its conversation: %q", reason)
	}

	tokens := e.fake.Tokens()
	if len(tokens) < 3 {
		t.Fatalf("expected a token minted in each plan and apply, the fake minted %d", len(tokens))
	}
	f := &secretFinder{t: t, secrets: map[string]string{testAPIKey: "API key"}}
	for i, tok := range tokens {
		f.secrets[tok] = fmt.Sprintf("conversation token #%d", i+1)
		if segs := strings.Split(tok, "."); len(segs) == 3 {
			f.secrets[segs[2]] = fmt.Sprintf("signature of conversation token #%d", i+1)
		}
	}
	w.checkEverywhere(f, outputs, "elevenlabs_conversation_token", "ElevenLabs API response headers and body")
}
