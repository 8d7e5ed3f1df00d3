//go:build tools

// Package opentofu pins the OpenTofu CLI used by the acceptance tests and the demo.
// Build it with `make tofu`; the binary lands in bin/ (ignored by git).
package opentofu

import _ "github.com/opentofu/opentofu/cmd/tofu"
