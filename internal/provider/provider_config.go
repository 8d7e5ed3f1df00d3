package provider

import (
	"time"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// Environment variables the provider reads when an attribute is not set.
const (
	EnvAPIKey  = "ELEVENLABS_API_KEY"
	EnvBaseURL = "ELEVENLABS_BASE_URL"
)

// Defaults and limits of the provider attributes. The defaults are the client's
// (internal/elevenlabs), defined there once; the provider names them for its schema.
const (
	defaultMaxRetries       = elevenlabs.DefaultMaxRetries
	maxRequestTimeout       = 10 * time.Minute
	maxMaxRetries           = 10
	defaultRateLimitTimeout = elevenlabs.DefaultRateLimitTimeout
	maxRateLimitTimeout     = time.Hour
)

// defaultRequestTimeout is elevenlabs.DefaultRequestTimeout as the attribute writes it.
var defaultRequestTimeout = elevenlabs.DefaultRequestTimeout.String()
