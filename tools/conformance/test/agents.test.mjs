// The agent endpoints of the fake, driven through the official SDK
// (@elevenlabs/elevenlabs-js): every answer must pass the SDK's own response
// schema (ParseError otherwise) and, parsed strictly, carry no key the SDK's
// schema lacks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { client, sdk, sdkError, strictParse, rawBody, newAgent, fakeAgent, explain, ElevenLabsError } from "../lib/harness.mjs";

const el = client();
const agents = el.conversationalAi.agents;

test("GET /v1/convai/agents/{agent_id}: agents.get parses the fake's agent (GetAgentResponseModel)", async () => {
  const id = await newAgent("conformance get");
  const path = `/v1/convai/agents/${id}`;
  const { data } = await sdk("GET /v1/convai/agents/{agent_id}", path, () => agents.get(id));
  assert.equal(data.agentId, id);
  assert.equal(data.name, "conformance get");
  assert.equal(data.platformSettings?.auth?.enableAuth, false, "a new agent is public: platform_settings.auth.enable_auth false");
  assert.deepEqual(data.platformSettings?.auth?.allowlist ?? [], []);
  strictParse("GET /v1/convai/agents/{agent_id}", "GetAgentResponseModel", rawBody("GET", path));
});

test("PATCH /v1/convai/agents/{agent_id}: agents.update sends platform_settings.auth and parses the agent back", async () => {
  const id = await newAgent("conformance patch");
  const path = `/v1/convai/agents/${id}`;
  const ep = "PATCH /v1/convai/agents/{agent_id}";

  let { data } = await sdk(ep, path, () =>
    agents.update(id, { platformSettings: { auth: { enableAuth: true, allowlist: [] } } }));
  assert.equal(data.platformSettings?.auth?.enableAuth, true, `${ep}: enable_auth not true in the answer`);
  strictParse(ep, "GetAgentResponseModel", rawBody("PATCH", path));

  ({ data } = await sdk(ep, path, () =>
    agents.update(id, {
      platformSettings: {
        auth: { enableAuth: false, allowlist: [{ hostname: "app.example.com" }, { hostname: "localhost:3000" }], requireOriginHeader: true },
      },
    })));
  assert.deepEqual(data.platformSettings?.auth?.allowlist, [{ hostname: "app.example.com" }, { hostname: "localhost:3000" }]);
  assert.equal(data.platformSettings?.auth?.requireOriginHeader, true);

  // The fake stored what the SDK sent (the SDK serialises camelCase to the wire's snake_case).
  const stored = (await fakeAgent(id)).platform_settings.auth;
  assert.equal(stored.enable_auth, false);
  assert.equal(stored.require_origin_header, true);
  assert.deepEqual(stored.allowlist, [{ hostname: "app.example.com" }, { hostname: "localhost:3000" }]);
  // A partial update leaves the other keys alone.
  assert.ok((await fakeAgent(id)).platform_settings.call_limits, "PATCH of auth dropped platform_settings.call_limits");
});

test("POST /v1/convai/agents/create and DELETE /v1/convai/agents/{agent_id}: agents.create and agents.delete", async () => {
  const created = await sdk("POST /v1/convai/agents/create", "/v1/convai/agents/create", () =>
    agents.create({ name: "conformance create", conversationConfig: { agent: { firstMessage: "Hi" } }, tags: ["conformance"] }));
  const id = created.data.agentId;
  assert.match(id, /^agent_/, "create answered an agent_id that does not start with agent_");
  strictParse("POST /v1/convai/agents/create", "CreateAgentResponseModel", rawBody("POST", "/v1/convai/agents/create"));

  const got = await sdk("GET /v1/convai/agents/{agent_id}", `/v1/convai/agents/${id}`, () => agents.get(id));
  assert.equal(got.data.name, "conformance create");
  assert.deepEqual(got.data.tags, ["conformance"]);

  const del = await sdk("DELETE /v1/convai/agents/{agent_id}", `/v1/convai/agents/${id}`, () => agents.delete(id));
  const err = await sdkError("GET /v1/convai/agents/{agent_id}", `/v1/convai/agents/${id}`, () => agents.get(id));
  assert.ok(err instanceof ElevenLabsError && err.statusCode === 404, `after DELETE, GET should be a 404 ElevenLabsError, got ${explain(err)}`);
});

test("GET /v1/convai/agents: agents.list pages through every agent (GetAgentsPageResponseModel)", async () => {
  const tag = `conf-list-${process.pid}`;
  const mine = new Set();
  for (let i = 0; i < 5; i++) mine.add(await newAgent(`${tag}-${i}`));
  const ep = "GET /v1/convai/agents";

  // page_size 2 with search: 3 pages (2, 2, 1), the cursor followed to the end.
  const seen = [];
  let cursor;
  let pages = 0;
  for (;;) {
    const { data } = await sdk(ep, "/v1/convai/agents", () => agents.list({ pageSize: 2, search: tag, cursor }));
    pages++;
    strictParse(ep, "GetAgentsPageResponseModel", rawBody("GET", "/v1/convai/agents"));
    assert.ok(data.agents.length <= 2, `${ep}: page_size=2 answered ${data.agents.length} agents`);
    for (const a of data.agents) {
      seen.push(a.agentId);
      assert.equal(typeof a.voiceId, "string");
      assert.ok(Array.isArray(a.tags));
      assert.equal(typeof a.accessInfo?.isCreator, "boolean");
      assert.equal(a.platformSettings, undefined, "a summary carries no platform_settings (CONTRACT.md, Listing agents)");
    }
    if (!data.hasMore) {
      assert.ok(data.nextCursor == null, `${ep}: has_more false but next_cursor ${data.nextCursor}`);
      break;
    }
    assert.ok(data.nextCursor, `${ep}: has_more true without a next_cursor`);
    assert.ok(pages < 10, `${ep}: more than 10 pages for 5 agents: the cursor does not advance`);
    cursor = data.nextCursor;
  }
  assert.equal(pages, 3, `${ep}: 5 agents at page_size 2 should take 3 pages, took ${pages}`);
  assert.deepEqual(new Set(seen), mine, `${ep}: the pages do not list exactly the 5 agents (no duplicates, none missing)`);
  assert.equal(seen.length, 5, `${ep}: an agent was listed twice`);

  // Without page_size: the default page (30) holds all 5.
  const { data } = await sdk(ep, "/v1/convai/agents", () => agents.list({ search: tag }));
  assert.equal(data.agents.length, 5);
  assert.equal(data.hasMore, false);
});
