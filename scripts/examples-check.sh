#!/usr/bin/env bash
# `make examples-check`: every example under examples/ is formatted (tofu fmt) and
# valid (tofu validate) against the provider built in bin/, through dev_overrides:
# no `init`, no API key, no network. Each example directory is validated in a
# temporary copy with a generated required_providers block, so the examples stay
# as users read them (like the scaffolding's, they have no terraform block).
# OpenTofu has no `query`: the query files (*.tfquery.hcl) are checked with the
# pinned HashiCorp Terraform (terraform fmt -check, terraform validate -query).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tofu="$root/bin/tofu"
terraform="$root/bin/terraform"
for f in "$tofu" "$terraform" "$root/bin/terraform-provider-elevenlabs"; do
  [ -x "$f" ] || { echo "$f is missing: run 'make build tofu terraform' first" >&2; exit 1; }
done
# shellcheck source=scripts/dev-overrides.sh
. scripts/dev-overrides.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dev_cli_config "$work"
unset ELEVENLABS_API_KEY ELEVENLABS_BASE_URL

echo "=== tofu fmt -check -recursive examples"
if ! "$tofu" fmt -check -recursive -diff examples; then
  echo "examples-check: the files above are not formatted: run 'make fmt' (or bin/tofu fmt -recursive examples)" >&2
  exit 1
fi

query_dirs=$(find examples -name '*.tfquery.hcl' -exec dirname {} \; | sort -u)
if [ -n "$query_dirs" ]; then
  echo "=== terraform fmt -check of the query files"
  # shellcheck disable=SC2086
  if ! "$terraform" fmt -check -diff $(find examples -name '*.tfquery.hcl'); then
    echo "examples-check: the query files above are not formatted: run bin/terraform fmt on them" >&2
    exit 1
  fi
fi

failed=0 n=0
while IFS= read -r dir; do
  n=$((n + 1))
  copy="$work/$n"
  mkdir -p "$copy"
  # Test files (*.tftest.hcl) come along: `tofu validate` checks them too.
  find "$dir" -maxdepth 1 \( -name '*.tf' -o -name '*.tftest.hcl' \) -exec cp {} "$copy"/ \;
  # An example that declares its own required_providers (a full root module such
  # as a quickstart) is validated as it is.
  grep -q required_providers "$copy"/*.tf || required_providers_tf "$copy/zz_required_providers.tf"
  if out=$(cd "$copy" && "$tofu" validate -no-color 2>&1); then
    echo "ok    $dir"
  else
    failed=$((failed + 1))
    echo "FAIL  $dir"
    sed 's/^/      /' <<<"$out"
  fi
  grep -qxF "$dir" <<<"$query_dirs" || continue
  cp "$dir"/*.tfquery.hcl "$copy"/
  if out=$(cd "$copy" && "$terraform" validate -query -no-color 2>&1); then
    echo "ok    $dir/*.tfquery.hcl (terraform validate -query)"
  else
    failed=$((failed + 1))
    echo "FAIL  $dir/*.tfquery.hcl (terraform validate -query)"
    sed 's/^/      /' <<<"$out"
  fi
done < <(find examples -name '*.tf' -exec dirname {} \; | sort -u)

[ "$n" -gt 0 ] || { echo "examples-check: no example found under examples/" >&2; exit 1; }
if [ "$failed" -gt 0 ]; then
  echo "examples-check: $failed of $n example directories are invalid" >&2
  exit 1
fi
echo "examples-check: $n example directories formatted and valid"
