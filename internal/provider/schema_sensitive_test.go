package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestCredentialsAreSensitive reads the schema the CLI receives: every
// attribute that holds a credential is Sensitive there, so the CLI never
// shows it (a provisioner's environment, an output, a plan diff).
func TestCredentialsAreSensitive(t *testing.T) {
	resp, err := providerserver.NewProtocol6(New("test")())().GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Fatalf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	sensitive := func(s *tfprotov6.Schema, name string) (found, sens bool) {
		if s == nil || s.Block == nil {
			return false, false
		}
		for _, a := range s.Block.Attributes {
			if a.Name == name {
				return true, a.Sensitive
			}
		}
		return false, false
	}
	for _, tc := range []struct {
		where  string
		schema *tfprotov6.Schema
		attr   string
	}{
		{"ephemeral elevenlabs_signed_url", resp.EphemeralResourceSchemas["elevenlabs_signed_url"], "signed_url"},
		{"ephemeral elevenlabs_conversation_token", resp.EphemeralResourceSchemas["elevenlabs_conversation_token"], "token"},
		{"provider", resp.Provider, "api_key"},
	} {
		found, sens := sensitive(tc.schema, tc.attr)
		if !found {
			t.Errorf("%s has no attribute %s", tc.where, tc.attr)
		} else if !sens {
			t.Errorf("%s: %s is not Sensitive", tc.where, tc.attr)
		}
	}
}
