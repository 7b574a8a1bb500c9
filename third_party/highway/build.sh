# Highway: portable SIMD, used by libvips' resample/convolution kernels.
# Static, built for wasm SIMD128 (Highway picks its target at compile time on
# wasm); no tests, examples or contrib.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
# A relative libdir: libhwy.pc.in prepends ${exec_prefix}/ to it.
CFLAGS="$CFLAGS $WASM_SIMD" CXXFLAGS="$CXXFLAGS $WASM_SIMD" cmake_wasm "$WORK/src" "$WORK/build" \
  -DCMAKE_INSTALL_LIBDIR=lib -DHWY_FORCE_STATIC_LIBS=ON -DHWY_ENABLE_TESTS=OFF \
  -DHWY_ENABLE_EXAMPLES=OFF -DHWY_ENABLE_CONTRIB=OFF -DHWY_ENABLE_INSTALL=ON -DBUILD_TESTING=OFF
