#!/usr/bin/env bash
# Installs the Debian packages every build needs and enables deb-src entries so
# `apt-get source` can fetch the third-party sources. Idempotent; needs root.
# The deb-src entries are derived from the machine's own apt sources: no
# registry host name is written here.
set -euo pipefail

PACKAGES=(
  # wasm toolchain and build tools
  emscripten meson ninja-build cmake pkg-config dpkg-dev python3 xz-utils
  # native twin build
  g++ clang libvips-dev nlohmann-json3-dev catch2
  # fuzzing/sanitizer runtime for clang
  libclang-rt-14-dev

  # node 20 + npm come with the machine image (checked below)
)

SRC_LIST=/etc/apt/sources.list.d/vips-edge-deb-src.sources
need_update=0
if [ ! -f "$SRC_LIST" ]; then
  tmp=$(mktemp)
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    [ "$f" = "$SRC_LIST" ] && continue
    # deb822 stanzas: keep every field, switch the type to deb-src.
    sed -e 's/^Types:.*$/Types: deb-src/' "$f" >>"$tmp"
    printf '\n' >>"$tmp"
  done
  if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
      >/etc/apt/sources.list.d/vips-edge-deb-src.list || true
  fi
  if grep -q 'Types: deb-src' "$tmp"; then
    install -m 0644 "$tmp" "$SRC_LIST"
  fi
  rm -f "$tmp"
  need_update=1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ $need_update = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "apt: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v node >/dev/null || { echo "node (>= 20) is required" >&2; exit 1; }
