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

// Found by the official Python SDK (elevenlabs 2.59) against the fake, checked
// here with the JS SDK's own models: archived is platform_settings.archived
// (AgentPlatformSettingsRequestModel and ...ResponseModel), and a PATCH of it
// moves the agent between the archived=true and archived=false lists.
test("PATCH platform_settings.archived: agents.update archives an agent, agents.get and agents.list show it", async () => {
  const tag = `conf-archive-${process.pid}`;
  const id = await newAgent(`${tag}-a`);
  const other = await newAgent(`${tag}-b`);
  const path = `/v1/convai/agents/${id}`;
  const ep = "PATCH /v1/convai/agents/{agent_id}";

  let { data } = await sdk("GET /v1/convai/agents/{agent_id}", path, () => agents.get(id));
  assert.equal(data.platformSettings?.archived, false, "a new agent: platform_settings.archived false");

  ({ data } = await sdk(ep, path, () => agents.update(id, { platformSettings: { archived: true } })));
  assert.equal(data.platformSettings?.archived, true, `${ep}: the answer's platform_settings.archived is not true`);
  assert.equal(data.platformSettings?.auth?.enableAuth, false, `${ep}: archiving touched auth`);
  strictParse(ep, "GetAgentResponseModel", rawBody("PATCH", path));
  assert.equal((await fakeAgent(id)).platform_settings.archived, true, "the fake did not store platform_settings.archived");

  ({ data } = await sdk("GET /v1/convai/agents/{agent_id}", path, () => agents.get(id)));
  assert.equal(data.platformSettings?.archived, true);

  const listed = async (archived) => {
    const { data } = await sdk("GET /v1/convai/agents", "/v1/convai/agents", () => agents.list({ search: tag, archived }));
    strictParse("GET /v1/convai/agents", "GetAgentsPageResponseModel", rawBody("GET", "/v1/convai/agents"));
    return data.agents;
  };
  let archived = await listed(true);
  assert.deepEqual(archived.map((a) => a.agentId), [id], "archived=true does not list exactly the archived agent");
  assert.equal(archived[0].archived, true, "the archived agent's summary says archived false");
  assert.deepEqual((await listed(false)).map((a) => a.agentId), [other]);
  assert.deepEqual((await listed(undefined)).map((a) => a.agentId), [other], "without archived, the list shows archived agents");

  await sdk(ep, path, () => agents.update(id, { platformSettings: { archived: false } }));
  assert.deepEqual(new Set((await listed(false)).map((a) => a.agentId)), new Set([id, other]), "un-archived agent not back in the list");
  assert.deepEqual(await listed(true), []);
});

// agents.list sends sort_by and sort_direction through the SDK's AgentSortBy
// and SortDirection enumerations: the fake sorts accordingly, page by page.
test("GET /v1/convai/agents: agents.list sorts by sortBy and sortDirection across pages", async () => {
  const tag = `conf-sort-${process.pid}`;
  const names = ["delta", "alpha", "charlie", "bravo", "echo"].map((n) => `${tag}-${n}`);
  const ids = {};
  for (const n of names) ids[n] = await newAgent(n); // created in this order
  const ep = "GET /v1/convai/agents";
  const listAll = async (req) => {
    const out = [];
    let cursor;
    for (let pages = 0; pages < 10; pages++) {
      const { data } = await sdk(ep, "/v1/convai/agents", () => agents.list({ ...req, search: tag, pageSize: 2, cursor }));
      strictParse(ep, "GetAgentsPageResponseModel", rawBody("GET", "/v1/convai/agents"));
      out.push(...data.agents.map((a) => a.name));
      if (!data.hasMore) return out;
      cursor = data.nextCursor;
    }
    assert.fail(`${ep}: more than 10 pages for 5 agents`);
  };
  const sorted = [...names].sort();
  assert.deepEqual(await listAll({ sortBy: "name", sortDirection: "asc" }), sorted, "sortBy name asc");
  assert.deepEqual(await listAll({ sortBy: "name", sortDirection: "desc" }), [...sorted].reverse(), "sortBy name desc");
  assert.deepEqual(await listAll({ sortBy: "name" }), [...sorted].reverse(), "sortBy name: the default direction is desc");
  assert.deepEqual(await listAll({ sortBy: "created_at", sortDirection: "asc" }), names, "sortBy created_at asc: oldest first");
  assert.deepEqual(await listAll({ sortBy: "created_at", sortDirection: "desc" }), [...names].reverse(), "sortBy created_at desc");
  assert.deepEqual(await listAll({ sortDirection: "asc" }), names, "no sortBy, asc: creation order");
  assert.deepEqual(new Set(await listAll({ sortBy: "call_count_7d" })), new Set(names), "sortBy call_count_7d lists every agent");
});

// created_by_user_id (@me is the caller) and the deprecated
// show_only_owned_agents are accepted; values outside the API's enumerations
// and booleans are 422s the SDK reports as UnprocessableEntityError.
test("GET /v1/convai/agents: createdByUserId and showOnlyOwnedAgents are accepted; bad sort values are 422", async () => {
  const tag = `conf-owner-${process.pid}`;
  await newAgent(`${tag}-1`);
  await newAgent(`${tag}-2`);
  const ep = "GET /v1/convai/agents";
  const count = async (req) => (await sdk(ep, "/v1/convai/agents", () => agents.list({ ...req, search: tag }))).data.agents.length;
  assert.equal(await count({ createdByUserId: "@me" }), 2, "created_by_user_id=@me: the caller created both");
  assert.equal(await count({ createdByUserId: "user_somebody_else" }), 0, "created_by_user_id of another user");
  assert.equal(await count({ showOnlyOwnedAgents: true }), 2, "show_only_owned_agents=true");
  assert.equal(await count({ showOnlyOwnedAgents: false }), 2, "show_only_owned_agents=false");

  // The SDK refuses such values itself (its enum serialisers throw), so they
  // go as extra query parameters, the SDK's own way to send what it lacks.
  for (const [param, value] of [["sort_by", "updated_at"], ["sort_direction", "up"], ["show_only_owned_agents", "perhaps"]]) {
    const err = await sdkError(ep, "/v1/convai/agents", () => agents.list({ search: tag }, { queryParams: { [param]: value } }));
    assert.ok(err instanceof ElevenLabsError && err.statusCode === 422, `${param}=${value}: want a 422 ElevenLabsError, got ${explain(err)}`);
    assert.ok(err.requestId, `${param}=${value}: no x-request-id on the 422`);
    const loc = err.body?.detail?.[0]?.loc;
    assert.deepEqual(loc, ["query", param], `${param}=${value}: the 422 names ${JSON.stringify(loc)}`);
  }
});
