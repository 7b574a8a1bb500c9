#!/usr/bin/env bash
# Fetches third-party hostile-image corpora for tests/native/test_hostile_input.cpp:
#   libpng1.6:     contrib/pngsuite (incl. interlaced), contrib/testpngs (+ crashers/)
#   libjpeg-turbo: testimages/
# from Debian's source packages (deb-src entries: third_party/apt-setup.sh)
# into ${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/vips-edge}/corpora,
# outside the repo. The test reads them from there (or $VIPS_EDGE_CORPORA)
# and skips with a warning when they are absent. Idempotent.
set -euo pipefail

CACHE="${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}"
DOWNLOADS="$CACHE/downloads"
OUT="${VIPS_EDGE_CORPORA:-$CACHE/corpora}"
mkdir -p "$DOWNLOADS" "$OUT"

# The .dsc of source package PKG: reuse a downloaded one, else try every
# revision apt knows, newest first (the newest may 404 on the mirror; see
# third_party/common.sh fetch_source).
find_dsc() {
  local pkg=$1 v dsc
  for v in $(apt-cache showsrc "$pkg" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -rVu); do
    dsc="$DOWNLOADS/${pkg}_${v#*:}.dsc"
    if [ -f "$dsc" ] || (cd "$DOWNLOADS" && apt-get source -qq --download-only "$pkg=$v" >/dev/null 2>&1); then
      echo "$dsc"; return 0
    fi
  done
  # Offline / no deb-src: any previously downloaded revision.
  dsc=$(ls -1 "$DOWNLOADS/${pkg}"_*.dsc 2>/dev/null | sort -rV | head -1 || true)
  [ -n "$dsc" ] && { echo "$dsc"; return 0; }
  echo "error: cannot download the Debian source of $pkg (deb-src configured? run third_party/apt-setup.sh)" >&2
  return 1
}

# unpack PKG NAME SUBDIR...: copies SUBDIRs of the unpacked source to $OUT/NAME/.
unpack() {
  local pkg=$1 name=$2; shift 2
  if [ -f "$OUT/$name/.done" ]; then echo "$name: present in $OUT/$name"; return 0; fi
  local dsc tmp
  # The lock third_party/fetch.sh takes: make test runs this beside the wasm
  # prefixes' build, which downloads libjpeg-turbo into the same folder.
  dsc=$( (flock 9; find_dsc "$pkg") 9>"$DOWNLOADS/.$pkg.lock")
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  dpkg-source --no-check -x "$dsc" "$tmp/src" >/dev/null
  rm -rf "${OUT:?}/$name"
  mkdir -p "$OUT/$name"
  for sub in "$@"; do
    [ -d "$tmp/src/$sub" ] && cp -r "$tmp/src/$sub" "$OUT/$name/"
  done
  basename "$dsc" .dsc >"$OUT/$name/.done"
  echo "$name: $(find "$OUT/$name" -type f ! -name .done | wc -l) files from $(basename "$dsc")"
}

unpack libpng1.6 libpng contrib/pngsuite contrib/testpngs
unpack libjpeg-turbo libjpeg-turbo testimages
