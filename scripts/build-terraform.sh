#!/usr/bin/env bash
# scripts/build-terraform.sh PIN OUT: builds the HashiCorp Terraform named in the pin
# file PIN (tools/terraform/version, tools/terraform-oldest/version: its one line
# that is not a comment, such as v1.15.0) from the Go module proxy into OUT.
# `make terraform` and `make terraform-oldest` run it. Terraform is BUSL-1.1: the
# source is copied to a temporary folder, built there and deleted; only OUT stays.
#
# Why not `go install github.com/hashicorp/terraform@VERSION`: since 1.9 Terraform's
# go.mod replaces nested remote-state backend modules (and, since 1.12,
# internal/legacy) with local folders that the module's zip does not hold, and go
# install refuses a module with replace directives. So the copy drops those modules: their require and
# replace lines from go.mod, their imports and backend entries from
# internal/backend/init/init.go. The backends the tests use remain (local, http,
# inmem, remote, cloud). Versions without such replaces (before 1.9) keep their
# go.mod and lose the same backends, so every build has the same ones.
#
# It fails loudly when the patch no longer fits (a line it deletes is missing, a
# local replace it does not know, go.mod needing other changes) and when the result
# does not call itself exactly "Terraform VERSION" (no -dev).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 PIN_FILE OUT" >&2; exit 2; }
pin=$1
mkdir -p "$(dirname "$2")"
out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") # the build runs in another folder
fail() { echo "build-terraform: $*" >&2; exit 1; }

version=$(grep -v -E '^\s*(#|$)' "$pin" || true)
[[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  fail "$pin must hold one version line such as v1.15.0 (besides # comments), found: '$version'"

module=github.com/hashicorp/terraform
json=$(go mod download -json "$module@$version") || fail "go mod download $module@$version failed: $json"
dir=$(sed -n 's/^\s*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
[ -n "$dir" ] && [ -f "$dir/go.mod" ] || fail "no source folder for $module@$version in: $json"

src=$(mktemp -d)
trap 'chmod -R u+w "$src" 2>/dev/null; rm -rf "$src"' EXIT
cp -R "$dir"/. "$src"
chmod -R u+w "$src"
cd "$src"

# The remote-state backends in init.go, except the two the tests may use, leave
# the binary in every version (also before 1.9, where they are part of the main
# module): one feature set, and no cloud SDK to compile.
init=internal/backend/init/init.go
rs="$module/internal/backend/remote-state"
mapfile -t drop < <(sed -n -E "s#^\s*[A-Za-z0-9_]+ \"$rs/([a-z0-9]+)\"\$#\1#p" "$init" | grep -v -x -E 'http|inmem')
[ "${#drop[@]}" -gt 0 ] || fail "$init imports no remote-state backend to drop: its layout changed, update the script"

# The modules go.mod replaces with local folders: none (before 1.9), or exactly
# those backends (and internal/legacy, since 1.12), whose require and replace lines go.
local_replaces=$(sed -n -E "s#^replace $module/([^ ]+) => \./.*#\1#p" go.mod | sort)
if [ -n "$local_replaces" ]; then
  expected=$( (printf 'internal/backend/remote-state/%s\n' "${drop[@]}"
    grep -x -F internal/legacy <<<"$local_replaces" || true) | sort)
  [ "$local_replaces" = "$expected" ] ||
    fail "go.mod of $module@$version replaces other local modules than the backends init.go imports and internal/legacy; update the script. go.mod: $(echo $local_replaces); expected: $(echo $expected)"
  for m in $local_replaces; do
    n=$(grep -c -E "^\s*(replace )?$module/$m (v0\.0\.0-00010101000000-000000000000|=> \./$m)$" go.mod || true)
    [ "$n" -eq 2 ] || fail "go.mod of $module@$version: expected one require and one replace line for $m, found $n"
    sed -i -E "\#^\s*(replace )?$module/$m (v0\.0\.0-|=> )#d" go.mod
  done
  if grep -q -F "$module/internal/" go.mod; then
    fail "go.mod still names a nested module after the patch: $(grep -F "$module/internal/" go.mod)"
  fi
fi

for b in "${drop[@]}"; do
  alias=$(sed -n -E "s#^\s*([A-Za-z0-9_]+) \"$rs/$b\"\$#\1#p" "$init")
  entry="^\s*\"[a-z0-9]+\": +func\(\) backend\.Backend \{ return $alias\.New\(\) \},\$"
  n=$(grep -c -E "$entry" "$init" || true)
  [ "$n" -eq 1 ] || fail "$init: expected one backend entry calling $alias.New() (remote-state/$b), found $n"
  sed -i -E "\#^\s*$alias \"$rs/$b\"\$#d; \#$entry#d" "$init"
done
left=$(grep -c -E "\"$rs/" "$init" || true)
[ "$left" -eq 2 ] || fail "$init: want the http and inmem backends left after the patch, found $left remote-state imports"

# -mod=readonly: a go.mod that needs any other change after the patch fails here
# instead of resolving new versions. dev=no: without it the binary says VERSION-dev.
tmp="$out.tmp.$$"
go build -mod=readonly -trimpath -ldflags "-X $module/version.dev=no" -o "$tmp" . ||
  fail "go build of $module@$version failed (above)"
got=$("$tmp" version 2>/dev/null | awk 'NR == 1' || true)
if [ "$got" != "Terraform $version" ]; then
  rm -f "$tmp"
  fail "the build says '$got', want 'Terraform $version'"
fi
mv -f "$tmp" "$out"
echo "build-terraform: $out is $got (built from the Go module proxy; BUSL-1.1: never commit or ship it)"
