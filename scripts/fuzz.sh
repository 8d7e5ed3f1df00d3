#!/usr/bin/env bash
# Runs every Go fuzz target for FUZZTIME each (default 10s), on top of its
# committed seed corpus (testdata/fuzz/). A finding fails the run and is written
# to testdata/fuzz/ by Go, ready to commit as a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10s}
for pkg in $(go list ./internal/... ./cmd/...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "=== fuzz $pkg $target ($fuzztime)"
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -fuzzminimizetime=5s "$pkg"
  done
done
