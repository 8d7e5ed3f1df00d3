package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The harness of the validator unit tests (validators_*_test.go and
// resource_agent_auth_validate_test.go): run a validator, compare diagText.

// diagText renders diagnostics as "severity|summary|detail" lines.
func diagText(ds diag.Diagnostics) string {
	var lines []string
	for _, d := range ds {
		lines = append(lines, d.Severity().String()+"|"+d.Summary()+"|"+d.Detail())
	}
	return strings.Join(lines, "\n")
}

// runString runs the string validator v on value at path x and returns its
// diagnostics as diagText.
func runString(v validator.String, value types.String) string {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: value}, resp)
	return diagText(resp.Diagnostics)
}
