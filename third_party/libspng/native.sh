# libspng for the fuzz build (native-asan): as in build.sh (the whole-buffer
# inflate patch; deflate renamed to the libdeflate shim beside this file),
# over the prefix's libdeflate and Debian's zlib.
. "$THIRD_PARTY/native-codec.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/libspng" "$WORK/src"
CFLAGS="$CFLAGS -I$PREFIX/include"  # libdeflate.h, for the patch and the shim
shim_cflags=$CFLAGS
for f in deflate deflateInit2_ deflateEnd deflateBound; do CFLAGS="$CFLAGS -D$f=vips_edge_$f"; done
meson_native "$WORK/src" "$WORK/build" -Dbuild_examples=false -Ddev_build=false
$CC $shim_cflags -c "$THIRD_PARTY/libspng/deflate-shim.c" -o "$WORK/deflate-shim.o"
ar rs "$PREFIX/lib/libspng.a" "$WORK/deflate-shim.o"
sed -i -E 's/^(Requires:.*)$/\1 libdeflate/' "$PREFIX/lib/pkgconfig/spng.pc"
grep -q '^Requires:.*libdeflate' "$PREFIX/lib/pkgconfig/spng.pc"
