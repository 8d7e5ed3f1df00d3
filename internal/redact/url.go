package redact

import "strings"

// UserInfo splits a URL as a user wrote it (parsed or not) around its user
// info: before is the text up to and including "://", info the user info,
// after the text from the "@" that ends it. The user info ends at the last
// "@" before any "?" or "#", so a password holding "/", ":" or "@" is taken
// whole. ok is false when raw has no user info.
func UserInfo(raw string) (before, info, after string, ok bool) {
	i := strings.Index(raw, "://")
	if i < 0 {
		return "", "", "", false
	}
	rest := raw[i+3:]
	end := len(rest)
	if j := strings.IndexAny(rest, "?#"); j >= 0 {
		end = j
	}
	at := strings.LastIndexByte(rest[:end], '@')
	if at < 0 {
		return "", "", "", false
	}
	return raw[:i+3], rest[:at], rest[at:], true
}

// URL returns raw, a URL as a user wrote it (base_url, ELEVENLABS_BASE_URL),
// fit to show in a message: its user info masked, even when raw does not
// parse as a URL, and the name rules applied (a token in its query).
func URL(raw string) string {
	if before, _, after, ok := UserInfo(raw); ok {
		raw = before + Mask + after
	}
	return (*Secrets)(nil).String(raw)
}
