package provider

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/redact"
)

// baseURLValidator checks base_url at validate time, when it is known.
var baseURLValidator validator.String = stringCheck{
	description: "must be an https URL, or http to a loopback host",
	summary:     "Invalid API base URL",
	check:       checkBaseURL,
}

// durationValidator checks request_timeout at validate time, when it is known.
var durationValidator validator.String = stringCheck{
	description: "must be a Go duration above 0 and at most 10m",
	summary:     "Invalid request timeout",
	check:       func(s string) error { _, err := parseRequestTimeout(s); return err },
}

// rateLimitTimeoutValidator checks rate_limit_timeout at validate time, when it is known.
var rateLimitTimeoutValidator validator.String = stringCheck{
	description: "must be a Go duration above 0 and at most 1h",
	summary:     "Invalid rate-limit timeout",
	check:       func(s string) error { _, err := parseRateLimitTimeout(s); return err },
}

// checkBaseURL reports why raw cannot be the API base URL, or nil. Plain http is
// accepted only for loopback hosts (elevenlabs.IsLoopbackHost): anywhere else the
// API key would cross the network in clear text. A message shows raw with its
// user info masked (redact.URL): it may hold a password.
func checkBaseURL(raw string) error {
	shown := redact.URL(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute http(s) URL; use the API root, for example %s", shown, elevenlabs.DefaultBaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q must not carry user info, a query or a fragment; use the API root, for example %s", shown, elevenlabs.DefaultBaseURL)
	}
	if u.Scheme == "http" && !elevenlabs.IsLoopbackHost(u.Hostname()) {
		return fmt.Errorf("%q uses plain http to a host that is not loopback: the API key would travel in clear text. Use https, or http only for a local fake on 127.0.0.1, ::1 or localhost", shown)
	}
	if strings.HasSuffix(u.Path, "/v1") || strings.HasSuffix(u.Path, "/v1/") {
		return fmt.Errorf("%q ends in /v1: give the API root without the version, for example %s", shown, elevenlabs.DefaultBaseURL)
	}
	return nil
}

// parseRequestTimeout reads the request_timeout attribute.
func parseRequestTimeout(s string) (time.Duration, error) { return parseDuration(s, maxRequestTimeout) }

// parseRateLimitTimeout reads the rate_limit_timeout attribute.
func parseRateLimitTimeout(s string) (time.Duration, error) {
	return parseDuration(s, maxRateLimitTimeout)
}

// parseDuration reads a duration attribute: a Go duration above 0 and at most upTo.
func parseDuration(s string, upTo time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration; write it like \"30s\" or \"2m\"", s)
	}
	if d <= 0 || d > upTo {
		return 0, fmt.Errorf("%q is out of range: use a duration above 0 and at most %s", s, upTo)
	}
	return d, nil
}
