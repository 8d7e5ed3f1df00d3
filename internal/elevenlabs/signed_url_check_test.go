package elevenlabs

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckSignedURL: only a URL a client can use safely passes, an API host
// other than the configured one is reported, and every refusal names the
// problem and shows the URL with its signature and anything else that could
// be a credential masked.
func TestCheckSignedURL(t *testing.T) {
	const sig = "c2lnbmF0dXJlX3ZhbHVlX2Zvcl90ZXN0cw"
	const q = "?agent_id=agent_1&conversation_signature=" + sig
	for _, tc := range []struct {
		base, url string
		other     bool   // OtherHost, when accepted
		problem   string // the refusal, "" when accepted
		shown     string
	}{
		{base: "https://api.elevenlabs.io", url: "wss://api.elevenlabs.io/v1/convai/conversation" + q},
		{base: "https://api.elevenlabs.io", url: "WSS://API.ElevenLabs.io./v1/convai/conversation" + q},
		{base: "https://api.elevenlabs.io", url: "wss://api.elevenlabs.io:443/v1/convai/conversation?conversation_signature=" + sig},
		{base: "https://proxy.example.com/el", url: "wss://proxy.example.com/el/v1/convai/conversation" + q},
		{base: "https://proxy.example.com/el", url: "wss://api.elevenlabs.io/v1/convai/conversation" + q},
		{base: "https://proxy.example.com/el", url: "wss://api.eu.residency.elevenlabs.io/v1/convai/conversation" + q},
		{base: "https://proxy.example.com/el", url: "wss://elevenlabs.io.example.com/v1/convai/conversation" + q, other: true},
		{base: "https://api.elevenlabs.io", url: "wss://conversations.example.com/v1/convai/conversation" + q, other: true},
		{base: "http://127.0.0.1:8080", url: "ws://127.0.0.1:8080/v1/convai/conversation" + q},
		{base: "http://localhost:8080", url: "wss://127.0.0.1:8443/v1/convai/conversation" + q, other: true},
		// Refused.
		{base: "https://api.elevenlabs.io", url: "ws://api.elevenlabs.io/v1/convai/conversation" + q,
			problem: "uses ws: the signature would travel in clear text", shown: "ws://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&conversation_signature=***"},
		{base: "http://127.0.0.1:8080", url: "ws://conversations.example.com/v1/convai/conversation" + q,
			problem: "uses ws to a host that is not loopback"},
		{base: "https://api.elevenlabs.io", url: "https://api.elevenlabs.io/v1/convai/conversation" + q,
			problem: `uses the scheme "https": only wss is accepted`},
		{base: "https://api.elevenlabs.io", url: "javascript:alert('" + sig + "')",
			problem: `uses the scheme "javascript"`, shown: "javascript:***"},
		{base: "https://api.elevenlabs.io", url: "wss:///v1/convai/conversation" + q, problem: "has no host"},
		{base: "https://api.elevenlabs.io", url: "wss://user:" + sig + "@api.elevenlabs.io/v1/convai/conversation" + q,
			problem: "carries user info", shown: "wss://***@api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&conversation_signature=***"},
		{base: "https://api.elevenlabs.io", url: "wss://api.elevenlabs.io/v1/convai/conversation" + q + "#" + sig, problem: "carries a fragment"},
		{base: "https://api.elevenlabs.io", url: "wss://api.elevenlabs.io/v1/convai/other/" + sig + q,
			problem: "is not on the conversation path /v1/convai/conversation", shown: "wss://api.elevenlabs.io/v1/convai/other/***?agent_id=agent_1&conversation_signature=***"},
		{base: "https://api.elevenlabs.io", url: "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&sig=" + sig + "&" + sig,
			problem: "has no conversation_signature parameter", shown: "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&sig=***&***"},
		{base: "https://api.elevenlabs.io", url: "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&conversation_signature=",
			problem: "has an empty or repeated conversation_signature"},
		{base: "https://api.elevenlabs.io", url: "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_2&conversation_signature=" + sig,
			problem: "is not for agent agent_1", shown: "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=***&conversation_signature=***"},
		{base: "https://api.elevenlabs.io", url: "wss://api.elevenlabs.io/%zz" + sig, problem: "is not a URL", shown: "(61 characters, not shown: it may hold a credential)"},
		// An answer of megabytes is not repeated whole in a message; a host
		// no DNS name can be is no place to hand a credential to.
		{base: "https://api.elevenlabs.io", url: "https://api.elevenlabs.io/v1/convai/conversation" + q + strings.Repeat("&a", 100000),
			problem: `uses the scheme "https"`, shown: ("https://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_1&conversation_signature=***" +
				strings.Repeat("&a", 500))[:maxShownURL] + "…"},
		{base: "https://api.elevenlabs.io", url: "wss://" + strings.Repeat("a", 250) + ".example/v1/convai/conversation" + q,
			problem: "has a host name longer than the 253 characters a DNS name can have"},
	} {
		c, err := New(Config{BaseURL: tc.base, APIKey: testKey})
		if err != nil {
			t.Fatal(err)
		}
		check, err := c.CheckSignedURL(tc.url, "agent_1")
		var se *SignedURLError
		switch {
		case tc.problem == "" && err != nil:
			t.Errorf("%s (base %s) refused: %v", tc.url, tc.base, err)
		case tc.problem == "" && check.OtherHost != tc.other:
			t.Errorf("%s (base %s): OtherHost %v, want %v", tc.url, tc.base, check.OtherHost, tc.other)
		case tc.problem == "":
		case !errors.As(err, &se):
			t.Errorf("%s (base %s): got %v, want a *SignedURLError", tc.url, tc.base, err)
		case !strings.Contains(se.Problem, tc.problem):
			t.Errorf("%s: problem %q, want %q", tc.url, se.Problem, tc.problem)
		case tc.shown != "" && se.Shown != tc.shown:
			t.Errorf("%s: shown as %q, want %q", tc.url, se.Shown, tc.shown)
		case strings.Contains(err.Error(), sig):
			t.Errorf("%s: the error repeats the signature: %v", tc.url, err)
		}
	}
}

// TestCheckSignedURLHostMasked: the other host a warning names is the
// server's choice: a secret echoed into it is masked there too.
func TestCheckSignedURLHostMasked(t *testing.T) {
	c, err := New(Config{BaseURL: "https://api.elevenlabs.io", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	check, err := c.CheckSignedURL("wss://"+testKey+".example.com/v1/convai/conversation?conversation_signature=s", "agent_1")
	if err != nil || !check.OtherHost || check.Host != "***.example.com" || check.BaseHost != "api.elevenlabs.io" {
		t.Errorf("check %+v, err %v; want the other host ***.example.com", check, err)
	}
}
