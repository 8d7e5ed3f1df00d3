// Every error answer of the fake arrives as the official SDK's error types:
// ElevenLabsError (UnprocessableEntityError for 422) with statusCode, the
// parsed JSON body and requestId (read from x-request-id), in the three
// `detail` forms of CONTRACT.md (Errors). maxRetries is 0, so each answer is
// seen as sent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ElevenLabs } from "@elevenlabs/elevenlabs-js";
import { client, sdk, sdkError, explain, failAll, strictParse, newAgent, injectFault, ElevenLabsError, baseUrl } from "../lib/harness.mjs";

// expectError checks one error answer: the SDK type, the status, the
// request id, and the object form {"detail":{"status"|"code",...}}.
function expectAppError(ep, err, status, code) {
  assert.ok(err instanceof ElevenLabsError, `${ep}: expected ElevenLabsError, the SDK threw ${explain(err)}`);
  assert.equal(err.statusCode, status, `${ep}: statusCode ${err.statusCode}, want ${status}: ${explain(err)}`);
  const d = err.body?.detail;
  assert.ok(d && typeof d === "object" && !Array.isArray(d), `${ep}: body.detail is not the object form: ${explain(err)}`);
  assert.equal(d.code ?? d.status, code, `${ep}: detail code/status: ${explain(err)}`);
  assert.equal(typeof d.message, "string", `${ep}: detail.message is not a string: ${explain(err)}`);
  return d;
}

test("401 needs_authorization: no xi-api-key on every endpoint", async () => {
  const id = await newAgent("conformance 401");
  const el = client({ noKey: true });
  const calls = {
    "GET /v1/convai/agents/{agent_id}": [`/v1/convai/agents/${id}`, () => el.conversationalAi.agents.get(id)],
    "PATCH /v1/convai/agents/{agent_id}": [`/v1/convai/agents/${id}`, () => el.conversationalAi.agents.update(id, { platformSettings: { auth: { enableAuth: true } } })],
    "DELETE /v1/convai/agents/{agent_id}": [`/v1/convai/agents/${id}`, () => el.conversationalAi.agents.delete(id)],
    "POST /v1/convai/agents/create": ["/v1/convai/agents/create", () => el.conversationalAi.agents.create({ conversationConfig: {} })],
    "GET /v1/convai/agents": ["/v1/convai/agents", () => el.conversationalAi.agents.list()],
    "GET /v1/convai/conversation/get-signed-url": ["/v1/convai/conversation/get-signed-url", () => el.conversationalAi.conversations.getSignedUrl({ agentId: id })],
    "GET /v1/convai/conversation/token": ["/v1/convai/conversation/token", () => el.conversationalAi.conversations.getWebrtcToken({ agentId: id })],
  };
  const failures = [];
  for (const [ep, [path, call]] of Object.entries(calls)) {
    try {
      expectAppError(ep, await sdkError(ep, path, call), 401, "needs_authorization");
    } catch (e) {
      failures.push(e.message);
    }
  }
  failAll(failures);
});

test("401 invalid_api_key: a wrong key", async () => {
  const id = await newAgent("conformance wrong key");
  const ep = "GET /v1/convai/agents/{agent_id}";
  const err = await sdkError(ep, `/v1/convai/agents/${id}`, () => client({ key: "not-the-key" }).conversationalAi.agents.get(id));
  expectAppError(ep, err, 401, "invalid_api_key");
  assert.ok(!JSON.stringify(err.body).includes("not-the-key"), `${ep}: the error body echoes the key`);
});

test("404 agent_not_found: unknown agent on get, update, delete, signed URL and token", async () => {
  const el = client();
  const id = "agent_0000000000000000000000000000";
  const calls = {
    "GET /v1/convai/agents/{agent_id}": [`/v1/convai/agents/${id}`, () => el.conversationalAi.agents.get(id)],
    "PATCH /v1/convai/agents/{agent_id}": [`/v1/convai/agents/${id}`, () => el.conversationalAi.agents.update(id, { platformSettings: { auth: { enableAuth: true } } })],
    "DELETE /v1/convai/agents/{agent_id}": [`/v1/convai/agents/${id}`, () => el.conversationalAi.agents.delete(id)],
    "GET /v1/convai/conversation/get-signed-url": ["/v1/convai/conversation/get-signed-url", () => el.conversationalAi.conversations.getSignedUrl({ agentId: id })],
    "GET /v1/convai/conversation/token": ["/v1/convai/conversation/token", () => el.conversationalAi.conversations.getWebrtcToken({ agentId: id })],
  };
  const failures = [];
  for (const [ep, [path, call]] of Object.entries(calls)) {
    try {
      expectAppError(ep, await sdkError(ep, path, call), 404, "agent_not_found");
    } catch (e) {
      failures.push(e.message);
    }
  }
  failAll(failures);
});

