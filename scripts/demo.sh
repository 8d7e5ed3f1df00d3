#!/usr/bin/env bash
# The offline demo (`make demo`, which builds the binaries first): runs
# examples/quickstart through the pinned OpenTofu against the in-repo fake
# ElevenLabs API on a free loopback port. No network, no key, no `tofu init`
# (a dev_overrides CLI config points voicegate/elevenlabs at bin/). Every step is
# checked; the exit code is 0 only if all of them did what they say. The fake
# and the temporary directory are removed on success, failure and Ctrl-C.
#
# Needs bin/tofu, bin/terraform-provider-elevenlabs, bin/fake-elevenlabs and
# bin/demo-httpcheck, which makes every check: HTTP requests, WebSocket
# conversations and reading the JSON answers (no curl or jq needed).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/bin
tofu=$bin/tofu
fake=$bin/fake-elevenlabs
helper=$bin/demo-httpcheck
steps=8

if [ -t 1 ]; then bold=$'\e[1m' green=$'\e[32m' red=$'\e[31m' dim=$'\e[2m' off=$'\e[0m'
else bold='' green='' red='' dim='' off=''; fi

say()  { printf '    %s\n' "$*"; }
ok()   { printf '  %sok%s  %s\n' "$green" "$off" "$*"; }
fail() { printf '  %sFAILED%s  %s\n' "$red" "$off" "$*" >&2; exit 1; }

# http METHOD URL [ORIGIN] [BODY]: one request; sets $status, body in $resp.
http() {
  local args=(-X "$1" -o "$resp")
  [ -n "${3:-}" ] && args+=(-H "Origin: $3")
  [ -n "${4:-}" ] && args+=(-H 'Content-Type: application/json' -d "$4")
  status=$("$helper" "${args[@]}" "$2") || status=000
}

# field PATH: a value of the last response.
field() { "$helper" -json "$1" "$resp" 2>/dev/null || echo '?'; }

# connect URL [ORIGIN]: start a conversation on the fake at the ws:// URL with
# a real WebSocket handshake, as the official client does (bin/demo-httpcheck
# -ws); sets $status (101 when it started) and $outcome ("connected (conv_...)"
# or the refusal reason).
connect() {
  local args=(-ws -o "$resp")
  [ -n "${2:-}" ] && args+=(-H "Origin: $2")
  status=$("$helper" "${args[@]}" "$1") || status=000
  case $status in
    101) outcome="connected ($(field conversation_id))" ;;
    *)   outcome=$(field reason) ;;
  esac
}

# The signed-URL hand-off: examples/quickstart runs var.signed_url_command with
# the URL in its environment; the demo sets that command to this script, which
# "connects" with the URL, then without its signature, and records both.
if [ "${1:-}" = __connect ]; then
  resp=$DEMO_TMP/handoff-body.json
  url=${ELEVENLABS_SIGNED_URL:-}
  case $url in
    ws://*conversation_signature=*|wss://*conversation_signature=*) ;;
    *) echo "no signed URL in ELEVENLABS_SIGNED_URL" >&2; exit 1 ;;
  esac
  unsigned=$(printf '%s' "$url" | sed -E 's/[?&]conversation_signature=[^&]*//; s/^([^?]*)&/\1?/')
  {
    printf 'shape %s\n' "$(printf '%s' "$url" | sed -E 's/(conversation_signature=)[^&]*/\1<redacted>/')"
    printf 'expires %s\n' "${ELEVENLABS_SIGNED_URL_EXPIRES_AT:-?}"
    connect "$url";      printf 'signed %s %s\n' "$status" "$outcome"
    connect "$unsigned"; printf 'unsigned %s %s\n' "$status" "$outcome"
  } >"$DEMO_TMP/handoff.txt"
  exit 0
fi

for b in "$tofu" "$bin/terraform-provider-elevenlabs" "$fake" "$helper"; do
  [ -x "$b" ] || { echo "missing $b: run 'make demo'" >&2; exit 1; }
done

