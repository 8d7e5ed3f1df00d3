//go:build tools

// Package opentofuoldest pins the oldest OpenTofu the provider claims to support for the
// resource and the provider-defined function (README, "Supported CLI versions"). The
// acceptance suite runs against it too; tests for features this CLI lacks skip by name.
// Build it with `make tofu-oldest`; the binary lands in bin/tofu-oldest (ignored by git).
package opentofuoldest

import _ "github.com/opentofu/opentofu/cmd/tofu"