test("422 array form: PATCH with an invalid allowlist arrives as UnprocessableEntityError (HttpValidationError)", async () => {
  const id = await newAgent("conformance 422");
  const ep = "PATCH /v1/convai/agents/{agent_id}";
  const el = client();
  // 11 entries (CONTRACT.md: at most 10) and an upper-case entry: the fake's decision is a 422.
  const eleven = Array.from({ length: 11 }, (_, i) => ({ hostname: `h${i}.example.com` }));
  for (const [what, allowlist] of [["11 entries", eleven], ["an upper-case hostname", [{ hostname: "App.Example.com" }]]]) {
    const err = await sdkError(ep, `/v1/convai/agents/${id}`, () =>
      el.conversationalAi.agents.update(id, { platformSettings: { auth: { allowlist } } }));
    assert.ok(err instanceof ElevenLabs.UnprocessableEntityError, `${ep} with ${what}: expected UnprocessableEntityError, the SDK threw ${explain(err)}`);
    assert.equal(err.statusCode, 422);
    const parsed = strictParse(`${ep} (422 with ${what})`, "HttpValidationError", err.body);
    assert.ok(parsed.detail?.length > 0, `${ep} with ${what}: detail is an empty array`);
    for (const issue of parsed.detail) assert.equal(issue.loc[0], "body", `${ep}: a 422 loc should start with "body": ${JSON.stringify(issue)}`);
  }
  // The fake refused the body: nothing was stored.
  const { data } = await sdk("GET /v1/convai/agents/{agent_id}", `/v1/convai/agents/${id}`, () => el.conversationalAi.agents.get(id));
  assert.deepEqual(data.platformSettings?.auth?.allowlist ?? [], []);
});

test("422 array form: get-signed-url without agent_id (raw call: the SDK requires agentId)", async () => {
  const res = await fetch(`${baseUrl}/v1/convai/conversation/get-signed-url`, { headers: { "xi-api-key": process.env.CONFORMANCE_API_KEY } });
  const body = await res.json();
  assert.equal(res.status, 422);
  const parsed = strictParse("GET /v1/convai/conversation/get-signed-url (no agent_id)", "HttpValidationError", body);
  assert.deepEqual(parsed.detail[0].loc, ["query", "agent_id"]);
});

for (const retryAfter of ["2", ""]) {
  const label = retryAfter ? `with Retry-After: ${retryAfter}` : "without Retry-After";
  test(`429 too_many_concurrent_requests ${label}: ElevenLabsError with maxRetries 0, success after a retry`, async () => {
    const id = await newAgent(`conformance 429 ${label}`);
    const path = `/v1/convai/agents/${id}`;
    const ep = "GET /v1/convai/agents/{agent_id}";
    await injectFault({ method: "GET", path, status: 429, retry_after: retryAfter, count: 1 });
    const err = await sdkError(ep, path, () => client().conversationalAi.agents.get(id));
    expectAppError(ep, err, 429, "too_many_concurrent_requests");
    const got = err.rawResponse?.headers?.get("retry-after") ?? null;
    assert.equal(got, retryAfter || null, `${ep}: Retry-After header`);

    // With one retry allowed the SDK waits (Retry-After, else about 1 s) and succeeds.
    await injectFault({ method: "GET", path, status: 429, retry_after: retryAfter, count: 1 });
    const started = Date.now();
    const { data } = await sdk(ep, path, () => client({ maxRetries: 1 }).conversationalAi.agents.get(id));
    assert.equal(data.agentId, id);
    const waited = Date.now() - started;
    if (retryAfter) assert.ok(waited >= Number(retryAfter) * 1000 - 50, `${ep}: the SDK retried after ${waited} ms, before Retry-After ${retryAfter}s`);
  });
}

test("x-request-id: on every answer, success or error, and ElevenLabsError.requestId reads it", async () => {
  const id = await newAgent("conformance request id");
  const el = client();
  const failures = [];
  const ok = {
    "GET /v1/convai/agents/{agent_id}": () => el.conversationalAi.agents.get(id),
    "PATCH /v1/convai/agents/{agent_id}": () => el.conversationalAi.agents.update(id, { platformSettings: { auth: { enableAuth: true } } }),
    "GET /v1/convai/agents": () => el.conversationalAi.agents.list({ pageSize: 1 }),
    "GET /v1/convai/conversation/get-signed-url": () => el.conversationalAi.conversations.getSignedUrl({ agentId: id }),
    "GET /v1/convai/conversation/token": () => el.conversationalAi.conversations.getWebrtcToken({ agentId: id }),
    "POST /v1/convai/agents/create": () => el.conversationalAi.agents.create({ conversationConfig: {} }),
  };
  for (const [ep, call] of Object.entries(ok)) {
    try {
      const { rawResponse } = await call().withRawResponse();
      if (!rawResponse.headers.get("x-request-id")) failures.push(`${ep} (${rawResponse.status}): no x-request-id header`);
    } catch (err) {
      // A refused answer is another check's business; its request id is checked here all the same.
      if (!(err instanceof ElevenLabsError)) failures.push(`${ep}: ${explain(err).split("\n")[0]}`);
      else if (!err.requestId) failures.push(`${ep} (${err.statusCode}): ElevenLabsError.requestId is empty: no x-request-id header`);
    }
  }
  const errs = {
    "401 GET /v1/convai/agents/{agent_id}": () => client({ noKey: true }).conversationalAi.agents.get(id),
    "404 GET /v1/convai/agents/{agent_id}": () => el.conversationalAi.agents.get("agent_0000000000000000000000000000"),
    "422 PATCH /v1/convai/agents/{agent_id}": () => el.conversationalAi.agents.update(id, { platformSettings: { auth: { allowlist: [{ hostname: "https://x.example.com" }] } } }),
  };
  for (const [ep, call] of Object.entries(errs)) {
    try {
      await call();
      failures.push(`${ep}: no error`);
    } catch (err) {
      if (!(err instanceof ElevenLabsError)) failures.push(`${ep}: ${explain(err)}`);
      else if (!err.requestId) failures.push(`${ep}: ElevenLabsError.requestId is empty: no x-request-id header`);
      else if (err.body?.detail?.request_id !== undefined && err.body.detail.request_id !== err.requestId) {
        failures.push(`${ep}: detail.request_id ${err.body.detail.request_id} differs from x-request-id ${err.requestId}`);
      }
    }
  }
  failAll(failures);
});
