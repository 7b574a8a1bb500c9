#!/usr/bin/env bash
# Fetches third-party hostile-image corpora for tests/native/test_hostile_input.cpp:
#   libpng1.6:     contrib/pngsuite (incl. interlaced), contrib/testpngs (+ crashers/)
#   libjpeg-turbo: testimages/
# from Debian's source packages (deb-src entries: third_party/apt-setup.sh)
# into ${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/vips-edge}/corpora,
# outside the repo. The test reads them from there (or $VIPS_EDGE_CORPORA)
# and skips with a warning when they are absent. Idempotent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}"
DOWNLOADS="$CACHE/downloads"
OUT="${VIPS_EDGE_CORPORA:-$CACHE/corpora}"
mkdir -p "$DOWNLOADS" "$OUT"

# The recipes' source fetching (fetch_source): the same walk over revisions
# (the newest listed may 404 on the mirror) and the same lock per package,
# which matters because make test runs this beside the wasm prefixes' build,
# which downloads libjpeg-turbo into the same folder.
. "$ROOT/third_party/fetch.sh"

# unpack PKG NAME SUBDIR...: copies SUBDIRs of source package PKG, its newest
# upstream version that downloads, to $OUT/NAME/.
unpack() {
  local pkg=$1 name=$2; shift 2
  if [ -f "$OUT/$name/.done" ]; then echo "$name: present in $OUT/$name"; return 0; fi
  local tmp v upstream tried=" "
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  for v in $(apt-cache showsrc "$pkg" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -rVu); do
    upstream=$(upstream_of "$v")
    case "$tried" in *" $upstream "*) continue ;; esac
    tried="$tried$upstream "
    # fetch_source records the revision it unpacked under PREFIX.
    PREFIX="$tmp/record" fetch_source "$pkg" "$upstream" "$tmp/src" 2>/dev/null || continue
    v=$(head -1 "$tmp/record/share/vips-edge/debian/$pkg")
    rm -rf "${OUT:?}/$name"
    mkdir -p "$OUT/$name"
    for sub in "$@"; do
      [ -d "$tmp/src/$sub" ] && cp -r "$tmp/src/$sub" "$OUT/$name/"
    done
    echo "${pkg}_$v" >"$OUT/$name/.done"
    echo "$name: $(find "$OUT/$name" -type f ! -name .done | wc -l) files from ${pkg}_$v"
    return 0
  done
  echo "error: no Debian source of $pkg downloads (tried:$tried; deb-src configured? run third_party/apt-setup.sh)" >&2
  return 1
}

unpack libpng1.6 libpng contrib/pngsuite contrib/testpngs
unpack libjpeg-turbo libjpeg-turbo testimages
