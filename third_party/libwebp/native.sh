# libwebp for the fuzz build (native-asan): as in build.sh, with x86 SIMD
# (the same SSE2/SSE4.1 sources the wasm build compiles to SIMD128).
. "$THIRD_PARTY/native-codec.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/libwebp" "$WORK/src"
cmake_native "$WORK/src" "$WORK/build" \
  -DWEBP_ENABLE_SIMD=ON -DWEBP_USE_THREAD=ON -DWEBP_BUILD_ANIM_UTILS=OFF \
  -DWEBP_BUILD_CWEBP=OFF -DWEBP_BUILD_DWEBP=OFF -DWEBP_BUILD_GIF2WEBP=OFF \
  -DWEBP_BUILD_IMG2WEBP=OFF -DWEBP_BUILD_VWEBP=OFF -DWEBP_BUILD_WEBPINFO=OFF \
  -DWEBP_BUILD_WEBPMUX=OFF -DWEBP_BUILD_EXTRAS=OFF -DWEBP_BUILD_LIBWEBPMUX=ON
