# The product's decoders for the fuzz build (third_party/build.sh native-asan),
# sourced by third_party/<codec>/native.sh: native-common.sh's clang +
# ASan/UBSan + fuzzer coverage, at -O1 with line tables only (what
# sanitizer builds use: symbolised stacks, a fraction of -O3 -g's compile
# time on this shared machine), and CMake/meson helpers installing static
# libraries into the prefix. A file of its own so the gcc twin's prefix
# (native-common.sh, highway, libvips) keeps its cache key.
. "$THIRD_PARTY/native-common.sh"
NATIVE_FLAGS="${NATIVE_FLAGS% -g} -gline-tables-only"
export CFLAGS="-O1 -fPIC $NATIVE_FLAGS" CXXFLAGS="-O1 -fPIC $NATIVE_FLAGS" LDFLAGS="$NATIVE_FLAGS"

# cmake_native SRC BUILD [args...]: configure, build, install (static).
cmake_native() {
  local src=$1 build=$2; shift 2
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-DNDEBUG" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
    -DCMAKE_EXE_LINKER_FLAGS="$LDFLAGS" -DCMAKE_INSTALL_PREFIX="$PREFIX" \
    -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_PREFIX_PATH="$PREFIX" \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_SHARED_LIBS=OFF "$@" \
    >"$build.configure.log" 2>&1 || { tail -40 "$build.configure.log" >&2; return 1; }
  ninja -C "$build" -j "$JOBS" install >"$build.build.log" 2>&1 \
    || { tail -40 "$build.build.log" >&2; return 1; }
}

# meson_native SRC BUILD [args...]: the same for a meson project.
meson_native() {
  local src=$1 build=$2; shift 2
  meson setup "$build" "$src" --prefix="$PREFIX" --libdir=lib -Ddefault_library=static \
    --buildtype=plain "$@" \
    >"$build.configure.log" 2>&1 || { tail -40 "$build.configure.log" >&2; return 1; }
  ninja -C "$build" -j "$JOBS" install >"$build.build.log" 2>&1 \
    || { tail -40 "$build.build.log" >&2; return 1; }
}
