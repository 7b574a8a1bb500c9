# libjpeg-turbo: JPEG decode/encode (no SIMD on wasm32, no TurboJPEG API).
# Patches beside this file; each starts with its one-line reason.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/libjpeg-turbo" "$WORK/src"
# CMake's check_type_size misreads sizes under emcc (SIZEOF_SIZE_T 9), which
# stops jchuff.c with "Cannot determine word size": pre-seed the answers.
# WITH_TOOLS=OFF: no cjpeg, djpeg, jpegtran, ... nor test programs, each a
# wasm link we never run.
cmake_wasm "$WORK/src" "$WORK/build" \
  -DWITH_SIMD=OFF -DWITH_TURBOJPEG=OFF -DENABLE_SHARED=OFF -DENABLE_STATIC=ON \
  -DWITH_JPEG8=OFF -DREQUIRE_SIMD=OFF -DWITH_TOOLS=OFF \
  -DSIZE_T=4 -DHAVE_SIZE_T=TRUE -DUNSIGNED_LONG=4 -DHAVE_UNSIGNED_LONG=TRUE
