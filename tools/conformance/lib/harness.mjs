// Shared by every conformance test: where the fake is (from the environment
// scripts/conformance.sh sets), the official SDK client pointed at it, the
// fake's admin API (agents, faults), and failure messages that say which
// endpoint the SDK called, what it said and what the fake answered.
import assert from "node:assert/strict";
import { ElevenLabsClient, ElevenLabsError } from "@elevenlabs/elevenlabs-js";
import * as serialization from "@elevenlabs/elevenlabs-js/serialization/index.js";
// The generated client under the wrapper: the wrapper refuses to be built
// without a key, so the "no key" checks use this one (same endpoints, same
// fetcher, same schemas).
import { ElevenLabsClient as GeneratedClient } from "@elevenlabs/elevenlabs-js/Client.js";

export { serialization, ElevenLabsError };

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the conformance tests with 'make conformance' (scripts/conformance.sh)`);
  return v;
}

export const baseUrl = need("CONFORMANCE_BASE_URL");
export const apiKey = need("CONFORMANCE_API_KEY");
// The SDK falls back to $ELEVENLABS_API_KEY when no key is given: the
// "no key" checks need it gone.
delete process.env.ELEVENLABS_API_KEY;

// Every answer the SDK's fetch received, newest last, so a failure can show
// what the fake sent.
export const exchanges = [];

async function recordingFetch(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.clone().text();
  exchanges.push({
    method: (init.method ?? "GET").toUpperCase(),
    url: String(url),
    status: res.status,
    headers: Object.fromEntries(res.headers),
    body: text,
  });
  return res;
}

// client returns the official SDK client pointed at the fake. maxRetries is
// 0 unless asked otherwise, so an error answer arrives as it was sent.
// noKey sends no xi-api-key at all.
export function client({ key = apiKey, noKey = false, maxRetries = 0 } = {}) {
  const opts = { baseUrl, maxRetries, timeoutInSeconds: 10, fetch: recordingFetch };
  return noKey ? new GeneratedClient(opts) : new ElevenLabsClient({ ...opts, apiKey: key });
}

// failAll fails with every message collected by checks run one after another.
export function failAll(failures) {
  if (failures.length > 0) assert.fail(`${failures.length} failed:\n  ${failures.join("\n  ")}`);
}

// lastExchange describes the newest recorded answer for METHOD and a path.
export function lastExchange(method, path) {
  for (let i = exchanges.length - 1; i >= 0; i--) {
    const e = exchanges[i];
    if (e.method === method && new URL(e.url).pathname === path) return e;
  }
  return undefined;
}

function snippet(s, n = 600) {
  s = String(s);
  return s.length > n ? `${s.slice(0, n)}… (${s.length} bytes)` : s;
}

// explain renders what the SDK threw.
export function explain(err) {
  if (err instanceof ElevenLabsError) {
    return `${err.name} statusCode=${err.statusCode} requestId=${err.requestId} body=${snippet(JSON.stringify(err.body))}`;
  }
  if (err?.name === "ParseError" || err?.name === "JsonError") {
    return `${err.name} (the SDK's schema refused the answer): ${err.message}`;
  }
  return err?.stack ?? String(err);
}

function answered(method, path) {
  const e = lastExchange(method, path);
  return e ? `the fake answered ${e.status} ${snippet(e.body)}` : "no answer was recorded";
}

// sdk runs one SDK call for `endpoint` ("GET /v1/convai/agents/{id}") and
// returns its {data, rawResponse}; a rejection fails the check with the SDK's
// own words and the fake's answer.
export async function sdk(endpoint, path, call) {
  const method = endpoint.split(" ")[0];
  try {
    return await call().withRawResponse();
  } catch (err) {
    assert.fail(`${endpoint}: the official SDK rejected the call: ${explain(err)}; ${answered(method, path)}`);
  }
}

// sdkError runs an SDK call that must fail and returns the error it threw.
export async function sdkError(endpoint, path, call) {
  const method = endpoint.split(" ")[0];
  let data;
  try {
    data = (await call().withRawResponse()).data;
  } catch (err) {
    return err;
  }
  assert.fail(`${endpoint}: expected an error answer, but the SDK returned ${snippet(JSON.stringify(data))}; ${answered(method, path)}`);
}

// strictParse parses a raw JSON answer with one of the SDK's response schemas
// refusing keys the schema does not know (the SDK itself lets them pass): the
// fake must not invent fields.
export function strictParse(endpoint, schemaName, raw) {
  const schema = serialization[schemaName];
  assert.ok(schema, `the SDK has no serialization schema ${schemaName}`);
  const res = schema.parse(raw, { unrecognizedObjectKeys: "fail", breadcrumbsPrefix: ["response"] });
  if (!res.ok) {
    const errs = res.errors.map((e) => `${e.path.join(".")}: ${e.message}`).join("; ");
    assert.fail(`${endpoint}: the answer does not fit the SDK's ${schemaName} exactly: ${errs}`);
  }
  return res.value;
}

// rawBody is the parsed JSON body of the newest recorded answer to METHOD path.
export function rawBody(method, path) {
  const e = lastExchange(method, path);
  assert.ok(e, `no answer to ${method} ${path} was recorded`);
  return JSON.parse(e.body);
}

// --- the fake's admin API (/_fake/, no key) ----------------------------------

async function admin(method, path, body) {
  const res = await fetch(baseUrl + "/_fake" + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`fake admin API ${method} /_fake${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

// newAgent plants an agent on the fake (optionally with platform_settings.auth)
// and returns its id.
export async function newAgent(name, auth) {
  return (await admin("POST", "/agents", auth ? { name, auth } : { name })).agent_id;
}

export const fakeAgent = (id) => admin("GET", `/agents/${encodeURIComponent(id)}`);
export const setAuth = (id, auth) => admin("PUT", `/agents/${encodeURIComponent(id)}/auth`, auth);
// injectFault makes the fake answer the next `count` requests to the exact
// path with `status` (see internal/fakeapi Fault).
export const injectFault = (fault) => admin("POST", "/faults", fault);
