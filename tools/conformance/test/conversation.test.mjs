// Conversations started on the fake by the official client
// (@elevenlabs/client, see lib/conversation.mjs), under each auth setting,
// and the same handshakes with a plain WebSocket client that shows what the
// fake answered (CONTRACT.md, Starting a conversation).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, sdk, newAgent, baseUrl } from "../lib/harness.mjs";
import { startWithClient, describeStart, rawHandshake, SessionConnectionError } from "../lib/conversation.mjs";

const wsOrigin = baseUrl.replace(/^http/, "ws");
const conversations = client().conversationalAi.conversations;
const sessions = [];
after(async () => {
  for (const s of sessions) await s.endSession().catch(() => {});
});

async function mustConnect(what, opts) {
  const r = await startWithClient(opts);
  assert.ok(r.ok, `${what}: the official client could not start a conversation: ${describeStart(r)}`);
  assert.ok(r.conversationId, `${what}: connected without a conversation_id`);
  sessions.push(r.session);
  return r;
}

async function mustBeRefused(what, opts, rawUrl, reason) {
  const r = await startWithClient(opts);
  if (r.ok) sessions.push(r.session);
  assert.ok(!r.ok, `${what}: the official client started a conversation (${r.conversationId}) that the auth settings forbid`);
  assert.ok(r.error instanceof SessionConnectionError, `${what}: want SessionConnectionError, got ${describeStart(r)}`);
  const raw = await rawHandshake(rawUrl, { origin: opts.pageOrigin });
  assert.equal(raw.status, 403, `${what}: the fake should refuse before the upgrade with HTTP 403, got ${JSON.stringify(raw, null, 0)}`);
  assert.equal(raw.body?.detail?.status, reason, `${what}: detail.status: ${JSON.stringify(raw.body)}`);
}

async function signedUrl(id, extra = {}) {
  const { data } = await sdk("GET /v1/convai/conversation/get-signed-url", "/v1/convai/conversation/get-signed-url", () =>
    conversations.getSignedUrl({ agentId: id, ...extra }));
  return data.signedUrl;
}

test("conversation, public agent: the official client connects with agentId alone; raw handshake: subprotocol convai, conversation_initiation_metadata", async () => {
  const id = await newAgent("conformance public");
  await mustConnect("public agent", { agentId: id, origin: wsOrigin });
  const raw = await rawHandshake(`${wsOrigin}/v1/convai/conversation?agent_id=${id}`);
  assert.equal(raw.status, 101, `raw handshake: ${JSON.stringify(raw)}`);
  assert.equal(raw.protocol, "convai", "the fake did not select the convai subprotocol");
  assert.equal(raw.first?.type, "conversation_initiation_metadata", `first message: ${JSON.stringify(raw.first ?? raw.closed)}`);
  const md = raw.metadata ?? {};
  assert.ok(md.conversation_id, "conversation_initiation_metadata_event.conversation_id is empty");
  for (const k of ["agent_output_audio_format", "user_input_audio_format"]) {
    assert.match(String(md[k]), /^(pcm_\d+|ulaw_8000)$/, `${k} = ${md[k]}`);
  }
});

test("conversation, enable_auth: a signed URL from the SDK connects; without the signature it is refused (signature_required)", async () => {
  const id = await newAgent("conformance enable_auth", { enable_auth: true, allowlist: [], require_origin_header: false });
  const url = await signedUrl(id);
  await mustConnect("signed URL", { signedUrl: url });
  const unsigned = `${wsOrigin}/v1/convai/conversation?agent_id=${id}`;
  await mustBeRefused("enable_auth without a signature", { agentId: id, origin: wsOrigin }, unsigned, "signature_required");
  const forged = `${unsigned}&conversation_signature=forged`;
  await mustBeRefused("enable_auth with a forged signature", { signedUrl: forged }, forged, "signature_invalid");
});

test("conversation, include_conversation_id: the signed URL starts one conversation only (signature_used)", async () => {
  const id = await newAgent("conformance single use", { enable_auth: true, allowlist: [], require_origin_header: false });
  const url = await signedUrl(id, { includeConversationId: true });
  const first = await mustConnect("single-use signed URL, first use", { signedUrl: url });
  const convId = new URL(url).searchParams.get("conversation_id");
  if (convId) assert.equal(first.conversationId, convId, "the conversation did not take the conversation_id of the signed URL");
  await mustBeRefused("single-use signed URL, second use", { signedUrl: url }, url, "signature_used");
});

test("conversation, allowlist: an allowed Origin connects, another is refused (origin_not_allowed), none with require_origin_header is refused (origin_required)", async () => {
  const id = await newAgent("conformance allowlist", { enable_auth: false, allowlist: [{ hostname: "app.example.com" }], require_origin_header: true });
  const plain = `${wsOrigin}/v1/convai/conversation?agent_id=${id}`;
  await mustConnect("Origin https://app.example.com", { agentId: id, origin: wsOrigin, pageOrigin: "https://app.example.com" });
  await mustBeRefused("Origin https://attacker.example.net", { agentId: id, origin: wsOrigin, pageOrigin: "https://attacker.example.net" }, plain, "origin_not_allowed");
  await mustBeRefused("no Origin, require_origin_header", { agentId: id, origin: wsOrigin }, plain, "origin_required");
});

