#!/usr/bin/env bash
# Builds a prefix (static libs, headers, .pc files, versions.json) from the
# libraries pinned in versions.sh, one recipe per library:
#
#   build.sh [wasm]       every library, for wasm32 (third_party/<lib>/build.sh)
#   build.sh native       Highway + libvips for the native twin, against Debian
#                         12's native codecs (third_party/<lib>/native.sh), so
#                         the Catch2 tests run the libvips the module runs
#   build.sh native-asan  the same with clang, ASan/UBSan and fuzzer coverage,
#                         over the product's decoders (libjpeg-turbo, libspng,
#                         libwebp, libexif, lcms2, dav1d + libheif, libtiff) built alike
#   build.sh codec        aom, dav1d, libheif and libtiff, for the codec module
#                         (a second wasm module, without pthreads: AVIF, TIFF)
#
# The prefix lives outside the clone, in
#   ${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/vips-edge}/<target>-prefix-<hash>
# where <hash> covers the recipes that target uses, so CI and fresh clones
# reuse it until one changes. It is built in a temporary folder and renamed
# into place when complete: a half-built prefix is never used.
# Prints the prefix path on the last line of stdout.
set -euo pipefail

TARGET=${1:-wasm}
THIRD_PARTY=$(cd "$(dirname "$0")" && pwd)
export THIRD_PARTY TARGET
. "$THIRD_PARTY/versions.sh"

case "$TARGET" in
  wasm|codec) NATIVE_LIBS=() ;;
  native|native-asan) . "$THIRD_PARTY/native-libs.sh" ;;
  *) echo "usage: $0 [wasm|native|native-asan|codec]" >&2; exit 2 ;;
esac
CODEC_NAMES=(); for line in "${CODEC_LIBS[@]}"; do set -- $line; CODEC_NAMES+=("$1"); done

# The files a target's build reads: shared scripts, and its recipes (a wasm
# recipe change leaves the native prefixes alone and the other way round).
recipe_files() {
  if [ "$TARGET" = wasm ]; then
    local skip=() lib
    for lib in "${CODEC_NAMES[@]}"; do skip+=(! -path "./$lib/*"); done
    # The build root's scripts and apt-setup.sh only set up the toolchain;
    # buildroot/packages (what the toolchain is) counts.
    find . -type f ! -name native.sh ! -name native-common.sh ! -name native-codec.sh ! -name native-libs.sh \
      ! -name codec-common.sh \
      ! -name 'buildroot*.sh' ! -name apt-setup.sh "${skip[@]}" -print0
  elif [ "$TARGET" = codec ]; then
    find versions.sh fetch.sh common.sh codec-common.sh buildroot/packages "${CODEC_NAMES[@]}" -type f ! -name native.sh -print0
  else
    find versions.sh fetch.sh native-common.sh native-libs.sh -print0
    [ "$TARGET" = native ] || find native-codec.sh -print0
    for lib in "${NATIVE_LIBS[@]}"; do find "$lib" -type f ! -name build.sh -print0; done
  fi
}
CACHE=${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}
HASH=$(cd "$THIRD_PARTY" && recipe_files | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
FINAL="$CACHE/$TARGET-prefix-$HASH"

if [ -f "$FINAL/versions.json" ]; then
  echo "$FINAL"
  exit 0
fi

if [ "$TARGET" = wasm ] || [ "$TARGET" = codec ]; then
  if ! command -v emcc >/dev/null; then
    echo "error: no emcc here: the wasm prefixes are built inside the Debian 13 build root" >&2
    echo "       (make prefix / make codec-prefix, or: bash third_party/buildroot.sh run $0 $TARGET)" >&2
    exit 1
  fi
  # Read all of emcc's output (an early-closed pipe makes emcc fail).
  emcc_banner=$(emcc --version)
  compiler=emscripten
  compiler_version=$(sed -nE '1s/.* ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' <<<"$emcc_banner")
  if [ "$compiler_version" != "$EMSCRIPTEN_VERSION" ]; then
    echo "error: emcc $compiler_version found, third_party/versions.sh pins $EMSCRIPTEN_VERSION" >&2
    echo "       (the build root's emscripten moved: re-test with it and update the pin," >&2
    echo "       or pin the package version in third_party/buildroot/packages)" >&2
    exit 1
  fi
else
  compiler=$([ "$TARGET" = native ] && echo gcc || echo clang)
  compiler_version=$("$compiler" -dumpfullversion 2>/dev/null || "$compiler" -dumpversion)
fi

mkdir -p "$CACHE"
# One build of a target at a time per cache: a second `make` waits, then finds
# the prefix. Different targets build side by side (make builds).
exec 9>"$CACHE/.lock-$TARGET"
flock 9
if [ -f "$FINAL/versions.json" ]; then
  echo "$FINAL"
  exit 0
fi
STAGE="$CACHE/$TARGET-prefix-$HASH.partial.$$"
SCRATCH="$CACHE/build-$TARGET-$HASH.$$"
export PREFIX="$STAGE" DOWNLOADS="$CACHE/downloads" JOBS=${JOBS:-$(nproc)}
trap 'rm -rf "$STAGE" "$SCRATCH"' EXIT
# Leftovers of this target's interrupted builds (the 16 characters are a
# hash, so native's pattern does not reach native-asan's builds in progress).
rm -rf "$CACHE/$TARGET-prefix-"????????????????.partial.* "$CACHE/build-$TARGET-"????????????????.*
mkdir -p "$STAGE/lib/pkgconfig" "$SCRATCH"

lib_field() { # name field(1=pkg,2=version)
  local line
  for line in "${THIRD_PARTY_LIBS[@]}" "${CODEC_LIBS[@]}"; do
    set -- $line
    if [ "$1" = "$NAME_Q" ]; then [ "$FIELD_Q" = 1 ] && echo "$2" || echo "$3"; return; fi
  done
}

# stage NAME: runs NAME's recipe for TARGET in its own scratch folder and
# prints one progress line with the time it took.
stage() {
  local name=$1 start=$SECONDS pkg version recipe
  NAME_Q=$name FIELD_Q=1; pkg=$(lib_field)
  NAME_Q=$name FIELD_Q=2; version=$(lib_field)
  recipe=$([ "$TARGET" = wasm ] || [ "$TARGET" = codec ] && echo build.sh || echo native.sh)
  mkdir -p "$SCRATCH/$name"
  echo "third_party ($TARGET): $name $version ..." >&2
  if ! (export NAME=$name PKG=$pkg VERSION=$version WORK="$SCRATCH/$name" RECIPE=$recipe
        cd "$SCRATCH/$name" && bash -euo pipefail -c '. "$THIRD_PARTY/$NAME/$RECIPE"') \
        >"$SCRATCH/$name.log" 2>&1; then
    echo "third_party ($TARGET): $name FAILED after $((SECONDS - start))s; last lines of its log:" >&2
    tail -50 "$SCRATCH/$name.log" >&2
    return 1
  fi
  grep '^warning:' "$SCRATCH/$name.log" >&2 || true  # e.g. an unpatched source (fetch.sh)
  printf 'third_party (%s): %-14s %-8s done in %dm%02ds\n' "$TARGET" "$name" "$version" \
    $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) >&2
}

