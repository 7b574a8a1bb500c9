# tiff: TIFF input in the codec module (libtiff's C API, first page only).
# The compressions TIFFs are actually served with on the web: none, LZW,
# PackBits, Deflate and JPEG; no CCITT fax, old-style JPEG, LZMA/ZSTD/WebP/
# JBIG/LERC/PixarLog/ThunderScan/NeXT/LogLuv, no tools, tests, docs or C++
# stream API. At -Os, not the module's -O3: TIFF is a rare input whose
# decode is not the request's cost, and the zip's 3.2 MiB has little room.
# Deflate needs zlib and JPEG needs libjpeg: the core prefix has both, but
# built with -pthread (atomics), which cannot link into this module without
# shared memory, so they are built again here, with the codec flags, at the
# versions versions.sh pins for the core (recorded in versions.json).
. "$THIRD_PARTY/codec-common.sh"
export CFLAGS="${CFLAGS/-O3/-Os}" CXXFLAGS="${CXXFLAGS/-O3/-Os}"
. "$THIRD_PARTY/versions.sh"  # arrays do not cross build.sh's bash -c
pinned() { # name -> upstream version from THIRD_PARTY_LIBS
  local line
  for line in "${THIRD_PARTY_LIBS[@]}"; do set -- $line; [ "$1" = "$NAME_Q" ] && echo "$3"; done
}

NAME_Q=zlib; fetch_source zlib "$(pinned)" "$WORK/zlib"
(cd "$WORK/zlib" && CHOST=wasm32 emconfigure ./configure --static --prefix="$PREFIX" \
  >"$WORK/zlib.configure.log" 2>&1 && emmake make -j"$JOBS" install >"$WORK/zlib.build.log" 2>&1) \
  || { tail -40 "$WORK"/zlib.*.log >&2; exit 1; }

# The same answers as third_party/libjpeg-turbo/build.sh (CMake misreads
# type sizes under emcc). Only the static library is built and installed by
# hand: `ninja install` would link its six tools with emcc, minutes for nothing.
NAME_Q=libjpeg-turbo; fetch_source libjpeg-turbo "$(pinned)" "$WORK/jpeg"
emcmake cmake -S "$WORK/jpeg" -B "$WORK/jpeg-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_C_FLAGS_RELEASE="-DNDEBUG" \
  -DWITH_SIMD=OFF -DWITH_TURBOJPEG=OFF -DENABLE_SHARED=OFF -DENABLE_STATIC=ON \
  -DWITH_JPEG8=OFF -DREQUIRE_SIMD=OFF \
  -DSIZE_T=4 -DHAVE_SIZE_T=TRUE -DUNSIGNED_LONG=4 -DHAVE_UNSIGNED_LONG=TRUE >"$WORK/jpeg.configure.log" 2>&1 \
  || { tail -40 "$WORK/jpeg.configure.log" >&2; exit 1; }
ninja -C "$WORK/jpeg-build" -j "$JOBS" jpeg-static >"$WORK/jpeg.build.log" 2>&1 || { tail -40 "$WORK/jpeg.build.log" >&2; exit 1; }
cp "$WORK/jpeg-build/libjpeg.a" "$PREFIX/lib/"
cp "$WORK/jpeg-build/jconfig.h" "$WORK/jpeg/src/jpeglib.h" "$WORK/jpeg/src/jmorecfg.h" "$WORK/jpeg/src/jerror.h" \
  "$PREFIX/include/"

fetch_source "$PKG" "$VERSION" "$WORK/src"
cmake_wasm "$WORK/src" "$WORK/build" \
  -DCMAKE_C_FLAGS_RELEASE="-DNDEBUG" \
  -Dtiff-tools=OFF -Dtiff-tests=OFF -Dtiff-contrib=OFF -Dtiff-docs=OFF -Dtiff-opengl=OFF \
  -Dcxx=OFF -Dld-version-script=OFF \
  -Dzlib=ON -DZLIB_INCLUDE_DIR="$PREFIX/include" -DZLIB_LIBRARY="$PREFIX/lib/libz.a" \
  -Djpeg=ON -Dold-jpeg=OFF -Dccitt=OFF -Dthunder=OFF -Dnext=OFF -Dlogluv=OFF -Dmdi=OFF -DJPEG_INCLUDE_DIR="$PREFIX/include" -DJPEG_LIBRARY="$PREFIX/lib/libjpeg.a" \
  -Djpeg12=OFF -Dlibdeflate=OFF -Dpixarlog=OFF -Djbig=OFF -Dlerc=OFF -Dlzma=OFF -Dzstd=OFF \
  -Dwebp=OFF
