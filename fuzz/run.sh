#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build/fuzz and runs each for
# SECONDS (default 60), one at a time, one libFuzzer worker each (the machine
# is shared; FUZZ_WORKERS=N gives one target N workers on one corpus),
# against third_party/build.sh native-asan: libvips and the product's own
# decoder versions (versions.sh) built with ASan/UBSan and coverage.
#
# Targets: fuzz_query, fuzz_config, fuzz_event, fuzz_image (Handler::finish
# on arbitrary bytes), fuzz_image_spec (+ the spec from the input), and one
# decode target per decoder, fuzz_decode_{jpeg,png,webp,gif,avif,tiff} (decode +
# thumbnail, no encode: fuzz/targets.hpp decode_one).
#
# Kept OUTSIDE the clone, in ${VIPS_EDGE_CACHE:-~/.cache/vips-edge}/fuzz:
#   corpus/<target>   the grown corpus, reused by every later run
#   crashes/<target>  findings (crashers, timeouts, leaks); one is closed by
#                     copying it under tests/regressions/ with its fix
#   ledger.tsv        one line per run: executions, seconds, exec/s, the
#                     prefix (library versions) it ran against, findings
# Seeds are generated from fixtures/ and the test sources into
# build/fuzz/seeds/<target> (never committed).
#
#   fuzz/run.sh [target ...]          default: every target
#   fuzz/run.sh --report              the ledger per target (make fuzz-report)
#   SECONDS_PER_TARGET=600 fuzz/run.sh fuzz_decode_avif
#   FUZZ_EXTRA="-max_total_time=0 -runs=10000000" fuzz/run.sh fuzz_query
#   FUZZ_WORKERS=2 SECONDS_PER_TARGET=3600 fuzz/run.sh fuzz_decode_jpeg
#                                     both cores on one target (the ledger
#                                     counts every worker's executions and
#                                     seconds)
#   FUZZ_UNTIL=$(date -d 17:05 +%s) fuzz/run.sh fuzz_decode_jpeg ...
#                                     the time left after the build, shared
#                                     equally by the targets still to run
#
# Exit status: non-zero when a target found a crash (its log is printed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/fuzz"
SECS="${SECONDS_PER_TARGET:-${FUZZ_SECONDS:-60}}"
WORKERS="${FUZZ_WORKERS:-1}"
DECODERS=(jpeg png webp gif avif tiff)
ALL_TARGETS=(fuzz_query fuzz_config fuzz_event fuzz_image fuzz_image_spec "${DECODERS[@]/#/fuzz_decode_}")
KEEP="${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}/fuzz"
LEDGER="$KEEP/ledger.tsv"

if [ "${1:-}" = --report ]; then
  exec python3 "$ROOT/fuzz/report.py" "$LEDGER" "$KEEP" "$ROOT/tests/regressions"
fi
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")

# ---------------------------------------------------------------- build ---
# libvips itself built with clang, ASan/UBSan and coverage (third_party/build.sh
# native-asan), so the fuzzers reach into its loaders and savers.
bash "$ROOT/third_party/apt-setup.sh"
PREFIX=$(bash "$ROOT/third_party/build.sh" native-asan | tail -1)
if [ ! -f "$BUILD/build.ninja" ] || ! grep -qF "VIPS_NATIVE_PREFIX:PATH=$PREFIX" "$BUILD/CMakeCache.txt" 2>/dev/null; then
  rm -rf "$BUILD/CMakeCache.txt" "$BUILD/CMakeFiles"
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DFUZZ=ON \
    -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_FLAGS_FUZZ=-O1 -DCMAKE_C_FLAGS_FUZZ=-O1 \
    -DVIPS_NATIVE_PREFIX:PATH="$PREFIX" >/dev/null
fi
cmake --build "$BUILD" -j "${JOBS:-2}" --target "${TARGETS[@]}"

# ---------------------------------------------------------------- seeds ---
SEEDS="$BUILD/seeds"
rm -rf "$SEEDS"
for t in "${ALL_TARGETS[@]}"; do mkdir -p "$SEEDS/$t"; done

# Query strings: every string literal with a '=' in the URL tests.
python3 - "$ROOT" "$SEEDS/fuzz_query" <<'PY'
import re, sys, pathlib, hashlib
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
seen = set()
for name in ("test_query.cpp", "test_parse_spec.cpp", "test_signing.cpp", "test_response.cpp", "test_canonical.cpp"):
    p = root / "tests/native" / name
    if not p.exists(): continue
    for lit in re.findall(r'"((?:[^"\\\n]|\\.)*)"', p.read_text()):
        if "=" in lit and lit not in seen:
            seen.add(lit)
            (out / hashlib.sha1(lit.encode()).hexdigest()[:16]).write_text(lit)
