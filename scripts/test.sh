#!/usr/bin/env bash
# The README's test command (via `make test`): every package's unit tests with the
# race detector (make unit), the offline demo, then the acceptance suite through
# the real CLI against the in-repo fake API: the pinned OpenTofu, the oldest
# supported OpenTofu (bin/tofu-oldest), and a HashiCorp terraform >= 1.10 when one
# is on PATH.
#
# Acceptance tests must not skip: a skipped TestAcc fails the run, except a test
# listed below (with its subtests) for a CLI feature that CLI lacks (README,
# "Supported CLI versions").
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

# Tests allowed to skip, by the CLI feature they need. Each skips through a
# cliFeature check (internal/provider/cli_versions_test.go) on a CLI older than the
# feature; skip_features below has the same oldest versions.
declare -A needs=(
  [functions]="TestAccFunctionHostnameFromURL TestAccFunctionHostnameFromURL_feedsAllowlist"
  [ephemeral]="TestAccSignedURL_mintsAndOpensConversation TestAccSignedURL_passesOptions
    TestAccSignedURL_errors TestAccSignedURL_checkAgentAuthWarnsOnlyWhenAsked
    TestAccCLI_warningsReachTheUser TestAccCLI_errorPathsLeakNothing TestAccCLI_signedURLNeverPersists
    TestAccConversationToken_mintsAWorkingToken TestAccConversationToken_passesOptions
    TestAccConversationToken_errors TestAccConversationToken_hostileAnswers
    TestAccSignedURL_passesVersionID TestAccCLI_conversationTokenNeverPersists"
  [identity]="TestAccAgentAuth_identity TestAccCLI_importByIdentity"
  [query]="TestAccAgentAuthList_findsAndFilters TestAccAgentAuthList_includeResource
    TestAccAgentAuthList_invalidAuthMode TestAccAgentAuthList_failuresEndTheQuery
    TestAccCLI_queryAdoptsEveryAgent TestAccCLI_queryCountsRequests TestAccCLI_queryReportsWhatItLeavesOut"
)

# skip_features "OpenTofu vX.Y.Z" | "Terraform vX.Y.Z": the features that CLI lacks.
skip_features() {
  local kind=${1%% *} v=${1#* v} major minor
  major=${v%%.*} minor=${v#*.} minor=${minor%%.*}
  local -A oldest
  # OpenTofu has no list resources / terraform query: [query]=1000 (no 1.x release).
  if [ "$kind" = OpenTofu ]; then
    oldest=([functions]=7 [ephemeral]=11 [identity]=12 [query]=1000)
  else
    oldest=([functions]=8 [ephemeral]=10 [identity]=12 [query]=14)
  fi
  local f
  for f in "${!oldest[@]}"; do
    if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt "${oldest[$f]}" ]; }; then echo "$f"; fi
  done
}

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
  local allowed="" f
  for f in $(skip_features "$version"); do allowed+=" ${needs[$f]}"; done
  local skipped bad="" name
  skipped=$(grep -oE -- '--- SKIP: [^ ]+' "$log" | awk '{print $3}' | sort -u || true)
  # A subtest (Test/case) skips as its test does: allowed when the test is.
  for name in $skipped; do
    case " $(echo $allowed) " in *" ${name%%/*} "*) ;; *) bad+=" $name" ;; esac
  done
  if [ -n "$bad" ]; then
    for name in $bad; do grep -F -B2 -- "--- SKIP: $name " "$log" || true; done
    echo "acceptance tests with $1 skipped:$bad; a skipped acceptance test counts as a failure unless" \
      "scripts/test.sh allows it for a CLI feature this CLI lacks" >&2
    return 1
  fi
  local n
  n=$(grep -c -E -- '^\s*--- PASS' "$log" || true)
  total_passed=$((total_passed + n))
  total_skipped=$((total_skipped + $(echo $skipped | wc -w)))
  if [ -n "$skipped" ]; then
    echo "$1: $n tests and subtests passed; skipped as allowed for $version ($(skip_features "$version" | sort | tr '\n' ' ' | sed 's/ $//') missing): $(echo $skipped)"
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
tofu="$root/bin/tofu"
tofu_oldest="$root/bin/tofu-oldest"
for f in "$tofu" "$tofu_oldest"; do
  [ -x "$f" ] || { echo "$f is missing: run 'make tofu tofu-oldest' first" >&2; exit 1; }
done

echo "=== unit tests of every package (make unit: race detector, no TF_ACC)"
make --no-print-directory unit

echo "=== the offline demo (make demo, run and interrupted, must pass and clean up)"
go test -count=1 ./scripts/demo/...

echo "=== the live check (make testlive) against the fake on loopback"
go test -count=1 ./scripts/testlive/...

run_acc opentofu "$tofu"
run_acc opentofu-oldest "$tofu_oldest"

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
# The closing line: acceptance tests and subtests over every CLI (a failure
# stops the run before this line, so none failed).
echo "acceptance: $total_passed passed, 0 failed, $total_skipped skipped"
