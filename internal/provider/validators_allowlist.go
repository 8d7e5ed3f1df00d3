package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/hostname"
)

// allowlistEntriesValidator checks each known allowlist entry.
func allowlistEntriesValidator() validator.Set {
	return setvalidator.ValueStringsAre(hostnameValidator)
}

// allowlistEntryProblem is hostname.Validate as a diagnostic detail, with a
// hint when the rules derive no fix; "" when the entry is valid.
func allowlistEntryProblem(entry string) string {
	err := hostname.Validate(entry)
	if err == nil {
		return ""
	}
	var ee *hostname.EntryError
	if errors.As(err, &ee) && ee.Suggestion == "" {
		return err.Error() + ". Each entry is a host or host:port as the browser sends it in the Origin header, e.g. app.example.com or localhost:3000."
	}
	return err.Error() + "."
}

// hostnameValidator checks one allowlist entry: an error for an entry no
// Origin can match, a warning for an entry with a default port (it matches
// only the other scheme).
var hostnameValidator validator.String = allowlistEntryValidator{}

type allowlistEntryValidator struct{}

func (allowlistEntryValidator) Description(context.Context) string {
	return "must be a lower-case host or host:port exactly as the browser's Origin host (punycode for internationalised names), without scheme, path or wildcard"
}

func (v allowlistEntryValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (allowlistEntryValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	entry := req.ConfigValue.ValueString()
	if problem := allowlistEntryProblem(entry); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid allowlist hostname", problem)
		return
	}
	if w := hostname.DefaultPortWarning(entry); w != "" {
		resp.Diagnostics.AddAttributeWarning(req.Path, "Allowlist hostname with a default port", w)
	}
}

// allowlistSizeValidator enforces the documented limit of entries per agent.
type allowlistSizeValidator struct{}

func (allowlistSizeValidator) Description(context.Context) string {
	return fmt.Sprintf("must contain at most %d hostnames", maxAllowlist)
}

func (v allowlistSizeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (allowlistSizeValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := len(req.ConfigValue.Elements()); n > maxAllowlist {
		resp.Diagnostics.AddAttributeError(req.Path, "Too many allowlist hostnames",
			fmt.Sprintf("The allowlist has %d hostnames; ElevenLabs accepts at most %d per agent. Remove %d, or use "+
				"enable_auth = true (signed URLs) when more origins must reach the agent.", n, maxAllowlist, n-maxAllowlist))
	}
}