# Nothing from the caller's environment may steer the CLI or the provider.
for v in $(env | sed -n 's/^\(TF_[A-Za-z0-9_]*\|ELEVENLABS_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/elevenlabs-demo.XXXXXX")
# shellcheck source=scripts/fake-api.sh
. "$root/scripts/fake-api.sh"
stopped() { printf '%sdemo stopped (exit %s); fake API stopped, temporary files removed%s\n' "$red" "$1" "$off" >&2; }
fake_cleanup_on_exit "$tmp" stopped

resp=$tmp/body.json
log=$tmp/tofu.log
step=0
heading() { step=$((step + 1)); printf '\n%s==> %d/%d %s%s\n' "$bold" "$step" "$steps" "$*" "$off"; }
started=$(date +%s)

# tf ARGS...: run the CLI in the working copy, output in $log; sets $rc.
tf() {
  printf '    %s$ tofu %s%s\n' "$dim" "$*" "$off"
  rc=0
  (cd "$work" && "$tofu" "$1" -no-color -compact-warnings "${@:2}") >"$log" 2>&1 || rc=$?
}
# tf_must WANT ARGS...: tf, and fail with the CLI output unless it exits WANT.
tf_must() {
  local want=$1; shift
  tf "$@"
  if [ "$rc" -ne "$want" ]; then
    sed 's/^/      | /' "$log" >&2
    fail "tofu $1 exited $rc, expected $want"
  fi
}
# plan_lines: the gist of the CLI output in $log: what happens to which resource,
# the changed attributes and the summary; no legend, outputs, or attributes of
# destroyed resources.
plan_lines() {
  awk '
    /^Changes to Outputs:/ { skip = 1; next }
    skip && /^$/           { skip = 0 }
    skip                   { next }
    /^  - resource /       { print "      " $0; gone = 1; next }
    gone && /^    }/       { gone = 0; next }
    gone                   { next }
    /known after apply|Provider development overrides|^  [-+~] (create|destroy|update)/ { next }
    /^ *# [a-z_.]+(\[[0-9]+\])? (will|must) / || /^ +[-+~] / || /^(Plan|Apply complete|Destroy complete|No changes)/ ||
    /Deferred/ || /^- [A-Z]/ { print "      " $0 }
  ' "$log"
}
snapshot() { cp "$work/terraform.tfstate" "$tmp/states/$step.tfstate"; }
# expect_auth WANT: the agent's auth on the fake, via the admin API.
expect_auth() {
  http GET "$base/_fake/agents/$agent"
  [ "$status" = 200 ] || fail "admin API answered $status for agent $agent"
  got=$("$helper" -auth "$resp")
  say "fake: $got"
  [ "$got" = "$1" ] || fail "expected $1"
}
# expect_connect URL ORIGIN WANT_STATUS LABEL (101: the conversation started)
expect_connect() {
  connect "$1" "$2"
  printf '    %-44s -> %s %s\n' "$4" "$status" "$outcome"
  [ "$status" = "$3" ] || fail "$4: expected HTTP $3 ($outcome)"
}

# --- the fake ElevenLabs API ------------------------------------------------
api_key=demo-key-$$
fake_start "$tmp" "$fake" -agent support -api-key "$api_key"
base=$("$helper" -json base_url "$tmp/ready.json")
agent=$("$helper" -json agents.support "$tmp/ready.json")
conv_url="ws://${base#http://}/v1/convai/conversation?agent_id=$agent"

