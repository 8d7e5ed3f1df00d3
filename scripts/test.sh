#!/usr/bin/env bash
# The README's test command (via `make test`): every package's unit tests with the
# race detector (make unit), the offline demo, then the acceptance suite through
# the real CLI against the in-repo fake API, once with each pinned CLI (OpenTofu
# and HashiCorp Terraform, the current and the oldest supported of each, and the
# oldest Terraform with resource identity; built by make, listed by
# `go run ./scripts/cliversions clis`). A terraform on PATH is not used.
#
# Acceptance tests must not skip: a skipped TestAcc fails the run, except a test
# (with its subtests) of a CLI feature the CLI under test lacks. Which tests those
# are comes from the one table of supported CLI versions, internal/cliversions
# (`go run ./scripts/cliversions skips "OpenTofu v1.7.8"`).
#
#   scripts/test.sh                  everything, as above
#   scripts/test.sh acc LABEL CLI    only the acceptance suite, with the CLI at path CLI
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT
summary=() # the allowed skips, printed at the end
total_passed=0 total_skipped=0 # acceptance tests and subtests, over every CLI

cli_version() { # the CLI's "OpenTofu vX" / "Terraform vX" line (reads all output: no SIGPIPE)
  "$1" version 2>/dev/null | awk '/^(OpenTofu|Terraform) v/ && !found { print; found = 1 }'
}

run_acc() { # $1 = label, $2 = CLI path
  local log="$logdir/acc-$1.log" version
  version=$(cli_version "$2")
  echo "=== acceptance tests with $1 ($version)"
  if ! TF_ACC=1 ELEVENLABS_REQUIRE_ACC=1 TF_ACC_TERRAFORM_PATH="$2" \
      go test -count=1 -v -timeout 30m ./internal/provider/ >"$log" 2>&1; then
    grep -E '^(=== RUN|--- FAIL|FAIL|panic)|_test.go:[0-9]+' "$log" | grep -v '^=== RUN' | tail -n 200
    echo "acceptance tests with $1 failed (full log above, cut to its failures)" >&2
    return 1
  fi
  local allowed lacks
  allowed=$(go run ./scripts/cliversions skips "$version" | tr '\n' ' ')
  lacks=$(go run ./scripts/cliversions lacks "$version" | paste -s -d, - | sed 's/,/, /g')
  local skipped bad="" name
  skipped=$(grep -oE -- '--- SKIP: [^ ]+' "$log" | awk '{print $3}' | sort -u || true)
  # A subtest (Test/case) skips as its test does: allowed when the test is.
  for name in $skipped; do
    case " $allowed " in *" ${name%%/*} "*) ;; *) bad+=" $name" ;; esac
  done
  if [ -n "$bad" ]; then
    for name in $bad; do grep -F -B2 -- "--- SKIP: $name " "$log" || true; done
    echo "acceptance tests with $1 skipped:$bad; a skipped acceptance test counts as a failure unless" \
      "internal/cliversions lists it for a CLI feature this CLI lacks" >&2
    return 1
  fi
  local n
  n=$(grep -c -E -- '^\s*--- PASS' "$log" || true)
  total_passed=$((total_passed + n))
  total_skipped=$((total_skipped + $(echo $skipped | wc -w)))
  if [ -n "$skipped" ]; then
    echo "$1: $n tests and subtests passed; skipped as allowed for $version (it has no $lacks): $(echo $skipped)"
    for name in $skipped; do summary+=("$1 ($version) skipped $name"); done
  else
    echo "$1: $n tests and subtests passed, 0 skipped"
  fi
  tail -n 1 "$log"
}

if [ "${1:-}" = acc ]; then
  [ $# -eq 3 ] || { echo "usage: $0 acc LABEL CLI" >&2; exit 2; }
  # go test runs in internal/provider: the CLI path must not be relative.
  case $3 in
    */*) cli="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")" ;;
    *) cli=$(command -v "$3") || { echo "$3: not found on PATH" >&2; exit 2; } ;;
  esac
  run_acc "$2" "$cli"
  exit
fi
# The pinned CLIs, "LABEL PATH" (from their pin files): all must be built.
mapfile -t clis < <(go run ./scripts/cliversions clis)
[ "${#clis[@]}" -gt 0 ] || { echo "go run ./scripts/cliversions clis listed no CLI" >&2; exit 1; }
for c in "${clis[@]}"; do
  [ -x "$root/${c#* }" ] || { echo "$root/${c#* } is missing: run 'make $(basename "${c#* }")' (make test builds every pinned CLI)" >&2; exit 1; }
done

echo "=== unit tests of every package (make unit: race detector, no TF_ACC)"
make --no-print-directory unit

echo "=== the offline demo (make demo, run and interrupted, must pass and clean up)"
go test -count=1 ./scripts/demo/...

echo "=== the live check (make testlive) against the fake on loopback"
go test -count=1 ./scripts/testlive/...

for c in "${clis[@]}"; do
  run_acc "${c%% *}" "$root/${c#* }"
done

echo "=== summary: all tests passed"
if [ "${#summary[@]}" -gt 0 ]; then
  echo "allowed skips (the CLI lacks the feature):"
  printf '  %s\n' "${summary[@]}"
else
  echo "no test skipped"
fi
# The closing line: acceptance tests and subtests over every CLI (a failure
# stops the run before this line, so none failed).
echo "acceptance: $total_passed passed, 0 failed, $total_skipped skipped"
