package provider

import "github.com/hashicorp/terraform-plugin-framework/schema/validator"

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
