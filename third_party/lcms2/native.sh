# lcms2 for the fuzz build (native-asan): as in build.sh.
. "$THIRD_PARTY/native-codec.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cd "$WORK/src"
./configure --prefix="$PREFIX" --disable-shared --enable-static --with-pic \
  --without-jpeg --without-tiff --without-zlib \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
make -j"$JOBS" -C src install >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; exit 1; }
make -C include install >>"$WORK/build.log" 2>&1
make install-pkgconfigDATA >>"$WORK/build.log" 2>&1