for extra in ("w=400&format=auto", "w=400&h=300&fit=cover&pos=attention&dpr=1.5&q=60&bg=ff0&enlarge=1",
              "width=800&fm=webp&quality=90\nimage/avif,image/webp;q=0.9,*/*;q=0.8",
              "w=300&h=200&fp=0.25,0.75&rot=90&flip=hv&rect=10,20,300,200&trim=10&blur=2.5&sharpen=1&format=json",
              "rotate=270&dpr=1.0&enlarge=0&pos=center&fit=inside&sig=abc"):
    (out / hashlib.sha1(extra.encode()).hexdigest()[:16]).write_text(extra)
PY

# Configs: the raw-string JSON objects of test_config.cpp, plus a full one.
python3 - "$ROOT" "$SEEDS/fuzz_config" <<'PY'
import re, sys, pathlib, hashlib
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
text = (root / "tests/native/test_config.cpp").read_text()
for lit in re.findall(r'R"\((.*?)\)"', text, re.S):
    (out / hashlib.sha1(lit.encode()).hexdigest()[:16]).write_text(lit)
full = ('{"maxWidth":2048,"maxHeight":2048,"maxInputBytes":1000000,"maxInputPixels":20000000,'
        '"allowedWidths":[100,200],"allowedHeights":[100],"jpegQuality":80,"webpQuality":75,'
        '"cacheControl":"public, max-age=60","errorCacheControl":"no-store","oversize":"error",'
        '"qualityFloor":20,"signing":{"key":"secret","required":false},"s3Endpoint":"http://127.0.0.1:9000"}')
(out / "full").write_text(full)
PY

