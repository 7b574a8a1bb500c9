# zlib: used by libpng and glib.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cd "$WORK/src"
CHOST=wasm32 emconfigure ./configure --static --prefix="$PREFIX" >"$WORK/configure.log" 2>&1
emmake make -j"$JOBS" install >"$WORK/build.log" 2>&1
