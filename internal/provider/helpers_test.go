package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

const testAPIKey = "xi_test_key_5f1c0e7d9a2b4c6e"

// testEnv is one fake ElevenLabs API and a provider pointed at it.
type testEnv struct {
	t     *testing.T
	fake  *fakeapi.Server
	url   string
	clock *fakeapi.Clock
}

// newTestEnv starts a fake API with its own clock; the provider shares the clock.
func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	clock := fakeapi.NewClock(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	fake := fakeapi.New(fakeapi.WithAPIKey(testAPIKey), fakeapi.WithClock(clock))
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, fake: fake, url: srv.URL, clock: clock}
}

// factories serves the provider in-process (and the echo provider for ephemeral tests).
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	p := NewWithOptions("test", Options{Now: e.clock.Now, RetryWaitMin: time.Millisecond, RetryWaitMax: 20 * time.Millisecond})
	return map[string]func() (tfprotov6.ProviderServer, error){
		"elevenlabs": providerserver.NewProtocol6WithError(p()),
		"echo":       echoprovider.NewProviderServer(),
	}
}

// providerBlock configures the provider for the fake.
func (e *testEnv) providerBlock() string { return e.providerBlockWith("") }

// providerBlockWith is providerBlock with extra attribute lines.
func (e *testEnv) providerBlockWith(extra string) string {
	return fmt.Sprintf(`
provider "elevenlabs" {
  api_key  = %q
  base_url = %q
  %s
}
`, testAPIKey, e.url, extra)
}

// signedModeResource is elevenlabs_agent_auth.test in signed-URL mode.
func signedModeResource(agentID string) string {
	return fmt.Sprintf(`
resource "elevenlabs_agent_auth" "test" {
  agent_id    = %q
  enable_auth = true
}
`, agentID)
}

// allowlistResource is elevenlabs_agent_auth.test with an allowlist.
func allowlistResource(agentID string, hosts ...string) string {
	quoted := make([]string, len(hosts))
	for i, h := range hosts {
		quoted[i] = strconv.Quote(h)
	}
	return fmt.Sprintf(`
resource "elevenlabs_agent_auth" "test" {
  agent_id  = %q
  allowlist = [%s]
}
`, agentID, strings.Join(quoted, ", "))
}

// config is the provider block followed by body.
func (e *testEnv) config(body string, args ...any) string {
	return e.providerBlock() + fmt.Sprintf(body, args...)
}

// agent creates an agent on the fake, out of band.
func (e *testEnv) agent(name string) string {
	return e.fake.CreateAgent(name)
}

// clearEnv unsets the provider's environment variables for one test.
func clearEnv(t *testing.T) {
	for _, k := range []string{EnvAPIKey, EnvBaseURL} {
		if v, ok := os.LookupEnv(k); ok {
			t.Setenv(k, v)
			os.Unsetenv(k)
		}
	}
}
