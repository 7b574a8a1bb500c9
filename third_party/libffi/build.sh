# libffi: our own minimal wasm32 replacement (ffi.h, ffi.c beside this file),
# installed with a libffi.pc so glib's dependency('libffi') finds it.
. "$THIRD_PARTY/common.sh"
here="$THIRD_PARTY/libffi"
mkdir -p "$PREFIX/include" "$PREFIX/lib/pkgconfig" "$WORK"
emcc $CFLAGS -c "$here/ffi.c" -o "$WORK/ffi.o"
emar rcs "$PREFIX/lib/libffi.a" "$WORK/ffi.o"
cp "$here/ffi.h" "$PREFIX/include/ffi.h"
cat >"$PREFIX/lib/pkgconfig/libffi.pc" <<PC
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libffi
Description: minimal wasm32 ffi_call for glib (vips-edge)
Version: 3.4.4
Libs: -L\${libdir} -lffi
Cflags: -I\${includedir}
PC
