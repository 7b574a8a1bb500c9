# libvips for the native twin: the same source, patches and options as the
# wasm build, against Debian 12's native codecs; static, so the tests and
# fuzzers link it like the module does.
. "$THIRD_PARTY/native-common.sh"
. "$THIRD_PARTY/libvips/options.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/libvips" "$WORK/src"
meson setup "$WORK/build" "$WORK/src" --prefix="$PREFIX" --libdir=lib \
  -Ddefault_library=static "${VIPS_MESON_OPTIONS[@]}" \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
ninja -C "$WORK/build" -j "$JOBS" install >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; exit 1; }
