# libjpeg-turbo for the fuzz build (native-asan): the product's version and
# options (no SIMD, as on wasm32: the fuzzers exercise the C paths it runs).
. "$THIRD_PARTY/native-codec.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cmake_native "$WORK/src" "$WORK/build" \
  -DWITH_SIMD=OFF -DWITH_TURBOJPEG=OFF -DENABLE_SHARED=OFF -DENABLE_STATIC=ON \
  -DWITH_JPEG8=OFF -DREQUIRE_SIMD=OFF
