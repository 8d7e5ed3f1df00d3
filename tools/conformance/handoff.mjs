// The local-exec command of tf/*/main.tf (make conformance): receives a
// credential the provider minted, in its environment, and writes what it
// found to the file $CONFORMANCE_HANDOFF_OUT (never the credential itself).
//
//   node handoff.mjs signed-url   starts a conversation with
//                                 $ELEVENLABS_SIGNED_URL through @elevenlabs/client
//   node handoff.mjs token        decodes the JWT in $ELEVENLABS_CONVERSATION_TOKEN
//
// It exits 0 whatever it found, so the apply finishes and the test reports
// the finding itself (the CLI hides a local-exec's output when an ephemeral
// value is in its environment).
import fs from "node:fs";

const out = process.env.CONFORMANCE_HANDOFF_OUT;
const mode = process.argv[2];
const result = { mode };

try {
  if (mode === "signed-url") {
    const url = process.env.ELEVENLABS_SIGNED_URL ?? "";
    const { startWithClient, describeStart, redact } = await import("./lib/conversation.mjs");
    result.shape = redact(url);
    const r = await startWithClient({ signedUrl: url });
    result.ok = r.ok;
    result.outcome = describeStart(r);
    result.conversationId = r.conversationId;
    if (r.ok) await r.session.endSession();
  } else if (mode === "token") {
    const token = process.env.ELEVENLABS_CONVERSATION_TOKEN ?? "";
    const parts = token.split(".");
    result.jwtParts = parts.length;
    result.conversationId = process.env.ELEVENLABS_CONVERSATION_ID;
    result.expiresAt = process.env.ELEVENLABS_CONVERSATION_TOKEN_AT;
    if (parts.length === 3) result.claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    result.ok = parts.length === 3;
  } else {
    result.ok = false;
    result.outcome = `unknown mode ${mode}`;
  }
} catch (e) {
  result.ok = false;
  result.outcome = `handoff.mjs failed: ${e?.stack ?? e}`;
}
fs.writeFileSync(out, JSON.stringify(result, null, 2));
process.exit(0);
