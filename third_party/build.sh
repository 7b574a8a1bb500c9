#!/usr/bin/env bash
# Builds the wasm32 prefix (static libs, headers, .pc files, versions.json)
# of every library pinned in versions.sh, one recipe per library.
#
# The prefix lives outside the clone, in
#   ${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/vips-edge}/wasm-prefix-<hash>
# where <hash> covers every file of third_party/, so CI and fresh clones reuse
# it until a recipe changes. It is built in a temporary folder and renamed into
# place when complete: a half-built prefix is never used.
# Prints the prefix path on the last line of stdout.
set -euo pipefail

THIRD_PARTY=$(cd "$(dirname "$0")" && pwd)
export THIRD_PARTY
. "$THIRD_PARTY/versions.sh"

CACHE=${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}
HASH=$(cd "$THIRD_PARTY" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
FINAL="$CACHE/wasm-prefix-$HASH"

if [ -f "$FINAL/versions.json" ]; then
  echo "$FINAL"
  exit 0
fi

# Read all of emcc's output (an early-closed pipe makes emcc fail).
emcc_banner=$(NODE_PATH=/usr/share/nodejs emcc --version)
emcc_version=$(sed -nE '1s/.* ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' <<<"$emcc_banner")
if [ "$emcc_version" != "$EMSCRIPTEN_VERSION" ]; then
  echo "error: emcc $emcc_version found, third_party/versions.sh pins $EMSCRIPTEN_VERSION" >&2
  exit 1
fi

mkdir -p "$CACHE"
# One build at a time per cache: a second `make` waits, then finds the prefix.
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$FINAL/versions.json" ]; then
  echo "$FINAL"
  exit 0
fi
STAGE="$CACHE/wasm-prefix-$HASH.partial.$$"
SCRATCH="$CACHE/build-$HASH.$$"
export PREFIX="$STAGE" DOWNLOADS="$CACHE/downloads" JOBS=${JOBS:-$(nproc)}
trap 'rm -rf "$STAGE" "$SCRATCH"' EXIT
rm -rf "$CACHE"/wasm-prefix-*.partial.* "$CACHE"/build-*.*  # leftovers of interrupted builds
mkdir -p "$STAGE/lib/pkgconfig" "$SCRATCH"

lib_field() { # name field(1=pkg,2=version)
  local line
  for line in "${THIRD_PARTY_LIBS[@]}"; do
    set -- $line
    if [ "$1" = "$NAME_Q" ]; then [ "$FIELD_Q" = 1 ] && echo "$2" || echo "$3"; return; fi
  done
}

# stage NAME: runs third_party/NAME/build.sh in its own scratch folder and
# prints one progress line with the time it took.
stage() {
  local name=$1 start=$SECONDS pkg version
  NAME_Q=$name FIELD_Q=1; pkg=$(lib_field)
  NAME_Q=$name FIELD_Q=2; version=$(lib_field)
  mkdir -p "$SCRATCH/$name"
  echo "third_party: $name $version ..." >&2
  if ! (export NAME=$name PKG=$pkg VERSION=$version WORK="$SCRATCH/$name"
        cd "$SCRATCH/$name" && bash -euo pipefail -c '. "$THIRD_PARTY/$NAME/build.sh"') \
        >"$SCRATCH/$name.log" 2>&1; then
    echo "third_party: $name FAILED after $((SECONDS - start))s; last lines of its log:" >&2
    tail -50 "$SCRATCH/$name.log" >&2
    return 1
  fi
  printf 'third_party: %-14s %-8s done in %dm%02ds\n' "$name" "$version" \
    $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) >&2
}

chain() { local s; for s in "$@"; do stage "$s" || return 1; done; }

total=$SECONDS
stage zlib
# Two independent chains keep both cores busy (glib's configure is serial).
chain libffi pcre2 glib & a=$!
chain expat libjpeg-turbo libpng libwebp libexif lcms2 & b=$!
status=0; wait $a || status=1; wait $b || status=1
[ $status = 0 ] || exit 1
stage libvips

# versions.json: what ships beside the module, like sharp's sharp.versions.
{
  printf '{\n  "emscripten": "%s"' "$emcc_version"
  for line in "${THIRD_PARTY_LIBS[@]}"; do
    set -- $line
    deb=""
    [ -f "$STAGE/share/vips-edge/debian/$2" ] && deb=$(cat "$STAGE/share/vips-edge/debian/$2")
    printf ',\n  "%s": {"upstream": "%s"' "$1" "$3"
    [ -n "$deb" ] && printf ', "debian": "%s", "debianSource": "%s"' "$deb" "$2"
    printf '}'
  done
  printf '\n}\n'
} >"$STAGE/versions.json.tmp"

# Installed .pc/.cmake files name the staging folder: point them at the final one.
for dir in "$STAGE/lib/pkgconfig" "$STAGE/share/pkgconfig" "$STAGE/lib/cmake"; do
  if [ -d "$dir" ]; then
    { grep -rlF "$STAGE" "$dir" || true; } | xargs -r sed -i "s|$STAGE|$FINAL|g"
  fi
done
mv "$STAGE/versions.json.tmp" "$STAGE/versions.json"
rm -rf "$FINAL"
mv "$STAGE" "$FINAL"
printf 'third_party: wasm prefix complete in %dm%02ds: %s\n' $(((SECONDS - total) / 60)) $(((SECONDS - total) % 60)) "$FINAL" >&2
echo "$FINAL"
