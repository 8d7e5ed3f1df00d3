package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/convclient"
	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// connected is the status of a conversation start the fake accepted: the
// WebSocket upgrade (101) followed by conversation_initiation_metadata.
const connected = http.StatusSwitchingProtocols

// connect starts a conversation on the fake with a signed URL (or an unsigned
// conversation URL) as the official client does: a WebSocket handshake with
// the convai subprotocol, then conversation_initiation_client_data, waiting
// for conversation_initiation_metadata. It returns connected, or the HTTP
// status and detail.status of the refusal.
func (e *testEnv) connect(rawURL, origin string) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conv, err := convclient.Start(ctx, rawURL, convclient.Options{Origin: origin})
	var refused *convclient.Refused
	if errors.As(err, &refused) {
		return refused.Status, refused.Reason, nil
	}
	if err != nil {
		return 0, "", err
	}
	return connected, "", conv.Close()
}

// connectAs checks what the fake's conversation-start endpoint answers a client
// opening url (a signed URL, or none) with the given Origin ("" for none).
func (e *testEnv) connectAs(url, origin string, wantStatus int, wantReason string) error {
	code, reason, err := e.connect(url, origin)
	if err != nil {
		return err
	}
	if code != wantStatus || reason != wantReason {
		return fmt.Errorf("connect to %s with Origin %q: %d %q, want %d %q", strings.SplitN(url, "?", 2)[0], origin, code, reason, wantStatus, wantReason)
	}
	return nil
}

// expectConnect is connectAs for an unsigned connection to the agent, as a check.
func (e *testEnv) expectConnect(agentID, origin string, wantStatus int, wantReason string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		return e.connectAs("ws"+strings.TrimPrefix(e.url, "http")+"/v1/convai/conversation?agent_id="+agentID, origin, wantStatus, wantReason)
	}
}

// TestAccAgentAuth_settingsTakeEffect proves through the fake's conversation-start
// endpoint that each mode the resource applies does what it says.
func TestAccAgentAuth_settingsTakeEffect(t *testing.T) {
	e := newTestEnv(t)
	id := e.agent("effect")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					// Public before Terraform touches it.
					if err := e.expectConnect(id, "https://anyone.example.org", connected, "")(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = %q
  allowlist = ["app.example.com", "localhost:3000"]
}`, id),
				Check: resource.ComposeTestCheckFunc(
					e.expectConnect(id, "https://app.example.com", connected, ""),
					e.expectConnect(id, "http://localhost:3000", connected, ""),
					e.expectConnect(id, "http://localhost:3001", 403, fakeapi.ReasonOriginNotAllowed),
					e.expectConnect(id, "https://evil.example.net", 403, fakeapi.ReasonOriginNotAllowed),
					e.expectConnect(id, "", connected, ""), // no Origin header: allowed until require_origin_header
				),
			},
			{
				Config: e.config(`
resource "elevenlabs_agent_auth" "test" {
  agent_id              = %q
  allowlist             = ["app.example.com"]
  require_origin_header = true
}`, id),
				Check: resource.ComposeTestCheckFunc(
					e.expectConnect(id, "https://app.example.com", connected, ""),
					e.expectConnect(id, "", 403, fakeapi.ReasonOriginRequired),
				),
			},
			{
				Config: e.providerBlock() + signedModeResource(id),
				Check: resource.ComposeTestCheckFunc(
					e.expectConnect(id, "", 403, fakeapi.ReasonSignatureRequired),
					e.expectConnect(id, "https://app.example.com", 403, fakeapi.ReasonSignatureRequired),
				),
			},
			{
				Config:  e.providerBlock() + signedModeResource(id),
				Destroy: true,
				Check:   e.expectConnect(id, "https://anyone.example.org", connected, ""),
			},
		},
	})
}