chain() { local s; for s in "$@"; do stage "$s" || return 1; done; }

total=$SECONDS
if [ "$TARGET" = wasm ]; then
  stage zlib
  # Two independent chains keep both cores busy (glib's configure is serial).
  chain libffi pcre2 glib & a=$!
  chain libdeflate libspng libwebp libjpeg-turbo expat libexif lcms2 highway & b=$!
  status=0; wait $a || status=1; wait $b || status=1
  [ $status = 0 ] || exit 1
  stage libvips
  BUILT=(); for line in "${THIRD_PARTY_LIBS[@]}"; do set -- $line; BUILT+=("$1"); done
elif [ "$TARGET" = codec ]; then
  # aom's configure is serial and slow: dav1d and tiff build beside it.
  stage aom & a=$!
  chain dav1d tiff & b=$!
  status=0; wait $a || status=1; wait $b || status=1
  [ $status = 0 ] || exit 1
  stage libheif
  # tiff's recipe builds zlib and libjpeg-turbo for this module too.
  BUILT=("${CODEC_NAMES[@]}" zlib libjpeg-turbo)
else
  chain "${NATIVE_LIBS[@]}"
  BUILT=("${NATIVE_LIBS[@]}")
fi

# versions.json: what ships beside the module, like sharp's sharp.versions.
{
  printf '{\n  "%s": "%s"' "$compiler" "$compiler_version"
  for line in "${THIRD_PARTY_LIBS[@]}" "${CODEC_LIBS[@]}"; do
    set -- $line
    if [[ " ${BUILT[*]} " != *" $1 "* ]]; then continue; fi
    printf ',\n  "%s": {"upstream": "%s"' "$1" "$3"
    record="$STAGE/share/vips-edge/debian/$2"  # revision, then how (fetch.sh)
    if [ -f "$record" ]; then
      printf ', "debian": "%s", "debianSource": "%s", "fetched": "%s"' \
        "$(sed -n 1p "$record")" "$2" "$(sed -n 2p "$record")"
    fi
    # Our own patches on top of Debian's, by name: a security fix of a
    # revision the mirror does not serve is carried as one, named after its
    # CVE (libvips' 05-08: deb13u2's, over the deb13u1 recorded above).
    patches=$( (cd "$THIRD_PARTY/$1" 2>/dev/null && ls -1 -- *.patch 2>/dev/null || true) |
      sed 's/.*/"&"/' | paste -sd, - | sed 's/,/, /g')
    [ -z "$patches" ] || printf ', "patches": [%s]' "$patches"
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
printf 'third_party (%s): prefix complete in %dm%02ds: %s\n' "$TARGET" \
  $(((SECONDS - total) / 60)) $(((SECONDS - total) % 60)) "$FINAL" >&2
echo "$FINAL"
