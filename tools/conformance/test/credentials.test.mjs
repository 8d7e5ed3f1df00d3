// The two conversation credentials, minted through the official SDK: the
// signed URL (WebSocket clients) and the conversation token (WebRTC clients).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as core from "@elevenlabs/elevenlabs-js/core/index.js";
import { client, sdk, strictParse, rawBody, newAgent, serialization, baseUrl, apiKey, explain } from "../lib/harness.mjs";

const conversations = client().conversationalAi.conversations;

function checkSignedUrl(ep, signedUrl, id) {
  let u;
  try {
    u = new URL(signedUrl);
  } catch {
    assert.fail(`${ep}: signed_url is not a URL: ${signedUrl.replace(/conversation_signature=[^&]*/, "conversation_signature=<redacted>")}`);
  }
  const fake = new URL(baseUrl);
  assert.equal(u.protocol, "ws:", `${ep}: a fake served over plain HTTP must sign ws:// URLs (a client follows them as given), got ${u.protocol}//`);
  assert.equal(u.host, fake.host, `${ep}: the signed URL points at ${u.host}, not the fake's ${fake.host}`);
  assert.equal(u.pathname, "/v1/convai/conversation");
  assert.equal(u.searchParams.get("agent_id"), id);
  assert.ok(u.searchParams.get("conversation_signature"), `${ep}: no conversation_signature in the signed URL`);
}

test("GET /v1/convai/conversation/get-signed-url: conversations.getSignedUrl (ConversationSignedUrlResponseModel)", async () => {
  const id = await newAgent("conformance signed url", { enable_auth: true, allowlist: [], require_origin_header: false });
  const ep = "GET /v1/convai/conversation/get-signed-url";
  const path = "/v1/convai/conversation/get-signed-url";
  const { data } = await sdk(ep, path, () => conversations.getSignedUrl({ agentId: id, includeConversationId: true, environment: "production" }));
  strictParse(ep, "ConversationSignedUrlResponseModel", rawBody("GET", path));
  checkSignedUrl(ep, data.signedUrl, id);
});

test("GET /v1/convai/conversation/get_signed_url (deprecated alias): the SDK's fetcher and ConversationSignedUrlResponseModel", async () => {
  // The SDK 2.73.0 has no method for the alias: its own fetcher and schema stand in.
  const id = await newAgent("conformance alias", { enable_auth: true, allowlist: [], require_origin_header: false });
  const ep = "GET /v1/convai/conversation/get_signed_url";
  const res = await core.fetcher({
    url: core.url.join(baseUrl, "v1/convai/conversation/get_signed_url"),
    method: "GET",
    headers: { "xi-api-key": apiKey },
    queryString: core.url.queryBuilder().addMany({ agent_id: id }).build(),
    maxRetries: 0,
    timeoutMs: 10000,
  });
  assert.ok(res.ok, `${ep}: ${res.ok ? "" : JSON.stringify(res.error)}`);
  let data;
  try {
    data = serialization.ConversationSignedUrlResponseModel.parseOrThrow(res.body, { unrecognizedObjectKeys: "fail", breadcrumbsPrefix: ["response"] });
  } catch (err) {
    assert.fail(`${ep}: ${explain(err)}`);
  }
  checkSignedUrl(ep, data.signedUrl, id);
});

// decodeJwt reads a JWT's claims without verifying it (CONTRACT.md,
// Conversation tokens: decode only).
function decodeJwt(ep, token) {
  const parts = token.split(".");
  assert.equal(parts.length, 3, `${ep}: the token is not a JWT (want header.payload.signature, got ${parts.length} parts)`);
  try {
    return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch (e) {
    assert.fail(`${ep}: the token's payload is not base64url JSON: ${e.message}`);
  }
}

test("GET /v1/convai/conversation/token: conversations.getWebrtcToken (TokenResponseModel, a JWT with agent_id, conversation_id, exp)", async () => {
  const id = await newAgent("conformance token", { enable_auth: true, allowlist: [], require_origin_header: false });
  const ep = "GET /v1/convai/conversation/token";
  const path = "/v1/convai/conversation/token";
  const { data } = await sdk(ep, path, () => conversations.getWebrtcToken({ agentId: id, participantName: "conformance" }));
  strictParse(ep, "TokenResponseModel", rawBody("GET", path));
  assert.ok(data.conversationId, `${ep}: empty conversation_id`);
  const claims = decodeJwt(ep, data.token);
  assert.equal(claims.agent_id, id, `${ep}: the JWT's agent_id claim`);
  assert.equal(claims.conversation_id, data.conversationId, `${ep}: the JWT's conversation_id differs from the answer's`);
  assert.equal(typeof claims.exp, "number", `${ep}: the JWT has no numeric exp claim`);
  const now = Date.now() / 1000;
  assert.ok(claims.exp > now && claims.exp < now + 24 * 3600, `${ep}: exp ${claims.exp} is not within the next 24 hours`);

  // Every call mints a new token and conversation.
  const again = await sdk(ep, path, () => conversations.getWebrtcToken({ agentId: id }));
  assert.notEqual(again.data.token, data.token, `${ep}: two calls answered the same token`);
  assert.notEqual(again.data.conversationId, data.conversationId, `${ep}: two calls answered the same conversation_id`);
});
