package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/voicegate/terraform-provider-elevenlabs/internal/convclient"
)

// authOf returns the agent's platform_settings.auth as stored by the fake.
func (e *testEnv) authOf(id string) (map[string]any, error) {
	a, ok := e.fake.Agent(id)
	if !ok {
		return nil, fmt.Errorf("agent %s not found on the fake", id)
	}
	ps, _ := a["platform_settings"].(map[string]any)
	auth, _ := ps["auth"].(map[string]any)
	if auth == nil {
		return nil, fmt.Errorf("agent %s has no platform_settings.auth: %v", id, a)
	}
	return auth, nil
}

// fakeAuth is a platform_settings.auth block as the API stores it.
func fakeAuth(enable, requireOrigin bool, hosts ...string) map[string]any {
	list := []any{}
	for _, h := range hosts {
		list = append(list, map[string]any{"hostname": h})
	}
	return map[string]any{"enable_auth": enable, "allowlist": list, "require_origin_header": requireOrigin, "shareable_token": nil}
}

// driftStep plants auth on the fake out of band and expects the refresh plan to
// propose an update of the resource.
func (e *testEnv) driftStep(id, config string, auth map[string]any) resource.TestStep {
	return resource.TestStep{
		PreConfig:          func() { e.fake.SetAuth(id, auth) },
		Config:             config,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction("elevenlabs_agent_auth.test", plancheck.ResourceActionUpdate),
		}},
	}
}

// checkFakeAuth asserts what the fake stores for the agent.
func (e *testEnv) checkFakeAuth(id string, enable bool, hosts []string, requireOrigin bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		auth, err := e.authOf(id)
		if err != nil {
			return err
		}
		got := []string{}
		list, _ := auth["allowlist"].([]any)
		for _, item := range list {
			got = append(got, item.(map[string]any)["hostname"].(string))
		}
		sort.Strings(got)
		want := append([]string{}, hosts...)
		sort.Strings(want)
		if auth["enable_auth"] != enable || auth["require_origin_header"] != requireOrigin || !reflect.DeepEqual(got, want) {
			return fmt.Errorf("fake auth = %v; want enable_auth=%v allowlist=%v require_origin_header=%v", auth, enable, want, requireOrigin)
		}
		return nil
	}
}

// checkSiblingsIntact asserts that every PATCH so far left the agent's other
// settings as the fake created them, and sent nothing but the three auth keys.
func (e *testEnv) checkSiblingsIntact(id string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a, ok := e.fake.Agent(id)
		if !ok {
			return fmt.Errorf("agent %s gone", id)
		}
		ps := a["platform_settings"].(map[string]any)
		for _, key := range []string{"call_limits", "widget"} {
			if ps[key] == nil {
				return fmt.Errorf("platform_settings.%s was lost: %v", key, ps)
			}
		}
		if a["name"] == nil || a["conversation_config"] == nil {
			return fmt.Errorf("agent fields lost: %v", a)
		}
		if tok, ok := ps["auth"].(map[string]any)["shareable_token"]; !ok || tok != nil {
			return fmt.Errorf("shareable_token changed: %v", ps["auth"])
		}
		return e.checkPatchBodies()
	}
}

// checkPatchBodies asserts each PATCH body is exactly
// {"platform_settings":{"auth":{enable_auth, allowlist, require_origin_header}}} with no null.
func (e *testEnv) checkPatchBodies() error {
	for _, r := range e.fake.Requests() {
		if r.Method != "PATCH" {
			continue
		}
		var body map[string]map[string]map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			return fmt.Errorf("PATCH body %s: %v", r.Body, err)
		}
		if len(body) != 1 || len(body["platform_settings"]) != 1 {
			return fmt.Errorf("PATCH sent more than platform_settings.auth: %s", r.Body)
		}
		auth := body["platform_settings"]["auth"]
		keys := []string{}
		for k, v := range auth {
			keys = append(keys, k)
			if v == nil {
				return fmt.Errorf("PATCH sent null for %s: %s", k, r.Body)
			}
		}
		sort.Strings(keys)
		if !reflect.DeepEqual(keys, []string{"allowlist", "enable_auth", "require_origin_header"}) {
			return fmt.Errorf("PATCH auth keys = %v: %s", keys, r.Body)
		}
	}
	return nil
}

// checkCount asserts how many requests the fake saw for a route.
func (e *testEnv) checkCount(method, route string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.fake.Count(method, route); got != want {
			return fmt.Errorf("%s %s requests = %d, want %d", method, route, got, want)
		}
		return nil
	}
}

// checkQueries asserts that route was called at least once and that every call
// carried each of wants (an encoded "name=value" of the query).
func (e *testEnv) checkQueries(route string, wants ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range e.fake.Requests() {
			if r.Route != route {
				continue
			}
			n++
			for _, want := range wants {
				if !strings.Contains(r.RawQuery, want) {
					return fmt.Errorf("query %q of %s lacks %s", r.RawQuery, route, want)
				}
			}
		}
		if n == 0 {
			return fmt.Errorf("no request to %s", route)
		}
		return nil
	}
}

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
