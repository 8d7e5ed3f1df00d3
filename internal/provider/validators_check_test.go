package provider

import (
	"context"
	"errors"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// stringCheck calls its check on known values only and reports a failure
// under its summary, at the attribute's path.
func TestStringCheck(t *testing.T) {
	var checked []string
	v := stringCheck{
		description: "must not be bad",
		summary:     "Invalid thing",
		check: func(s string) error {
			checked = append(checked, s)
			if s == "bad" {
				return errors.New(`"bad" is bad; use "good"`)
			}
			return nil
		},
	}
	if got := v.Description(context.Background()); got != "must not be bad" {
		t.Errorf("Description = %q", got)
	}
	if got := v.MarkdownDescription(context.Background()); got != "must not be bad" {
		t.Errorf("MarkdownDescription = %q", got)
	}

	for _, tc := range []struct {
		value types.String
		want  string
	}{
		{types.StringValue("good"), ""},
		{types.StringValue("bad"), `Error|Invalid thing|"bad" is bad; use "good"`},
		{types.StringNull(), ""},
		{types.StringUnknown(), ""},
	} {
		if got := runString(v, tc.value); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.value, got, tc.want)
		}
	}
	if want := []string{"good", "bad"}; len(checked) != 2 || checked[0] != want[0] || checked[1] != want[1] {
		t.Errorf("check called with %q, want %q (never for null or unknown)", checked, want)
	}

	at := path.Root("agent_id")
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: at, ConfigValue: types.StringValue("bad")}, resp)
	if len(resp.Diagnostics) != 1 {
		t.Fatalf("diagnostics: %v", resp.Diagnostics)
	}
	if d, ok := resp.Diagnostics[0].(diag.DiagnosticWithPath); !ok || !d.Path().Equal(at) {
		t.Errorf("the error is not at %s: %#v", at, resp.Diagnostics[0])
	}
}
