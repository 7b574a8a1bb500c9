# libwebp: WebP decode/encode (+ libwebpmux/demux for libvips). Its SSE2 and
# SSE4.1 paths build for wasm SIMD128 through Emscripten's x86 intrinsics
# headers (libwebp's CMake adds -msimd128 -msse2 / -msse4.1 to those files
# only, and its wasm CPU check enables them from the compile flags).
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/libwebp" "$WORK/src"
cmake_wasm "$WORK/src" "$WORK/build" \
  -DWEBP_ENABLE_SIMD=ON -DWEBP_USE_THREAD=ON -DWEBP_BUILD_ANIM_UTILS=OFF \
  -DWEBP_BUILD_CWEBP=OFF -DWEBP_BUILD_DWEBP=OFF -DWEBP_BUILD_GIF2WEBP=OFF \
  -DWEBP_BUILD_IMG2WEBP=OFF -DWEBP_BUILD_VWEBP=OFF -DWEBP_BUILD_WEBPINFO=OFF \
  -DWEBP_BUILD_WEBPMUX=OFF -DWEBP_BUILD_EXTRAS=OFF -DWEBP_BUILD_LIBWEBPMUX=ON
