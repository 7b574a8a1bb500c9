# Source fetching from Debian source packages, shared by the wasm recipes and
# the native twin. Sourced, never run. Inputs: DOWNLOADS (tarball cache),
# PREFIX (where the fetched revision is recorded).
#
# The Debian revision actually unpacked, and how, is recorded in
# $PREFIX/share/vips-edge/debian/<pkg> (line 1: revision, line 2: how) and ends
# up in versions.json. Debian's patches carry the security fixes, so a source
# is never used unpatched without saying so there and on stderr.

# upstream_of VERSION: 1:1.3.dfsg+really1.3.1-1+deb13u1 -> 1.3.1, 8.16.1-1 -> 8.16.1
upstream_of() {
  local base=${1#*:}
  base=${base%-*}
  base=${base##*really}
  base=${base%%[.+~]dfsg*}
  base=${base%%+ds*}
  echo "$base"
}

# uris_of PKG=VERSION: "URI NAME SHA256" per file of that source, from the
# index (apt's own download addresses, derived from the machine's sources).
uris_of() {
  apt-get source --print-uris -qq "$1" 2>/dev/null |
    sed -nE "s/^'([^']+)' ([^ ]+) [0-9]+ SHA256:([0-9a-f]+).*/\1 \2 \3/p"
}

# download URI NAME [SHA256]: into $DOWNLOADS (kept), checked when a hash is given.
download() {
  local uri=$1 name=$2 sha=${3:-}
  if [ ! -s "$DOWNLOADS/$name" ]; then
    /usr/lib/apt/apt-helper download-file "$uri" "$DOWNLOADS/$name.part" >/dev/null 2>&1 || {
      rm -f "$DOWNLOADS/$name.part"; return 1; }
    mv "$DOWNLOADS/$name.part" "$DOWNLOADS/$name"
  fi
  if [ -n "$sha" ] && ! echo "$sha  $DOWNLOADS/$name" | sha256sum -c --quiet - >/dev/null 2>&1; then
    echo "error: $name does not match the checksum in Debian's index" >&2
    rm -f "$DOWNLOADS/$name"
    return 1
  fi
}

# older_revisions VERSION: the revisions of the same upstream that may precede
# VERSION in the same release (8.16.1-1+deb13u2 -> 8.16.1-1+deb13u1 8.16.1-1).
older_revisions() {
  local v=$1 stem n
  if [[ $v =~ ^(.*\+deb[0-9]+u)([0-9]+)$ ]]; then
    stem=${BASH_REMATCH[1]}
    for ((n = BASH_REMATCH[2] - 1; n >= 1; n--)); do echo "$stem$n"; done
    echo "${stem%+deb*}"
  elif [[ $v =~ ^(.*-)([0-9]+)$ ]]; then
    stem=${BASH_REMATCH[1]}
    for ((n = BASH_REMATCH[2] - 1; n >= 1; n--)); do echo "$stem$n"; done
  fi
}

record_source() { # PKG REVISION HOW
  mkdir -p "$PREFIX/share/vips-edge/debian"
  printf '%s\n%s\n' "$2" "$3" >"$PREFIX/share/vips-edge/debian/$1"
}

# fetch_source PKG UPSTREAM DEST
# Unpacks the Debian source package PKG whose upstream version is UPSTREAM
# into DEST, with Debian's patches applied. The index may list a revision
# whose files the mirror does not have yet; in order, it uses:
#   1. the newest listed revision whose .dsc downloads (dpkg-source checks it);
#   2. the newest revision's orig tarball + its debian tarball (both checked
#      against the index), Debian's patch series applied by hand;
#   3. an older revision of the same upstream and release whose .dsc downloads;
#   4. the orig tarball alone, recorded as "unpatched" and warned about.
# One fetch of a package at a time: the wasm and codec prefixes build side by
# side and both fetch zlib and libjpeg-turbo into the same downloads folder.
fetch_source() {
  mkdir -p "$DOWNLOADS"
  (flock 9; fetch_source_unlocked "$@") 9>"$DOWNLOADS/.$1.lock"
}

fetch_source_unlocked() {
  local pkg=$1 upstream=$2 dest=$3 v newest="" uri name sha dir orig="" debian="" r
  for v in $(apt-cache showsrc "$pkg" | awk '/^Version:/ {print $2}' | sort -rVu); do
    [ "$(upstream_of "$v")" = "$upstream" ] || continue
    [ -n "$newest" ] || newest=$v
    if (cd "$DOWNLOADS" && apt-get source -qq --download-only "$pkg=$v" >/dev/null 2>&1); then
      unpack_dsc "$DOWNLOADS/${pkg}_${v#*:}.dsc" "$dest"
      record_source "$pkg" "${v#*:}" "dsc"
      return 0
    fi
  done
  if [ -z "$newest" ]; then
    echo "error: no Debian source of $pkg with upstream version $upstream is available." >&2
    echo "       Available: $(apt-cache showsrc "$pkg" | awk '/^Version:/ {print $2}' | tr '\n' ' ')" >&2
    echo "       Update the pin in third_party/versions.sh (and re-test) if upstream moved." >&2
    return 1
  fi
  while read -r uri name sha; do
    case "$name" in
      *.asc) ;;  # upstream's signature: not needed, the index checksum is
      *.orig.tar.*) download "$uri" "$name" "$sha" && orig=$name ;;
      *.debian.tar.*) download "$uri" "$name" "$sha" && debian=$name ;;
    esac
    dir=${uri%/*}
  done < <(uris_of "$pkg=$newest")
  if [ -z "$orig" ]; then
    echo "error: the orig tarball of $pkg $newest does not download" >&2
    return 1
  fi
  if [ -n "$debian" ]; then
    unpack_orig_with_patches "$DOWNLOADS/$orig" "$DOWNLOADS/$debian" "$dest"
    record_source "$pkg" "${newest#*:}" "orig + debian tarball (its .dsc is missing from the mirror)"
    return 0
  fi
  for r in $(older_revisions "${newest#*:}"); do
    name="${pkg}_$r.dsc"
    if download "$dir/${name//+/%2b}" "$name"; then
      # The .dsc names its own debian tarball; the orig is the one checked above.
      debian=$(awk '/^Files:/ {f = 1; next} f && /debian\.tar/ {print $3; exit}' "$DOWNLOADS/$name")
      if [ -n "$debian" ] && download "$dir/${debian//+/%2b}" "$debian"; then
        unpack_dsc "$DOWNLOADS/$name" "$dest"
        record_source "$pkg" "$r" "dsc of an older revision (the index lists $newest, missing from the mirror)"
        return 0
      fi
    fi
  done
  echo "warning: $pkg $upstream: no Debian patches downloadable (index lists ${newest#*:}); building the orig tarball unpatched" >&2
  unpack_orig_with_patches "$DOWNLOADS/$orig" "" "$dest"
  record_source "$pkg" "${newest#*:}" "orig tarball only, UNPATCHED: no debian tarball of any revision downloads"
}

unpack_dsc() { # DSC DEST
  rm -rf "$2"
  dpkg-source --no-check -x "$1" "$2" >/dev/null
}

# unpack_orig_with_patches ORIG DEBIAN_TARBALL|"" DEST: what dpkg-source does
# for a "3.0 (quilt)" source, by hand.
unpack_orig_with_patches() {
  local orig=$1 debian=$2 dest=$3 top p
  rm -rf "$dest" "$dest.unpack"
  mkdir -p "$dest.unpack"
  tar -xf "$orig" -C "$dest.unpack"
  top=$(ls -A "$dest.unpack")
  if [ "$(echo "$top" | wc -l)" = 1 ] && [ -d "$dest.unpack/$top" ]; then
    mv "$dest.unpack/$top" "$dest"
    rmdir "$dest.unpack"
  else
    mv "$dest.unpack" "$dest"
  fi
  [ -n "$debian" ] || return 0
  tar -xf "$debian" -C "$dest"
  [ -f "$dest/debian/patches/series" ] || return 0
  while read -r p _; do
    case "$p" in ''|'#'*) continue ;; esac
    patch -d "$dest" -p1 --forward --quiet <"$dest/debian/patches/$p"
  done <"$dest/debian/patches/series"
}

# apply_patches DIR SRC: our own patches, applied in name order.
apply_patches() {
  local dir=$1 src=$2 p
  for p in "$dir"/*.patch; do
    [ -f "$p" ] || continue
    patch -d "$src" -p1 --forward --quiet <"$p"
  done
}
