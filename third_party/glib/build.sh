# glib 2.x (glib, gobject, gio, gmodule): libvips' object system and I/O.
# Patches beside this file; each starts with its one-line reason.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/glib" "$WORK/src"
# glib 2.74 predates clang 16 / gcc 14 turning these into errors (e.g.
# gcompletion.c stores strncmp, size_t on wasm32 as on its guint type: the
# same wasm signature). Warnings as with Emscripten 3.1.6's clang 14, which
# also keeps meson's configure checks answering as they did there.
CFLAGS="$CFLAGS -Wno-error=incompatible-function-pointer-types -Wno-error=implicit-function-declaration -Wno-error=int-conversion"
write_meson_cross_file "$WORK/cross.ini"
meson setup "$WORK/build" "$WORK/src" --cross-file "$WORK/cross.ini" \
  --buildtype=release -Doptimization=2 \
  -Dselinux=disabled -Dxattr=false -Dlibmount=disabled -Dsysprof=disabled \
  -Dnls=disabled -Dlibelf=disabled -Dtests=false -Dinstalled_tests=false \
  -Dman=false -Dgtk_doc=false -Ddtrace=false -Dsystemtap=false \
  -Dforce_posix_threads=true -Dglib_debug=disabled -Dglib_assert=false -Dglib_checks=false \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
# The libraries only: glib's 32 programs (gio, gdbus, gsettings, its fuzzers,
# ...) were a quarter of its build here, each a slow wasm link, for nothing
# we ship. Their headers, .pc files and static libraries install as "devel";
# libvips' build runs glib-mkenums, a script, from this prefix.
ninja -C "$WORK/build" -j "$JOBS" glib/libglib-2.0.a gobject/libgobject-2.0.a gthread/libgthread-2.0.a \
  gmodule/libgmodule-2.0.a gio/libgio-2.0.a >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; exit 1; }
meson install -C "$WORK/build" --no-rebuild --tags devel >>"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; exit 1; }
install -m 755 "$WORK/build/gobject/glib-mkenums" "$WORK/build/gobject/glib-genmarshal" "$PREFIX/bin/"
