#!/usr/bin/env bash
# buildroot-run.sh ROOT CMD...: runs CMD inside the Debian 13 build root ROOT
# (third_party/buildroot.sh), as root, in the current directory. In a private
# mount namespace (nothing stays mounted when CMD ends): /proc, /dev, the
# clone and the cache dir are bind-mounted at their own paths, so every path
# (prefixes, .pc files, build dirs) reads the same inside and outside.
# The host's deb-src entries (third_party/apt-setup.sh) are synced into the
# root first, so the recipes' `apt-get source` sees the same suites.
set -euo pipefail
ROOT=$1; shift
THIRD_PARTY=$(cd "$(dirname "$0")" && pwd)
CLONE=$(dirname "$THIRD_PARTY")
CACHE=${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd -P)

if [ -z "${VIPS_EDGE_IN_NAMESPACE:-}" ]; then
  exec env VIPS_EDGE_IN_NAMESPACE=1 unshare --mount --propagation private bash "$0" "$ROOT" "$@"
fi

# Source entries: this clone's (apt-setup.sh --print-sources, derived from the
# machine's apt sources), once per change (then the root's index is updated).
sync_apt_sources() {
  local f changed=0 want
  want=$(mktemp -d)
  bash "$THIRD_PARTY/apt-setup.sh" --print-sources "$want/vips-edge-deb-src"
  for f in vips-edge-deb-src.sources vips-edge-deb-src.list; do
    local dest="$ROOT/etc/apt/sources.list.d/$f"
    if [ -n "$(tr -d '[:space:]' <"$want/$f")" ]; then
      cmp -s "$want/$f" "$dest" || { cp "$want/$f" "$dest"; changed=1; }
    elif [ -f "$dest" ]; then
      rm -f "$dest"; changed=1
    fi
  done
  rm -rf "$want"
  # The host's acquire settings (e.g. a mirror of dated snapshots whose Release
  # files are past Valid-Until) apply to the same entries inside the root.
  local conf="$ROOT/etc/apt/apt.conf.d/90vips-edge-host"
  local host_conf
  host_conf=$(apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|https?::Proxy) ' || true)
  if [ "$host_conf" != "$(cat "$conf" 2>/dev/null)" ]; then
    printf '%s\n' "$host_conf" >"$conf"; changed=1
  fi
  [ -f "$ROOT/var/lib/apt/lists/.vips-edge-updated" ] || changed=1
  [ $changed = 1 ] || return 0
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin apt-get update -qq >/dev/null
  touch "$ROOT/var/lib/apt/lists/.vips-edge-updated"
}

mount -t proc proc "$ROOT/proc"
mount --rbind /dev "$ROOT/dev"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
for dir in "$CLONE" "$CACHE"; do
  mkdir -p "$ROOT$dir"
  mount --bind "$dir" "$ROOT$dir"
done
(
  flock 9
  sync_apt_sources
) 9>"$ROOT/.apt-sync.lock"

# Emscripten's cache: Debian ships it frozen (FROZEN_CACHE), and a frozen
# cache also skips the cache of JS symbol lists, so every link runs the JS
# compiler twice. The configure checks of glib, libvips, aom and libheif are
# many such links: unfrozen at the same path, a link check takes ~40 % less
# and glib's configure 1 min 59 s instead of 2 min 35 s (bench/README.md,
# "A fresh machine"). Debian's prebuilt system libraries are used as they
# are; the sanity check is skipped because, unfrozen, a changed sanity stamp
# would erase them (the root is pinned and rebuilt whenever its packages
# change).
exec chroot "$ROOT" /usr/bin/env -i \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  TERM="${TERM:-dumb}" VIPS_EDGE_CACHE="$CACHE" VIPS_EDGE_BUILDROOT="$ROOT" \
  ${JOBS:+JOBS="$JOBS"} ${MAKEFLAGS:+MAKEFLAGS="$MAKEFLAGS"} \
  EM_CACHE=/usr/share/emscripten/cache EM_FROZEN_CACHE=0 EMCC_SKIP_SANITY_CHECK=1 \
  bash -c 'cd "$1" && shift && exec "$@"' run "$PWD" "$@"
