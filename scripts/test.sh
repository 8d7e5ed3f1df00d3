#!/usr/bin/env bash
# The README's test command (via `make test`): unit tests with the race detector,
# then the acceptance suite through the real CLI against the in-repo fake API:
# first the pinned OpenTofu, then a HashiCorp terraform >= 1.10 when one is on PATH.
# Acceptance tests must not skip: a skipped TestAcc fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tofu="$root/bin/tofu"
[ -x "$tofu" ] || { echo "bin/tofu is missing: run 'make tofu' first" >&2; exit 1; }
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

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
  if grep -E -- '--- SKIP' "$log"; then
    echo "acceptance tests with $1 skipped tests: a skipped acceptance test counts as a failure" >&2
    return 1
  fi
  local n
  n=$(grep -c -E -- '^\s*--- PASS' "$log" || true)
  echo "$1: $n tests and subtests passed, 0 skipped"
  tail -n 1 "$log"
}

echo "=== unit tests (race detector)"
go test -race -count=1 . ./internal/elevenlabs/... ./internal/fakeapi/... ./internal/hostname/... ./internal/httplog/... ./internal/redact/... ./internal/convclient/... ./scripts/demo/httpcheck/... ./cmd/...

echo "=== the offline demo (make demo, run and interrupted, must pass and clean up)"
go test -count=1 ./scripts/demo/...

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
