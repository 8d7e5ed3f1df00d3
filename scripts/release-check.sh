#!/usr/bin/env bash
# `make release-check`: .goreleaser.yml is valid, and a snapshot build of one
# target (linux/amd64) works with it. Offline: nothing is signed, archived or
# published. The binary lands in dist/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
goreleaser="$(pwd)/bin/goreleaser"
[ -x "$goreleaser" ] || { echo "$goreleaser is missing: run 'make goreleaser' first" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() { # quiet on success, everything on failure
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "release-check: '$*' failed" >&2
    exit 1
  fi
}

run "$goreleaser" check
GOOS=linux GOARCH=amd64 run "$goreleaser" build --snapshot --clean --single-target

bin=$(find dist -type f -path '*linux_amd64*' -name 'terraform-provider-elevenlabs_v*' | head -n 1)
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  find dist -maxdepth 2 >&2 || true
  echo "release-check: no terraform-provider-elevenlabs_v* binary for linux/amd64 in dist/" >&2
  exit 1
fi
# The version in the file name must be stamped into main.version (-trimpath
# keeps -ldflags out of the build info, so look for the string itself), and the
# binary must be static.
version=${bin##*/terraform-provider-elevenlabs_v}
grep -q -a -F -- "$version" "$bin" || { echo "release-check: $bin does not carry its version $version (-X main.version)" >&2; exit 1; }
go version -m "$bin" | grep -q 'CGO_ENABLED=0' || { echo "release-check: $bin was not built with CGO_ENABLED=0" >&2; exit 1; }
echo "release-check: .goreleaser.yml is valid; snapshot build ok: $bin"
