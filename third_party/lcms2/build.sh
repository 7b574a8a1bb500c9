# lcms2: ICC colour management (embedded profiles -> sRGB).
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cd "$WORK/src"
# config.sub rejects "emscripten"; a generic wasm32 triple is accepted.
emconfigure ./configure --host=wasm32-unknown-none --prefix="$PREFIX" \
  --disable-shared --enable-static --without-jpeg --without-tiff --without-zlib \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
emmake make -j"$JOBS" -C src install >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log" >&2; exit 1; }
emmake make -C include install >>"$WORK/build.log" 2>&1
emmake make install-pkgconfigDATA >>"$WORK/build.log" 2>&1
