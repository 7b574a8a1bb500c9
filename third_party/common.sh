# Shared by every recipe: toolchain, the one set of compiler flags, source
# fetching from Debian source packages. Sourced, never run.
# Inputs (set by build.sh): PREFIX (staging prefix), WORK (scratch dir),
# DOWNLOADS (tarball cache), THIRD_PARTY (this folder), JOBS.

# One set of flags for every library. -pthread: libvips needs real threads,
# and every object in a threaded wasm module must be built with atomics.
# -fwasm-exceptions: native Wasm exception handling (libvips' C++ API reports
# errors as exceptions) and, with it, Wasm setjmp/longjmp (libjpeg's and
# libspng's error paths): no JavaScript invoke_* trampolines around calls
# that may throw. Every object and the final link must agree, C included.
export WASM_CFLAGS="-O2 -pthread -fwasm-exceptions"
export WASM_CXXFLAGS="$WASM_CFLAGS"
export WASM_LDFLAGS="-pthread -fwasm-exceptions"
# Wasm SIMD128, given only to the code measured faster with it (Highway and
# libvips' *_hwy.cpp kernels, libwebp's and libspng's SSE paths): on the rest
# it auto-vectorises loops into larger code that buys nothing
# (bench/README.md, "Levers"). The module then needs a runtime with wasm
# SIMD (Node >= 16.4; every Lambda Node runtime), checked once at load.
export WASM_SIMD="-msimd128"
export CFLAGS="$WASM_CFLAGS -I$PREFIX/include"
export CXXFLAGS="$WASM_CXXFLAGS -I$PREFIX/include"
export LDFLAGS="$WASM_LDFLAGS -L$PREFIX/lib"

# Only our prefix: never let a host .pc file leak into a wasm build.
export PKG_CONFIG_LIBDIR="$PREFIX/lib/pkgconfig:$PREFIX/share/pkgconfig"
unset PKG_CONFIG_PATH

. "$THIRD_PARTY/fetch.sh"

# Meson cross file shared by glib and libvips.
write_meson_cross_file() {
  cat >"$1" <<CROSS
[binaries]
c = 'emcc'
cpp = 'em++'
ar = 'emar'
ranlib = 'emranlib'
pkgconfig = 'pkg-config'

[built-in options]
c_args = [$(printf "'%s'," $CFLAGS)]
cpp_args = [$(printf "'%s'," $CXXFLAGS)]
c_link_args = [$(printf "'%s'," $LDFLAGS)]
cpp_link_args = [$(printf "'%s'," $LDFLAGS)]
default_library = 'static'
prefix = '$PREFIX'
libdir = 'lib'

[properties]
needs_exe_wrapper = true
have_c99_vsnprintf = true
have_c99_snprintf = true
have_unix98_printf = true
growing_stack = false
va_val_copy = true
pkg_config_libdir = '$PKG_CONFIG_LIBDIR'

[host_machine]
system = 'emscripten'
cpu_family = 'wasm32'
cpu = 'wasm32'
endian = 'little'
CROSS
}

# cmake_wasm SRC BUILD [args...]: configure + build + install a CMake project.
cmake_wasm() {
  local src=$1 build=$2; shift 2
  emcmake cmake -S "$src" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR="$PREFIX/lib" \
    -DCMAKE_FIND_ROOT_PATH="$PREFIX" -DBUILD_SHARED_LIBS=OFF "$@" >"$build.configure.log" 2>&1 \
    || { tail -40 "$build.configure.log" >&2; return 1; }
  ninja -C "$build" -j "$JOBS" install >"$build.build.log" 2>&1 \
    || { tail -40 "$build.build.log" >&2; return 1; }
}
