# libspng: libvips 8.16's PNG loader and saver (it replaces libpng when
# found), against our wasm zlib. Its SIMD filters are x86/arm only.
# Its decoder inflates the IDAT stream whole through libdeflate
# (01-whole-buffer-inflate.patch; zlib for the rest and as the fallback).
# Its encoder deflates through libdeflate: the four deflate calls of spng.c
# are renamed (-D below; inflate and crc32 stay zlib's) to the zlib-API shim
# beside this file, which is added to libspng's archive; spng.pc then
# requires libdeflate, so libvips' static link pulls it in.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/libspng" "$WORK/src"
for f in deflate deflateInit2_ deflateEnd deflateBound; do CFLAGS="$CFLAGS -D$f=vips_edge_$f"; done
write_meson_cross_file "$WORK/cross.ini"
meson setup "$WORK/build" "$WORK/src" --cross-file "$WORK/cross.ini" \
  --buildtype=release -Doptimization=2 -Dbuild_examples=false -Ddev_build=false \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
ninja -C "$WORK/build" -j "$JOBS" install >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; exit 1; }
. "$THIRD_PARTY/common.sh"  # the flags without the renames
emcc $CFLAGS -c "$THIRD_PARTY/libspng/deflate-shim.c" -o "$WORK/deflate-shim.o"
emar rs "$PREFIX/lib/libspng.a" "$WORK/deflate-shim.o"
sed -i -E 's/^(Requires:.*)$/\1 libdeflate/' "$PREFIX/lib/pkgconfig/spng.pc"
grep -q '^Requires:.*libdeflate' "$PREFIX/lib/pkgconfig/spng.pc"
