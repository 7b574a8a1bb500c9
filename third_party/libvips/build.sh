# libvips with its C++ API, for wasm (options: options.sh beside this file).
. "$THIRD_PARTY/common.sh"
. "$THIRD_PARTY/libvips/options.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/libvips" "$WORK/src"
# libvips' C++ sources are its C++ binding and the Highway kernels
# (*_hwy.cpp: reduceh, reducev, convi, morph). Highway picks its target from
# the compile flags (wasm has no runtime dispatch), so those kernels need
# SIMD128; the C code gains nothing from it (bench/README.md, "Levers").
CXXFLAGS="$CXXFLAGS $WASM_SIMD" write_meson_cross_file "$WORK/cross.ini"
meson setup "$WORK/build" "$WORK/src" --cross-file "$WORK/cross.ini" "${VIPS_MESON_OPTIONS[@]}" \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
ninja -C "$WORK/build" -j "$JOBS" install >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; exit 1; }
