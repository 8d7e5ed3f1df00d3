#!/usr/bin/env bash
# The README's test command (via `make test`): unit tests with the race detector,
# then the acceptance suite through the real CLI against the in-repo fake API:
# first the pinned OpenTofu, then a HashiCorp terraform >= 1.10 when one is on PATH.
# Acceptance tests must not skip, except the tests listed in allowed_skips, which
# skip by a version check on a CLI that predates the feature they test; any other
# skip fails the run, and the allowed ones that did skip are printed in the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tofu="$root/bin/tofu"
[ -x "$tofu" ] || { echo "bin/tofu is missing: run 'make tofu' first" >&2; exit 1; }
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

# Tests that may skip, and why: each skips through a version check
# (cliFeature in internal/provider/cli_version_test.go) on a CLI that lacks
# the feature, e.g. resource identity on Terraform 1.11. Keep names exact.
allowed_skips=(
  TestAccAgentAuth_identity   # resource identity: OpenTofu >= 1.12, Terraform >= 1.12
  TestAccCLI_importByIdentity # resource identity: OpenTofu >= 1.12, Terraform >= 1.12
)
summary=()

cli_version() { # the CLI's "OpenTofu vX" / "Terraform vX" line (reads all output: no SIGPIPE)
  "$1" version 2>/dev/null | awk '/^(OpenTofu|Terraform) v/ && !found { print; found = 1 }'
}

run_acc() { # $1 = label, $2 = CLI path
  local log="$logdir/acc-$1.log"
  echo "=== acceptance tests with $1 ($(cli_version "$2"))"
  if ! TF_ACC=1 ELEVENLABS_REQUIRE_ACC=1 TF_ACC_TERRAFORM_PATH="$2" \
      go test -count=1 -v -timeout 30m ./internal/provider/ >"$log" 2>&1; then
    grep -E '^(=== RUN|--- FAIL|FAIL|panic)|_test.go:[0-9]+' "$log" | grep -v '^=== RUN' | tail -n 200
    echo "acceptance tests with $1 failed (full log above, cut to its failures)" >&2
    return 1
  fi
  local skipped name bad=0 allowed=()
  skipped=$(sed -n 's/^[[:space:]]*--- SKIP: \([^ ]*\) .*/\1/p' "$log")
  for name in $skipped; do
    if printf '%s\n' "${allowed_skips[@]}" | grep -qxF -- "$name"; then
      allowed+=("$name")
    else
      grep -B3 -F -- "--- SKIP: $name " "$log"
      echo "acceptance tests with $1 skipped $name, which is not an allowed skip (allowed_skips in scripts/test.sh)" >&2
      bad=1
    fi
  done
  [ "$bad" -eq 0 ] || return 1
  local n
  n=$(grep -c -E -- '^\s*--- PASS' "$log" || true)
  echo "$1: $n tests and subtests passed, ${#allowed[@]} skipped (allowed)"
  for name in "${allowed[@]}"; do
    local why
    # Go prints the skip reason just before the "--- SKIP" line.
    why=$(grep -B3 -F -- "--- SKIP: $name " "$log" | sed -n 's/^[[:space:]]*[^ ]*_test\.go:[0-9]*: \(.* predates .*\)/\1/p' | tail -n 1)
    summary+=("$1 skipped $name: $why")
  done
  tail -n 1 "$log"
}

echo "=== unit tests (race detector)"
go test -race -count=1 . ./internal/elevenlabs/... ./internal/fakeapi/... ./internal/hostname/... ./internal/httplog/... ./internal/redact/... ./internal/convclient/... ./scripts/demo/httpcheck/... ./cmd/...

echo "=== the offline demo (make demo, run and interrupted, must pass and clean up)"
go test -count=1 ./scripts/demo/...

echo "=== the live check (make testlive) against the fake on loopback"
go test -count=1 ./scripts/testlive/...

run_acc opentofu "$tofu"

if command -v terraform >/dev/null 2>&1; then
  tf=$(command -v terraform)
  v=$(cli_version "$tf" | sed -n 's/^Terraform v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  if [ -n "$v" ] && [ "${v% *}" -ge 1 ] && { [ "${v% *}" -gt 1 ] || [ "${v#* }" -ge 10 ]; }; then
    run_acc terraform "$tf"
  else
    echo "terraform on PATH is older than 1.10 ($v): not used"
  fi
else
  echo "no HashiCorp terraform on PATH: the suite ran with OpenTofu only"
fi

echo "=== summary: all tests passed"
if [ "${#summary[@]}" -gt 0 ]; then
  echo "allowed skips (the CLI predates the feature):"
  printf '  %s\n' "${summary[@]}"
else
  echo "no test skipped"
fi
