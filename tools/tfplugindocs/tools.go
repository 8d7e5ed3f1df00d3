//go:build tools

// Package tfplugindocs pins the terraform-plugin-docs generator used by `make docs`
// and `make docs-check`. Build it with `make tfplugindocs`; the binary lands in
// bin/ (ignored by git).
package tfplugindocs

import _ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
