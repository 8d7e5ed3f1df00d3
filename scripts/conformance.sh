#!/usr/bin/env bash
# make conformance: the official ElevenLabs JavaScript packages, pinned in
# tools/conformance/package-lock.json, against the in-repo fake API. Installs
# them (npm ci), starts bin/fake-elevenlabs on a free loopback port, runs the
# node:test files in tools/conformance/test/ (every endpoint through
# @elevenlabs/elevenlabs-js, conversations through @elevenlabs/client, and the
# provider through bin/tofu), and stops the fake whatever happens (success,
# failure, Ctrl-C). A check that fails names the endpoint and quotes what the
# SDK said and what the fake answered.
#
# Needs node >= 20 and npm (npm ci reaches the npm registry, or its cache),
# bin/tofu, bin/terraform-provider-elevenlabs and bin/fake-elevenlabs (make
# conformance builds them). CONFORMANCE_ARGS are passed to node --test, e.g.
# CONFORMANCE_ARGS='--test-name-pattern=429'.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/bin
dir=$root/tools/conformance
fake=$bin/fake-elevenlabs

fail() { printf 'conformance: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || fail "node is not on PATH (Node.js >= 20 is needed)"
command -v npm >/dev/null || fail "npm is not on PATH"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js $(node --version) is too old: the official clients need >= 20"
for b in "$bin/tofu" "$bin/terraform-provider-elevenlabs" "$fake"; do
  [ -x "$b" ] || fail "missing $b: run 'make conformance'"
done

# Nothing from the caller's environment may steer the CLI, the provider or the SDK.
for v in $(env | sed -n 's/^\(TF_[A-Za-z0-9_]*\|ELEVENLABS_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done

started=$(date +%s)
# npm ci unless node_modules was installed by npm ci from this very lock file
# (a stamp with its checksum; a fresh clone always runs npm ci).
stamp=$dir/node_modules/.conformance-installed
want=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -z "${CONFORMANCE_NPM_CI:-}" ]; then
  echo "==> tools/conformance/node_modules is installed from this package-lock.json (CONFORMANCE_NPM_CI=1 reinstalls)"
else
  echo "==> npm ci (tools/conformance: @elevenlabs/elevenlabs-js, @elevenlabs/client, ws at the versions in package-lock.json)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
fi
node -e 'const fs = require("fs");
for (const p of ["@elevenlabs/elevenlabs-js", "@elevenlabs/client"])
  console.log(`    ${p} ${JSON.parse(fs.readFileSync(`${process.argv[1]}/node_modules/${p}/package.json`, "utf8")).version}`)' "$dir"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/elevenlabs-conformance.XXXXXX")
# shellcheck source=scripts/fake-api.sh
. "$root/scripts/fake-api.sh"
fake_cleanup_on_exit "$tmp"

api_key=conformance-key-$$
fake_start "$tmp" "$fake" -api-key "$api_key"
base=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).base_url' "$tmp/ready.json")
echo "==> fake ElevenLabs API at $base"

# The dev_overrides CLI configuration, from the one helper every plain CLI run uses.
. "$root/scripts/dev-overrides.sh"
dev_cli_config "$tmp" "$bin"

export CONFORMANCE_BASE_URL=$base CONFORMANCE_API_KEY=$api_key CONFORMANCE_TMP=$tmp
export CONFORMANCE_TOFU=$bin/tofu CONFORMANCE_TF_CLI_CONFIG=$TF_CLI_CONFIG_FILE
echo "==> node --test (tools/conformance/test)"
rc=0
(cd "$dir" && node --test --test-reporter=spec --test-timeout=120000 ${CONFORMANCE_ARGS:-} test/*.test.mjs) || rc=$?
if [ "$rc" -ne 0 ]; then
  printf '\nconformance: FAILED: the fake and the official ElevenLabs clients disagree (the failing checks are listed above, each with its endpoint and the SDK'"'"'s words)\n' >&2
else
  printf '\nconformance: the fake conforms to @elevenlabs/elevenlabs-js and @elevenlabs/client (%ss)\n' "$(($(date +%s) - started))"
fi
exit "$rc"
