# libdeflate: whole-buffer DEFLATE, several times faster than zlib at a
# better ratio. libspng's PNG encoder deflates IDAT through it (the zlib API
# shim in third_party/libspng/deflate-shim.c), and its decoder inflates a
# whole IDAT stream with it (third_party/libspng/01-whole-buffer-inflate.patch;
# zlib streams the rest). zlib format only, no gzip, no programs.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cmake_wasm "$WORK/src" "$WORK/build" \
  -DLIBDEFLATE_BUILD_STATIC_LIB=ON -DLIBDEFLATE_BUILD_SHARED_LIB=OFF \
  -DLIBDEFLATE_DECOMPRESSION_SUPPORT=ON -DLIBDEFLATE_GZIP_SUPPORT=OFF \
  -DLIBDEFLATE_BUILD_GZIP=OFF -DLIBDEFLATE_BUILD_TESTS=OFF
