# libtiff for the fuzz build (native-asan): the product's version and
# compressions (third_party/tiff/build.sh: none, LZW, PackBits, Deflate,
# JPEG), so fuzz_decode_tiff exercises the code the codec module runs.
# Deflate through Debian's zlib, JPEG through this prefix's libjpeg-turbo
# (built before it: third_party/build.sh lists libjpeg-turbo first).
. "$THIRD_PARTY/native-codec.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cmake_native "$WORK/src" "$WORK/build" \
  -Dtiff-tools=OFF -Dtiff-tests=OFF -Dtiff-contrib=OFF -Dtiff-docs=OFF -Dtiff-opengl=OFF \
  -Dcxx=OFF -Dld-version-script=OFF -Dzlib=ON \
  -Djpeg=ON -Dold-jpeg=OFF -Dccitt=OFF -Dthunder=OFF -Dnext=OFF -Dlogluv=OFF -Dmdi=OFF \
  -DJPEG_INCLUDE_DIR="$PREFIX/include" -DJPEG_LIBRARY="$PREFIX/lib/libjpeg.a" \
  -Djpeg12=OFF -Dlibdeflate=OFF -Dpixarlog=OFF -Djbig=OFF -Dlerc=OFF -Dlzma=OFF -Dzstd=OFF \
  -Dwebp=OFF
