package provider

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/fakeapi"
)

// The test environment: a fake API (internal/fakeapi) per test, the provider
// pointed at it, and what the tests plant on the fake first.

// testAPIKey is the API key the fake accepts; every leak check looks for it.
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
	fake := fakeapi.New(fakeapi.WithAPIKey(testAPIKey))
	clock := fake.Clock()
	clock.Set(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
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

// hostileTokenEnv is a testEnv whose API answers the token endpoint with body.
func hostileTokenEnv(t *testing.T, body string) *testEnv {
	e := newTestEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != fakeapi.RouteConversationToken {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// jwtWithClaims is a JWT-shaped token (unsigned) with the given claims JSON.
func jwtWithClaims(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(claims)) + ".c2lnbmF0dXJl"
}

// seedModes plants one agent per auth mode plus the odd cases, and returns
// the expected agents entries keyed by agent id.
func (e *testEnv) seedModes(t *testing.T) map[string]map[string]knownvalue.Check {
	t.Helper()
	created := e.clock.Now().UTC().Format(time.RFC3339)
	strs := func(ss ...string) knownvalue.Check {
		l := make([]knownvalue.Check, len(ss))
		for i, s := range ss {
			l[i] = knownvalue.StringExact(s)
		}
		return knownvalue.ListExact(l)
	}
	want := map[string]map[string]knownvalue.Check{}
	add := func(spec fakeapi.AgentSpec, enable bool, hosts []string, requireOrigin bool, mode string) string {
		id := e.fake.CreateAgentWith(spec)
		tags := spec.Tags
		if tags == nil {
			tags = []string{}
		}
		want[id] = map[string]knownvalue.Check{
			"agent_id":              knownvalue.StringExact(id),
			"name":                  knownvalue.StringExact(spec.Name),
			"tags":                  strs(tags...),
			"archived":              knownvalue.Bool(spec.Archived),
			"created_at":            knownvalue.StringExact(created),
			"enable_auth":           knownvalue.Bool(enable),
			"allowlist":             strs(hosts...),
			"require_origin_header": knownvalue.Bool(requireOrigin),
			"auth_mode":             knownvalue.StringExact(mode),
			"adoption_blocker":      knownvalue.Null(),
		}
		return id
	}
	add(fakeapi.AgentSpec{Name: "Public demo", Tags: []string{"demo", "eu"}}, false, nil, false, "public")
	add(fakeapi.AgentSpec{Name: "Mobile app", Auth: fakeAuth(true, false)}, true, nil, false, "signed_url")
	// Unsorted, with a duplicate: listed sorted, each once.
	add(fakeapi.AgentSpec{Name: "Widget", Auth: fakeAuth(false, true, "b.example.com", "a.example.com", "b.example.com")},
		false, []string{"a.example.com", "b.example.com"}, true, "allowlist")
	both := add(fakeapi.AgentSpec{Name: "Both on", Auth: fakeAuth(true, false, "c.example.com")},
		true, []string{"c.example.com"}, false, "conflicting")
	want[both]["adoption_blocker"] = knownvalue.StringExact("both methods are on (enable_auth and an allowlist), which the resource refuses: choose one")
	// No auth block at all is unknown, never the API defaults (public): its
	// settings are null and the adoption blocker says why.
	noAuth := add(fakeapi.AgentSpec{Name: "Bare"}, false, nil, false, "unknown")
	e.fake.SetAuth(noAuth, nil)
	for _, k := range []string{"enable_auth", "allowlist", "require_origin_header"} {
		want[noAuth][k] = knownvalue.Null()
	}
	want[noAuth]["adoption_blocker"] = knownvalue.StringExact("its auth settings cannot be read from the API's answer " +
		"(platform_settings has no auth), so there is nothing to mirror: read the agent again later, or check it in the ElevenLabs dashboard")
	// Archived agents are listed only with archived = true.
	e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Old", Archived: true})
	return want
}

// seedAudit plants two public agents, one whose auth settings cannot be read
// (its GET answer has no platform_settings.auth) and three protected ones,
// and returns "name (id) is mode" of the three unprotected ones, as the audit
// examples name them, and the ids of the protected ones.
func (e *testEnv) seedAudit() (unprotected, protected []string) {
	for _, name := range []string{"Public demo", "Forgotten test bot"} {
		id := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: name})
		unprotected = append(unprotected, fmt.Sprintf("%s (%s) is public", name, id))
	}
	glitch := e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Glitch", Auth: fakeAuth(true, false)})
	e.fake.SetAuth(glitch, nil)
	unprotected = append(unprotected, fmt.Sprintf("Glitch (%s) is unknown", glitch))
	protected = append(protected,
		e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Mobile", Auth: fakeAuth(true, false)}),
		e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Widget", Auth: fakeAuth(false, true, "www.example.com")}),
		e.fake.CreateAgentWith(fakeapi.AgentSpec{Name: "Both", Auth: fakeAuth(true, false, "x.example.com")}),
	)
	return unprotected, protected
}

// auditIDOf is the agent id in a "name (id) is mode" entry of seedAudit.
func auditIDOf(entry string) string {
	return entry[strings.LastIndex(entry, "(")+1 : strings.LastIndex(entry, ")")]
}

// HCL builders: the configurations the tests hand to the CLI.

// res and agentsDS are the addresses the HCL builders below declare.
const res = "elevenlabs_agent_auth.test"

const agentsDS = "data.elevenlabs_agents.all"

// config is the provider block followed by body.
func (e *testEnv) config(body string, args ...any) string {
	return e.providerBlock() + fmt.Sprintf(body, args...)
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

// agentsConfig declares one signed-URL elevenlabs_agent_auth per agent.
func agentsConfig(ids []string) string {
	var b strings.Builder
	for i, id := range ids {
		fmt.Fprintf(&b, "resource \"elevenlabs_agent_auth\" \"a%d\" {\n  agent_id    = %q\n  enable_auth = true\n}\n", i, id)
	}
	return b.String()
}

// faultConfig is the provider block with providerExtra attribute lines and
// elevenlabs_agent_auth.test in signed-URL mode for agent id.
func (e *testEnv) faultConfig(id string, providerExtra string) string {
	return e.providerBlockWith(providerExtra) + signedModeResource(id)
}

// echoEphemeral declares the ephemeral resource kind (elevenlabs_signed_url or
// elevenlabs_conversation_token) as <kind>.test for agentID, with extra
// attribute lines, and hands its result to the echo provider, whose state
// (echoAttr, echoData) is the only place a test can read it from.
func (e *testEnv) echoEphemeral(kind, agentID, extra string) string {
	return e.config(`
ephemeral %q "test" {
  agent_id = %q
  %s
}
provider "echo" {
  data = ephemeral.%s.test
}
resource "echo" "test" {}
`, kind, agentID, extra, kind)
}

// Reading what the CLI reports: the echo provider's state and error text.

// echoData is the path of key in the ephemeral result echo.test holds.
func echoData(key string) tfjsonpath.Path { return tfjsonpath.New("data").AtMapKey(key) }

// echoAttr reads key of the ephemeral result from echo.test in the state.
func echoAttr(s *terraform.State, key string) (string, error) {
	r, ok := s.RootModule().Resources["echo.test"]
	if !ok {
		return "", fmt.Errorf("echo.test not in state")
	}
	v, ok := r.Primary.Attributes["data."+key]
	if !ok {
		return "", fmt.Errorf("echo.test has no data.%s: %v", key, r.Primary.Attributes)
	}
	return v, nil
}

// msgRE matches the given text in CLI output, whatever the line wrapping.
func msgRE(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}