# --- the working copy of examples/quickstart --------------------------------
work=$tmp/quickstart
mkdir -p "$work" "$tmp/states"
cp "$root"/examples/quickstart/*.tf "$work/"
# shellcheck source=scripts/dev-overrides.sh
. "$root/scripts/dev-overrides.sh"
dev_cli_config "$tmp" "$bin" # exports TF_CLI_CONFIG_FILE, TF_IN_AUTOMATION, CHECKPOINT_DISABLE
export ELEVENLABS_API_KEY=$api_key ELEVENLABS_BASE_URL=$base
export TF_VAR_agent_id=$agent
# The example hands the signed URL to var.signed_url_command; here that is this
# script's __connect mode, which tries the URL on the fake.
export DEMO_TMP=$tmp DEMO_SELF=$root/scripts/demo.sh
export TF_VAR_signed_url_command='bash "$DEMO_SELF" __connect'

printf '%sOffline demo of the ElevenLabs provider%s: examples/quickstart, OpenTofu %s, fake API at %s\n' \
  "$bold" "$off" "$("$tofu" version 2>/dev/null | sed -n 's/^OpenTofu v//p' | head -n 1)" "$base"
say "agent \"support\" = $agent (starts public: no signed URL, no allowlist)"
say "provider from bin/ via dev_overrides (no tofu init); state in a temporary copy of the example"
say "every check by bin/demo-httpcheck: the fake's admin API over HTTP, conversations over WebSocket (-ws)"

# 1 ---------------------------------------------------------------------------
heading "Plan: signed-URL mode"
tf_must 2 plan -detailed-exitcode -var mode=signed_url
plan_lines
grep -q '^Plan: 2 to add, 0 to change, 0 to destroy' "$log" || fail "expected the plan to add the agent auth and the hand-off"
say "The signed URL is deferred: apply mints it only after enable_auth is set."
ok "plan exits 2 (changes pending): enable_auth = true for agent $agent"

# 2 ---------------------------------------------------------------------------
heading "Apply: signed-URL mode"
tf_must 0 apply -auto-approve -var mode=signed_url
grep -E '^(elevenlabs_agent_auth|ephemeral|terraform_data).*(Creation complete|Open complete|Provisioning)|^Apply complete' "$log" | sed 's/^/      /'
snapshot
expect_auth "enable_auth=true allowlist=[] require_origin_header=false"
ok "the agent now requires signed URLs"

# 3 ---------------------------------------------------------------------------
heading "Mint a signed URL and use it"
say "During the apply the ephemeral elevenlabs_signed_url minted a URL and the local-exec of"
say "terraform_data.hand_off_signed_url got it in \$ELEVENLABS_SIGNED_URL; for the demo that command"
say "opens a conversation on the fake over WebSocket, as the official client does (the fake is served"
say "over plain HTTP, so its signed URLs say ws://; the real API's say wss://):"
[ -s "$tmp/handoff.txt" ] || fail "the hand-off command did not run"
say "$(sed -n 's/^shape //p' "$tmp/handoff.txt")"
say "valid to start a conversation until $(sed -n 's/^expires //p' "$tmp/handoff.txt")"
read -r _ s1 o1 < <(grep '^signed ' "$tmp/handoff.txt") || fail "the hand-off recorded no connection"
read -r _ s2 o2 < <(grep '^unsigned ' "$tmp/handoff.txt") || fail "the hand-off recorded no unsigned attempt"
printf '    %-44s -> %s %s\n' "with the signed URL" "$s1" "$o1" "without conversation_signature" "$s2" "$o2"
[ "$s1" = 101 ] || fail "the signed URL was not accepted"
[ "$s2" = 403 ] && [ "$o2" = signature_required ] || fail "a connection without the signature was not refused with 403 signature_required"
ok "the signed URL starts a conversation; without the signature: 403 before the upgrade"

# 4 ---------------------------------------------------------------------------
heading "Switch to an allowlist"
say "allowed_origins = [\"https://app.example.com/support\", \"http://localhost:3000/\"] become hostnames"
say "through provider::elevenlabs::hostname_from_url; the hand-off resource goes away."
tf_must 0 apply -auto-approve -var mode=allowlist
plan_lines
snapshot
expect_auth "enable_auth=false allowlist=[app.example.com localhost:3000] require_origin_header=false"
expect_connect "$conv_url" https://app.example.com 101 "Origin: https://app.example.com"
expect_connect "$conv_url" http://localhost:3000 101 "Origin: http://localhost:3000"
expect_connect "$conv_url" https://attacker.example.net 403 "Origin: https://attacker.example.net"
[ "$outcome" = origin_not_allowed ] || fail "expected origin_not_allowed"
ok "allowed origins are accepted, others refused"

# 5 ---------------------------------------------------------------------------
heading "Drift: someone edits the agent outside Terraform"
say "The fake's admin API (PUT /_fake/agents/{id}/auth) adds attacker.example.net to the"
say "allowlist, as an edit in the ElevenLabs dashboard would."
http PUT "$base/_fake/agents/$agent/auth" '' \
  '{"enable_auth":false,"allowlist":[{"hostname":"app.example.com"},{"hostname":"localhost:3000"},{"hostname":"attacker.example.net"}],"require_origin_header":false}'
[ "$status" = 200 ] || fail "admin API answered $status"
expect_connect "$conv_url" https://attacker.example.net 101 "Origin: https://attacker.example.net"
tf_must 2 plan -detailed-exitcode -var mode=allowlist
plan_lines
grep -q '^ *- "attacker.example.net"' "$log" || fail "the plan does not remove the drifted hostname"
say "Exit 2 = the plan worked and found changes: the real agent no longer matches the configuration"
say "(0 = in sync, 1 = error). Run it on a schedule in CI to catch drift like this hostname."
ok "plan -detailed-exitcode exits 2 and proposes to remove attacker.example.net"

# 6 ---------------------------------------------------------------------------
heading "Repair the drift"
tf_must 0 apply -auto-approve -var mode=allowlist
plan_lines
snapshot
expect_auth "enable_auth=false allowlist=[app.example.com localhost:3000] require_origin_header=false"
expect_connect "$conv_url" https://attacker.example.net 403 "Origin: https://attacker.example.net"
tf_must 0 plan -detailed-exitcode -var mode=allowlist
grep -E '^No changes' "$log" | sed 's/^/      /'
ok "apply restored the allowlist; plan -detailed-exitcode exits 0"

# 7 ---------------------------------------------------------------------------
heading "Destroy: reset the agent's auth"
tf_must 0 destroy -auto-approve -var mode=allowlist
plan_lines
snapshot
expect_auth "enable_auth=false allowlist=[] require_origin_header=false"
expect_connect "$conv_url" "" 101 "no Origin, no signature"
say "Destroy keeps the agent and resets auth to the ElevenLabs defaults: it is public again."
ok "auth reset to the defaults"

# 8 ---------------------------------------------------------------------------
heading "No secrets in the state"
files=("$tmp"/states/*.tfstate "$work"/terraform.tfstate*)
n=${#files[@]}
if grep -l -E -e conversation_signature -e 'wss?://' -e "$api_key" "${files[@]}" >&2; then
  fail "a signature, signed URL or the API key was found in the state files above"
fi
say "checked $n state files (a snapshot after every apply and destroy, plus terraform.tfstate(.backup))"
ok "no conversation_signature, signed URL or API key in any of them"

printf '\n%sAll %d steps passed%s in %ss. Fake API stopped, temporary files removed.\n' "$green" "$steps" "$off" "$(($(date +%s) - started))"
