// The provider, through the pinned CLI (bin/tofu, dev_overrides, no init),
// mints conversation credentials from the fake, and the official client uses
// them: a conversation started with a signed URL minted through the provider.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { newAgent, fakeAgent, baseUrl, apiKey } from "../lib/harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const tofu = process.env.CONFORMANCE_TOFU;
const cliConfig = process.env.CONFORMANCE_TF_CLI_CONFIG;
const tmp = process.env.CONFORMANCE_TMP;

// apply copies tf/NAME into a fresh directory and runs `tofu apply` there.
function apply(name, agentId) {
  const dir = fs.mkdtempSync(path.join(tmp, `${name}-`));
  fs.copyFileSync(path.join(root, "tf", name, "main.tf"), path.join(dir, "main.tf"));
  const out = path.join(dir, "handoff.json");
  const mode = name === "signed-url" ? "signed-url" : "token";
  const res = spawnSync(tofu, ["apply", "-auto-approve", "-no-color", "-input=false"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR ?? "/tmp",
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      ELEVENLABS_API_KEY: apiKey,
      ELEVENLABS_BASE_URL: baseUrl,
      TF_VAR_agent_id: agentId,
      TF_VAR_handoff_command: `node "${path.join(root, "handoff.mjs")}" ${mode}`,
      CONFORMANCE_HANDOFF_OUT: out,
    },
  });
  const log = `${res.stdout ?? ""}${res.stderr ?? ""}${res.error ? String(res.error) : ""}`;
  const state = fs.existsSync(path.join(dir, "terraform.tfstate")) ? fs.readFileSync(path.join(dir, "terraform.tfstate"), "utf8") : "";
  const handoff = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, "utf8")) : undefined;
  return { status: res.status, log, state, handoff };
}

const tail = (s) => s.split("\n").slice(-25).join("\n");

test("provider: tofu apply mints an elevenlabs_signed_url and @elevenlabs/client starts a conversation with it", async () => {
  assert.ok(tofu && fs.existsSync(tofu), `no OpenTofu at ${tofu}: make conformance builds it (bin/tofu)`);
  const id = await newAgent("conformance provider signed url");
  const r = apply("signed-url", id);
  assert.equal(r.status, 0, `tofu apply exited ${r.status}:\n${tail(r.log)}`);
  assert.ok(r.handoff, "the local-exec hand-off did not run (no result file)");
  assert.ok(r.handoff.ok, `the official client could not start a conversation with the provider's signed URL (${r.handoff.shape}): ${r.handoff.outcome}`);
  assert.equal((await fakeAgent(id)).platform_settings.auth.enable_auth, true, "the apply did not set enable_auth on the fake");
  assert.ok(!/conversation_signature|wss?:\/\//.test(r.state), "the state holds the signed URL");
  assert.ok(!/conversation_signature=/.test(r.log), "the CLI output shows the signed URL");
});

test("provider: tofu apply mints an elevenlabs_conversation_token (a JWT for the agent)", async () => {
  assert.ok(tofu && fs.existsSync(tofu), `no OpenTofu at ${tofu}`);
  const id = await newAgent("conformance provider token");
  const r = apply("token", id);
  assert.equal(r.status, 0, `tofu apply exited ${r.status}:\n${tail(r.log)}`);
  assert.ok(r.handoff, "the local-exec hand-off did not run (no result file)");
  assert.ok(r.handoff.ok, `the provider's token is not a JWT (${r.handoff.jwtParts} parts): ${r.handoff.outcome ?? ""}`);
  assert.equal(r.handoff.claims.agent_id, id, "the token's agent_id claim");
  assert.equal(r.handoff.claims.conversation_id, r.handoff.conversationId, "conversation_id differs from the token's claim");
  assert.equal(Date.parse(r.handoff.expiresAt), r.handoff.claims.exp * 1000, `expires_at ${r.handoff.expiresAt} is not the token's exp claim (${r.handoff.claims.exp})`);
  assert.ok(!/"token"|eyJ[A-Za-z0-9_-]{10,}\./.test(r.state), "the state holds the token");
});
