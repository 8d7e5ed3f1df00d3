//go:build tools

// Package golangcilint pins golangci-lint used by `make lint`. Build it with
// `make golangci-lint`; the binary lands in bin/ (ignored by git).
package golangcilint

import _ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
