package elevenlabs

import (
	"fmt"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// An answer that repeats the API key. The strings a server chooses reach the
// user's screen and state unmasked: agent names and tags, allowlist
// hostnames in warnings, conversation_id. Masking cannot reach them there
// (the state must hold what the API says), so the one place to stop a key
// echoed into one of them is the client, before any answer is decoded: a 2xx
// answer whose body holds the API key, in any form internal/redact knows, is
// refused as a whole (do). No legitimate answer carries the key. Only the key:
// a minted token, a signature or a shareable_token is in its own answer by
// design, and a proxy password may be a common word.

// MinCheckedKey is the shortest API key that answers are checked for: no
// real key is shorter (ElevenLabs keys are 51 characters), and a short one
// would match ordinary text (the bound of the secrets a client learns).
const MinCheckedKey = redact.MinLearned

// newKeyFinder returns the finder of the API key's forms, or nil for a key
// shorter than MinCheckedKey.
func newKeyFinder(apiKey string) *redact.Finder {
	if len(apiKey) < MinCheckedKey {
		return nil
	}
	return redact.NewFinder(apiKey)
}

// EchoedKeyError is a 2xx answer whose body holds the API key: it is not used.
type EchoedKeyError struct {
	Method, Path string
	Status       int
}

func (e *EchoedKeyError) Error() string {
	return fmt.Sprintf("ElevenLabs API: %s %s returned %d with an answer that holds the API key (%s), which no "+
		"ElevenLabs answer carries: the whole answer is refused and nothing in it is used. Check that base_url "+
		"(or ELEVENLABS_BASE_URL) points at the ElevenLabs API itself, and that no proxy between them (HTTPS_PROXY) "+
		"rewrites answers", e.Method, e.Path, e.Status, redact.Mask)
}