cp "$ROOT"/fixtures/events/*.json "$SEEDS/fuzz_event/"
printf '%s' '{"status":"200","statusDescription":"OK","headers":{"content-type":[{"key":"Content-Type","value":"image/webp"}]},"body":"AAAA","bodyEncoding":"base64"}' \
  >"$SEEDS/fuzz_event/response.json"

# Image seeds: every fixture shrunk to a few dozen pixels in its own format and
# flavour (progressive, interlaced, palette, 16-bit, alpha, CMYK, EXIF-rotated,
# animated; TIFF's compressions and pages), with Debian's vips CLI. Small seeds keep libFuzzer at hundreds of
# executions a second under ASan; the full-size fixtures ran at ~10.
command -v vips >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libvips-tools >/dev/null
command -v tiffcrop >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libtiff-tools >/dev/null
tiny="$BUILD/seeds/tiny"
mkdir -p "$tiny"
for f in "$ROOT"/fixtures/images/*; do
  name=$(basename "$f")
  case "$name" in
    *.md|*.html) cp "$f" "$tiny/$name"; continue ;;
    # TIFF: cropped by tiffcrop, which keeps the compression, photometric,
    # alpha and pages; the BigTIFF container and the Orientation tag are
    # put back (the codec module's TIFF path: src/codec/tiff_codec.cpp).
    *.tif)
      tiffcrop -U px -X 32 -Y 24 "$f" "$tiny/$name" 2>/dev/null || { cp "$f" "$tiny/$name"; continue; }
      case "$name" in
        *bigtiff*) tiffcp -8 "$tiny/$name" "$tiny/big.tmp" && mv "$tiny/big.tmp" "$tiny/$name" ;;
        orientation-*) n=${name#orientation-}; tiffset -s 274 "${n%.tif}" "$tiny/$name" ;;
      esac
      continue ;;
    *progressive*|interlaced*) opts="[interlace]" ;;
    palette*) opts="[palette]" ;;
    *) opts="" ;;
  esac
  case "$name" in *.gif|*.webp) load="[n=-1]" ;; *) load="" ;; esac
  # resize keeps bands, depth, interpretation, EXIF and (GIF) the frames.
  scale=$(awk -v w="$(vipsheader -f width "$f")" 'BEGIN { print 32 / w }')
  vips resize "$f$load" "$tiny/$name$opts" "$scale" 2>/dev/null || cp "$f" "$tiny/$name"
done
for f in "$tiny"/*; do
  cp "$f" "$SEEDS/fuzz_image/"
  # fuzz_image_spec: 6 spec bytes (w/h set, cover, centre, source format, then
  # rot 90 + flip h, a small blur) first.
  { printf '\xa0\xa0\x00\x00\x05\x01'; cat "$f"; } >"$SEEDS/fuzz_image_spec/$(basename "$f")"
done
# The decode targets: the tiny fixtures of their format, plus the upstream
# suites tests/hostile/fetch-corpora.sh keeps in the cache (libjpeg-turbo's
# test images, PngSuite and libpng's test PNGs) when present and small.
for f in "$tiny"/*; do
  case "$f" in
    *.jpg) fmt=jpeg ;; *.png) fmt=png ;; *.webp) fmt=webp ;; *.gif) fmt=gif ;; *.avif) fmt=avif ;; *.tif) fmt=tiff ;;
    *) continue ;;
  esac
  cp "$f" "$SEEDS/fuzz_decode_$fmt/"
done
CORPORA="${VIPS_EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vips-edge}/corpora"
if [ -d "$CORPORA" ]; then
  find "$CORPORA" -type f -iname '*.jpg' -size -16k -exec cp -t "$SEEDS/fuzz_decode_jpeg/" {} +
  find "$CORPORA" -type f -iname '*.png' -size -16k -exec cp -t "$SEEDS/fuzz_decode_png/" {} +
fi

# ------------------------------------------------------------------ run ---
status=0
left=${#TARGETS[@]}
for t in "${TARGETS[@]}"; do
  if [ -n "${FUZZ_UNTIL:-}" ]; then
    SECS=$(( (FUZZ_UNTIL - $(date +%s)) / left ))
    [ "$SECS" -ge 10 ] || SECS=10
  fi
  left=$((left - 1))
  corpus="$KEEP/corpus/$t"
  crashes="$KEEP/crashes/$t"
  mkdir -p "$corpus" "$crashes" "$BUILD/work/$t"
  # -jobs=N makes libFuzzer write fuzz-<i>.log into the cwd: one directory per
  # target, so two targets can run at once.
  cd "$BUILD/work/$t"
  maxlen=16384  # the tiny seeds are a few hundred bytes
  # -timeout is wall time: at nice 19 on a loaded machine 10 s reported an
  # input that replays in 0.4 s (ASan's allocator releasing memory while the
  # fuzzer was starved). 25 s still finds a real hang under ASan (~20x slower
  # than the product). Slow units (libFuzzer keeps them as slow-unit-*) are
  # reported from the same bound: at 10 s two TIFFs were kept that replay
  # in 0.3-0.4 s.
  # The query target gets every spelling, value and hostile value of the
  # parameter table (fuzz/fuzz_query.dict, generated from src/api/params.json).
  dict=()
  [ "$t" = fuzz_query ] && dict=(-dict="$ROOT/fuzz/fuzz_query.dict")
  echo "== $t: ${SECS}s"
  touch "$BUILD/work/$t/.started"; started=$(date +%s)
  log="$BUILD/$t.log"
  set +e
  LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/fuzz/lsan.supp:print_suppressions=0}" \
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$BUILD/$t" -jobs="$WORKERS" -workers="$WORKERS" -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-25}" \
      -report_slow_units="${FUZZ_TIMEOUT:-25}" -max_len=$maxlen \
      -max_total_time="$SECS" -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" \
      ${FUZZ_EXTRA:-} "$corpus" "$SEEDS/$t" >"$log" 2>&1
  rc=$?
  set -e
  # -jobs=N runs N fuzzers as children, each writing fuzz-<i>.log in the cwd.
  # The ledger sums them: libFuzzer's final stats (printed on crashes too),
  # or for a worker killed before printing them, its last status line's "#N"
  # and the run's wall time; seconds are worker-seconds, so exec/s stays a
  # per-core rate.
  execs=0 secs=0
  for w in fuzz-*.log; do
    [ -f "$w" ] || continue
    cat "$w" >>"$log"
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w" | tail -1)
    [ -n "$n" ] || n=$(grep -aoE '^#[0-9]+' "$w" | tail -1 | tr -d '#')
    d=$(sed -n 's/.*Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$w" | tail -1)
    [ -n "$d" ] || d=$(($(date +%s) - started))
    execs=$((execs + ${n:-0})) secs=$((secs + d))
    rm -f "$w"
  done
  grep -aE '^stat::number_of_executed_units|^stat::average_exec_per_sec|Done [0-9]+ runs' "$log" | tail -3 || true
  findings=$(find "$crashes" -type f -newer "$BUILD/work/$t/.started" | wc -l)
  mkdir -p "$KEEP"
  [ -f "$LEDGER" ] || printf 'date\ttarget\texecutions\tseconds\texit\tfindings\tprefix\n' >"$LEDGER"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$execs" "$secs" "$rc" "$findings" \
    "$(basename "$PREFIX")" >>"$LEDGER"
  if [ $rc -ne 0 ]; then
    echo "!! $t exited $rc; crashers in $crashes:"; ls "$crashes"; tail -60 "$log"; status=1
  fi
done
exit $status
