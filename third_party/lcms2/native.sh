# lcms2 for the fuzz build (native-asan): as in build.sh.
. "$THIRD_PARTY/native-codec.sh"
# ASan/UBSan without the fuzzer's coverage, at -O2: a CMYK or ICC-tagged input
# spends ~1 s building an lcms2 transform when every comparison in it is
# traced, and the corpus drifts to such inputs (they add coverage), so JPEG
# and PNG fuzzed at ~20 inputs/s. Memory errors in lcms2 are still caught;
# the fuzzer just no longer steers by lcms2's branches.
export CFLAGS="-O2 -fPIC ${NATIVE_FLAGS/,fuzzer-no-link/}"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cd "$WORK/src"
./configure --prefix="$PREFIX" --disable-shared --enable-static --with-pic \
  --without-jpeg --without-tiff --without-zlib \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
make -j"$JOBS" -C src install >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; exit 1; }
make -C include install >>"$WORK/build.log" 2>&1
make install-pkgconfigDATA >>"$WORK/build.log" 2>&1
