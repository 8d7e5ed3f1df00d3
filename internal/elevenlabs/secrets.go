package elevenlabs

import (
	"net/url"
	"os"
	"strings"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// Masking by value: every error of the client and every line of the HTTP log
// masks each secret the client knows (internal/redact): the API key and the
// proxy credentials, pinned by New, and each credential an answer carries,
// learned as the client reads it.

// credentialMembers are the JSON members of the API's answers that carry a
// credential: a signed URL, a conversation token, an agent's shareable_token
// (CONTRACT.md, "Signed URLs", "Conversation tokens", "Auth settings").
var credentialMembers = []string{"signed_url", "token", "shareable_token", "conversation_signature"}

// learn adds the credentials a 2xx answer carries to the known secrets.
func (c *Client) learn(body []byte) { c.known.LearnMembers(body, credentialMembers...) }

// mask removes every known secret, in every form, and whatever the name rules
// of internal/redact mask, from s.
func (c *Client) mask(s string) string { return c.known.String(s) }

// learnSignedURL adds a signed URL and its conversation_signature, decoded.
func (c *Client) learnSignedURL(signed string) {
	c.known.Add(signed)
	if u, err := url.Parse(signed); err == nil {
		c.known.Add(u.Query()["conversation_signature"]...)
	}
}

// learnToken adds a conversation token and, when it is a JWT, its signature
// segment (what makes the token usable, and echoed alone by some servers).
func (c *Client) learnToken(token string) {
	c.known.Add(token)
	if strings.Count(token, ".") == 2 {
		c.known.Add(token[strings.LastIndexByte(token, '.')+1:])
	}
}

// proxyEnv are the variables net/http reads the proxy from (ALL_PROXY too,
// which other tools honour and may share credentials with).
var proxyEnv = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}

// ProxyCredentials returns the credentials in the proxy environment variables,
// as the user wrote them and decoded: with a password, the password and
// user:password (the username alone is an identity, and masking a short name
// everywhere would mask ordinary words); without one, the username, which is
// then the credential (a proxy token).
func ProxyCredentials() []string {
	var out []string
	for _, name := range proxyEnv {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if !strings.Contains(v, "://") {
			v = "http://" + v // as net/http reads a proxy without a scheme
		}
		_, raw, _, ok := redact.UserInfo(v)
		if !ok {
			continue
		}
		user, pass, hasPass := strings.Cut(raw, ":")
		decUser, errU := url.PathUnescape(user)
		decPass, errP := url.PathUnescape(pass)
		if errU != nil || errP != nil {
			decUser, decPass = user, pass
		}
		if hasPass && pass != "" {
			out = append(out, raw, pass, decUser+":"+decPass, decPass)
		} else {
			out = append(out, user, decUser)
		}
	}
	return out
}
