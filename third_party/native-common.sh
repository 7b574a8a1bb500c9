# The native twin's toolchain, sourced by third_party/<lib>/native.sh.
# TARGET=native: gcc, like the Catch2 build. TARGET=native-asan: clang with
# ASan/UBSan and libFuzzer's coverage, so fuzzing (fuzz/run.sh) reaches into
# libvips' loaders and savers, not only our code.
# Inputs (set by build.sh): TARGET, PREFIX, WORK, DOWNLOADS, THIRD_PARTY, JOBS.
case "$TARGET" in
  native) export CC=gcc CXX=g++ NATIVE_FLAGS="" ;;
  native-asan)
    export CC=clang CXX=clang++
    export NATIVE_FLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g" ;;
  *) echo "native-common.sh: unknown TARGET '$TARGET'" >&2; return 1 ;;
esac
export CFLAGS="-O2 -fPIC $NATIVE_FLAGS" CXXFLAGS="-O2 -fPIC $NATIVE_FLAGS" LDFLAGS="$NATIVE_FLAGS"
# Our prefix first (Highway 1.2), then Debian's native -dev codecs.
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
. "$THIRD_PARTY/fetch.sh"
