# dav1d: the AV1 decoder behind AVIF input. Plain C (no asm for wasm), 8- and
# 16-bit (10-bit AVIF from phones and HDR exports decodes too), no threads,
# no tools/tests.
. "$THIRD_PARTY/codec-common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
write_meson_cross_file "$WORK/cross.ini"
meson setup "$WORK/build" "$WORK/src" --cross-file "$WORK/cross.ini" \
  --buildtype=release -Doptimization=3 -Db_ndebug=true \
  -Denable_asm=false -Denable_tools=false -Denable_examples=false -Denable_tests=false \
  -Denable_docs=false -Dlogging=false \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
ninja -C "$WORK/build" -j "$JOBS" install >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; exit 1; }
