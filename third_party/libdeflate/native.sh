# libdeflate for the fuzz build (native-asan): as in build.sh, compression only.
. "$THIRD_PARTY/native-codec.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cmake_native "$WORK/src" "$WORK/build" \
  -DLIBDEFLATE_BUILD_STATIC_LIB=ON -DLIBDEFLATE_BUILD_SHARED_LIB=OFF \
  -DLIBDEFLATE_DECOMPRESSION_SUPPORT=OFF -DLIBDEFLATE_GZIP_SUPPORT=OFF \
  -DLIBDEFLATE_BUILD_GZIP=OFF -DLIBDEFLATE_BUILD_TESTS=OFF
