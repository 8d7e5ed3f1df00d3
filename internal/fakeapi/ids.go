package fakeapi

import (
	"crypto/rand"
	"encoding/base64"
)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// randomID returns n random characters from [a-z0-9].
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

// newAgentID returns an id shaped like the real ones: "agent_" and 28
// lowercase letters and digits.
func newAgentID() string { return "agent_" + randomID(28) }

func newConversationID() string { return "conv_" + randomID(28) }

func newRequestID() string { return "req_" + randomID(24) }

// newSignature returns an opaque, URL-safe conversation signature.
func newSignature() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
