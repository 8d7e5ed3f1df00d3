//go:build tools

// Package goreleaser pins GoReleaser used by `make release-check` (and by a
// release job). Build it with `make goreleaser`; the binary lands in bin/
// (ignored by git).
package goreleaser

import _ "github.com/goreleaser/goreleaser/v2"
