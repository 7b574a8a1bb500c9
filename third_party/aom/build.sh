# aom: the AV1 encoder behind AVIF output (decoding is dav1d's). Generic C
# (no wasm SIMD paths in aom 3.12), 8-bit only (AVIF output is 8-bit; high
# bit depth costs 0.8 MB of wasm), no threads, no tools/tests/examples.
# Its CMake configure runs ~130 compiler checks at ~3 s per emcc call.
. "$THIRD_PARTY/codec-common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
# CMake's Release flags would put -O3 -DNDEBUG after ours: keep only NDEBUG.
cmake_wasm "$WORK/src" "$WORK/build" \
  -DCMAKE_C_FLAGS_RELEASE="-DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-DNDEBUG" \
  -DAOM_TARGET_CPU=generic -DCONFIG_RUNTIME_CPU_DETECT=0 \
  -DCONFIG_AV1_DECODER=0 -DCONFIG_AV1_ENCODER=1 -DCONFIG_AV1_HIGHBITDEPTH=0 \
  -DCONFIG_MULTITHREAD=0 \
  -DENABLE_EXAMPLES=0 -DENABLE_TESTS=0 -DENABLE_TESTDATA=0 -DENABLE_DOCS=0 -DENABLE_TOOLS=0 \
  -DCONFIG_WEBM_IO=0 -DCONFIG_LIBYUV=0 -DCONFIG_TUNE_BUTTERAUGLI=0 -DCONFIG_TUNE_VMAF=0
