#!/usr/bin/env bash
# Installs the Debian packages every build needs and enables deb-src entries so
# `apt-get source` can fetch the third-party sources. Idempotent; needs root.
# The deb-src entries are derived from the machine's own apt sources: no
# registry host name is written here.
set -euo pipefail

PACKAGES=(
  # build tools (the native twin, source fetching); the wasm toolchain
  # (Debian 13's emscripten) lives in a build root made by debootstrap
  # (third_party/buildroot.sh), never on this machine
  meson ninja-build cmake pkg-config dpkg-dev python3 xz-utils debootstrap
  # native twin build: libvips itself is built from the same source as the
  # module (third_party/build.sh native), against Debian's native codecs
  g++ clang nlohmann-json3-dev catch2 libglib2.0-dev libexpat1-dev zlib1g-dev
  libjpeg62-turbo-dev libspng-dev libwebp-dev libexif-dev liblcms2-dev
  # the codec module's C++ natively (src/codec/): Debian's libheif (aom and
  # dav1d built in) and libtiff complete AVIF and TIFF requests in the tests
  # and fuzzers; libtiff-tools makes the TIFF fixtures and fuzz seeds
  libheif-dev libtiff-dev libtiff-tools
  # fuzzing/sanitizer runtime for clang
  libclang-rt-14-dev

  # node 20 + npm come with the machine image (checked below)
)

# Third-party sources come from this release (bookworm) and, where newer
# libraries pay (libvips 8.16, Highway, libspng...), from the next one (trixie)
# and bookworm-backports, and sid where a fix or feature needs it (lossless
# JPEG in libjpeg-turbo 3.1, libheif's 2026 security fixes): source packages only ("deb-src"), so no binary of
# another release is ever installed here.
CODENAME=$(. /etc/os-release && echo "$VERSION_CODENAME")
NEWER=trixie
SRC_LIST=/etc/apt/sources.list.d/vips-edge-deb-src.sources
SRC_LIST_ONELINE=/etc/apt/sources.list.d/vips-edge-deb-src.list
# deb822 stanzas: every field kept, the type switched to deb-src; each stanza
# is written twice, for this release's suites and for the newer ones
# (bookworm -> trixie + bookworm-backports + sid, bookworm-security -> trixie-security).
derive_deb822() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "$f" != "$SRC_LIST" ] || continue
    grep -Eq '^Types:(.* )?deb( |$)' "$f" || continue
    sed -e 's/^Types:.*$/Types: deb-src/' "$f"
    printf '\n'
    awk -v old="$CODENAME" -v new="$NEWER" '
      /^Types:/ { print "Types: deb-src"; next }
      /^Suites:/ {
        line = "Suites:"
        for (i = 2; i <= NF; i++) {
          s = $i; n = s; sub("^" old, new, n); line = line " " n
          if (s == old) line = line " " old "-backports sid"
        }
        print line; next
      }
      { print }' "$f"
    printf '\n'
  done
}
# The one-line sources.list format, when the machine uses it.
derive_oneline() {
  [ -f /etc/apt/sources.list ] || return 0
  local line
  grep -E '^deb ' /etc/apt/sources.list | while read -r line; do
    echo "deb-src ${line#deb }"
    echo "deb-src ${line#deb }" | sed -E "s/ $CODENAME(-[a-z]+)? / $NEWER\1 /"
    case "$line" in *" $CODENAME "*)
      echo "deb-src ${line#deb }" | sed "s/ $CODENAME / $CODENAME-backports /"
      echo "deb-src ${line#deb }" | sed "s/ $CODENAME / sid /" ;;
    esac
  done
}
# --print-sources: the deb-src entries this clone's recipes need, without
# touching the machine (the build root takes them from here, so a clone with
# other suites on the same machine cannot change what the root fetches).
if [ "${1:-}" = --print-sources ]; then
  printf '%s\n' "$(derive_deb822)" >"$2.sources"
  printf '%s\n' "$(derive_oneline)" >"$2.list"
  exit 0
fi
need_update=0
# install_if_changed FILE CONTENT: rewrites FILE only when it differs.
install_if_changed() {
  [ -n "$2" ] || return 0
  [ "$2" = "$(cat "$1" 2>/dev/null)" ] && return 0
  printf '%s\n' "$2" >"$1.tmp" && mv "$1.tmp" "$1"
  need_update=1
}
install_if_changed "$SRC_LIST" "$(derive_deb822)"
install_if_changed "$SRC_LIST_ONELINE" "$(derive_oneline)"
# The newer suites' source indices must be there, whatever set them up.
apt-cache showsrc vips 2>/dev/null | grep -q '^Version: 8\.16' || need_update=1

# apt-get, waiting while another apt holds its lock (a build, a test and a
# fuzz run in other clones all call this script) instead of failing the run.
apt_get() {
  local out try
  for try in $(seq 120); do
    if out=$(apt-get "$@" 2>&1); then [ -z "$out" ] || printf '%s\n' "$out"; return 0; fi
    grep -q 'Could not get lock\|Unable to lock' <<<"$out" || { printf '%s\n' "$out" >&2; return 1; }
    sleep 5
  done
  printf '%s\n' "$out" >&2; return 1
}

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ $need_update = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt_get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "apt: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v node >/dev/null || { echo "node (>= 20) is required" >&2; exit 1; }
