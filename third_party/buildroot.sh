#!/usr/bin/env bash
# The Debian 13 (trixie) build root in which every Wasm library, the codec
# libraries and the modules are built with trixie's Emscripten; the native
# twin stays on the host. Made as sbuild makes its chroots:
#   debootstrap --variant=minbase trixie ROOT <archive URI>
# then the packages listed in buildroot/packages (--no-install-recommends).
#
#   buildroot.sh            prints the root's path (builds it once, cached)
#   buildroot.sh run CMD... runs CMD inside it (see buildroot-run.sh)
#
# The root lives in ${VIPS_EDGE_CACHE:-~/.cache/vips-edge}/buildroot-<hash>,
# <hash> covering this script and the package list; it is built in a
# temporary folder and renamed into place when complete. Nothing of Debian
# 13 is installed on the host: only Debian 12's debootstrap. The archive URI
# is the host's own (its apt sources), never written here. Needs root.
set -euo pipefail
THIRD_PARTY=$(cd "$(dirname "$0")" && pwd)
SUITE=trixie

if [ "${1:-}" = run ]; then
  shift
  exec bash "$THIRD_PARTY/buildroot-run.sh" "$("$0")" "$@"
fi

[ "$(id -u)" = 0 ] || { echo "error: the Debian 13 build root needs root (debootstrap, chroot)" >&2; exit 1; }
CACHE=${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}
HASH=$(cd "$THIRD_PARTY" && cat buildroot.sh buildroot/packages | sha256sum | cut -c1-16)
FINAL="$CACHE/buildroot-$SUITE-$HASH"
if [ -f "$FINAL/.complete" ]; then echo "$FINAL"; exit 0; fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.buildroot.lock"
flock 9
if [ -f "$FINAL/.complete" ]; then echo "$FINAL"; exit 0; fi

# archive_uris: "MAIN SECURITY" from the host's apt sources (deb822 or one-line).
archive_uris() {
  local main="" security="" f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    grep -Eq '^Types:(.* )?deb( |$)' "$f" || continue
    while read -r uri; do
      case "$uri" in
        *security*) [ -n "$security" ] || security=$uri ;;
        *) [ -n "$main" ] || main=$uri ;;
      esac
    done < <(sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' "$f")
  done
  if [ -z "$main" ] && [ -f /etc/apt/sources.list ]; then
    main=$(awk '$1 == "deb" && $2 !~ /security/ && $2 ~ /^http/ {print $2; exit}' /etc/apt/sources.list)
    security=$(awk '$1 == "deb" && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list)
  fi
  [ -n "$main" ] || { echo "error: no Debian archive URI in the host's apt sources" >&2; return 1; }
  echo "$main ${security:-}"
}
read -r MAIN SECURITY < <(archive_uris)

if ! command -v debootstrap >/dev/null; then
  echo "buildroot: installing debootstrap (Debian 12's)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
fi

STAGE="$FINAL.partial.$$"
LOG="$CACHE/buildroot-$SUITE-$HASH.log"
cleanup() {
  # Nothing may stay mounted under a root we delete.
  local m
  for m in $(awk -v s="$STAGE/" 'index($2, s) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m" || true; done
  rm -rf --one-file-system "$STAGE"
}
trap cleanup EXIT
rm -rf --one-file-system "$CACHE"/buildroot-*.partial.* 2>/dev/null || true
start=$SECONDS
echo "buildroot: debootstrap --variant=minbase $SUITE (log: $LOG) ..." >&2
debootstrap --variant=minbase "$SUITE" "$STAGE" "$MAIN" >"$LOG" 2>&1 \
  || { tail -30 "$LOG" >&2; exit 1; }

# The root's binary sources: trixie and its security suite. (Source entries
# for the third-party recipes are synced from the host at each entry,
# buildroot-run.sh.)
rm -f "$STAGE/etc/apt/sources.list"
{
  printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' "$MAIN" "$SUITE" "$SUITE"
  printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
  if [ -n "$SECURITY" ]; then
    printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "$SECURITY" "$SUITE"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
  fi
} >"$STAGE/etc/apt/sources.list.d/debian.sources"
# Documentation is never read in a build root.
cat >"$STAGE/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'NODOC'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
NODOC
mapfile -t PKGS < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$THIRD_PARTY/buildroot/packages")
echo "buildroot: installing ${PKGS[*]} ..." >&2
mount -t proc proc "$STAGE/proc"
chroot "$STAGE" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean' \
  apt "${PKGS[@]}" >>"$LOG" 2>&1 || { tail -30 "$LOG" >&2; exit 1; }
umount "$STAGE/proc"
chroot "$STAGE" dpkg-query -W -f='${Package} ${Version}\n' >"$STAGE/.packages"
touch "$STAGE/.complete"
mv "$STAGE" "$FINAL"
printf 'buildroot: %s complete in %dm%02ds: %s\n' "$SUITE" $(((SECONDS - start) / 60)) $(((SECONDS - start) % 60)) "$FINAL" >&2
echo "$FINAL"
