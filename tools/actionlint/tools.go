//go:build tools

// Package actionlint pins actionlint, the linter for the GitHub workflows under
// .github/workflows (they cannot run here, so CI lints them instead). Build it with
// `make actionlint`; the binary lands in bin/ (ignored by git).
package actionlint

import _ "github.com/rhysd/actionlint/cmd/actionlint"
