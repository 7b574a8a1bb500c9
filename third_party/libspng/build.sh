# libspng: libvips 8.16's PNG loader and saver (it replaces libpng when
# found), against our wasm zlib. Its SIMD filters are x86/arm only.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
write_meson_cross_file "$WORK/cross.ini"
meson setup "$WORK/build" "$WORK/src" --cross-file "$WORK/cross.ini" \
  --buildtype=release -Doptimization=2 -Dbuild_examples=false -Ddev_build=false \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
ninja -C "$WORK/build" -j "$JOBS" install >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; exit 1; }
