package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/elevenlabs"
)

// providerData is what Configure hands to resources and ephemeral resources.
type providerData struct {
	client     *elevenlabs.Client
	missingKey bool
	now        func() time.Time
}

// Client returns the API client, or adds an error that says how to supply a key.
func (d *providerData) Client(diags *diag.Diagnostics) *elevenlabs.Client {
	if d == nil {
		diags.AddError("Provider not configured",
			"The elevenlabs provider was not configured before it was used. This is a bug in the provider; please report it.")
		return nil
	}
	if d.missingKey {
		diags.AddError("Missing ElevenLabs API key",
			"This operation calls the ElevenLabs API, which needs an API key. Set api_key in the provider \"elevenlabs\" "+
				"block, or the "+EnvAPIKey+" environment variable. The key needs the convai_read and convai_write scopes.")
		return nil
	}
	return d.client
}

// providerDataFrom unpacks the data a resource receives in Configure; nil when
// the provider is not configured yet (validation), which is not an error.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	d, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return d
}
