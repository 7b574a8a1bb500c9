#!/usr/bin/env bash
# Benchmark inputs, made reproducibly from Debian packages (downloaded with
# `apt-get download`, unpacked with `dpkg-deb -x`, never installed) into a cache
# outside the clone. Prints the directory. Sources: bench/README.md.
set -euo pipefail
CACHE="${VIPS_EDGE_CACHE:-$HOME/.cache/vips-edge}"
OUT="$CACHE/bench-images"
STAMP="$OUT/.v2"
if [ -f "$STAMP" ]; then echo "$OUT"; exit 0; fi

need_apt=()
command -v vips >/dev/null || need_apt+=(libvips-tools)
command -v gifsicle >/dev/null || need_apt+=(gifsicle)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
(cd "$WORK" && apt-get download lomiri-wallpapers-16.04=20.04.0-2 lomiri-wallpapers-20.04=20.04.0-2 mate-backgrounds=1.26.0-1 >&2 2>/dev/null \
  || { apt-get update -qq >&2; apt-get download lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds >&2; })
for deb in "$WORK"/*.deb; do dpkg-deb -x "$deb" "$WORK/x"; done
BG="$WORK/x/usr/share/backgrounds"

# Baseline (non-progressive) JPEGs, q90, metadata stripped, from the originals.
# 8 MP: 3264x2448 photo, re-encoded at full size.
vips jpegsave "$BG/picosdeeuropa_by_Aitzol_Berasategi.jpg" "$OUT/photo-8mp.jpg" --Q 90 --strip >&2
# 20 MP: 6028x3391 photo, re-encoded at full size.
vips jpegsave "$BG/Kleiber_by_Lukas_Baubkus.jpg" "$OUT/photo-20mp.jpg" --Q 90 --strip >&2
# 2 MP: 3088x2056 photo downsized to 1732x1153.
vips thumbnail "$BG/aitzgorri_by_Aitzol_Berasategi.jpg" "$WORK/2mp.v" 1732 >&2
vips jpegsave "$WORK/2mp.v" "$OUT/photo-2mp.jpg" --Q 90 --strip >&2
# 1920x1200 RGBA PNG with real transparency, re-saved (compression 6, no metadata).
vips pngsave "$BG/mate/abstract/Gulp.png" "$OUT/alpha-1920x1200.png" --compression 6 --strip >&2

# Animated GIF, 480x270, 60 frames of 50 ms, looping: a window panning across
# the 2 MP photo (every frame different, photo content: the hard case for GIF
# and WebP). Each frame quantised by libvips' gifsave (cgif), joined by gifsicle.
frames=()
for i in $(seq 0 59); do
  vips crop "$WORK/2mp.v" "$WORK/f$i.gif" $((i * 20)) $((i * 10)) 480 270 >&2
  frames+=("$WORK/f$i.gif")
done
gifsicle --loopcount=0 --delay 5 "${frames[@]}" >"$OUT/anim-480x270x60.gif"

for f in "$OUT"/*.jpg "$OUT"/*.png "$OUT"/*.gif; do
  printf '%s\t%s\t%s\n' "$(basename "$f")" "$(vipsheader "$f" | cut -d: -f2- | sed 's/^ //')" "$(stat -c %s "$f")" >&2
done
touch "$STAMP"
echo "$OUT"
