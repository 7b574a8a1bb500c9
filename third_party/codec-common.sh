# Shared by the codec recipes (aom, dav1d, libheif): the AVIF codec module is
# a second wasm module without pthreads (the engine calls it on the trigger's
# thread, one encode at a time), so its objects carry no atomics, and -O3:
# aom's encoder is hot loops where -O3 measured 10-30 % faster than -O2/-Os
# for +0.8 MB of wasm (bench/README.md, "AVIF"). Sourced, never run.
. "$THIRD_PARTY/common.sh"
# -fwasm-exceptions as in common.sh (libheif is C++ and throws).
export CODEC_CFLAGS="-O3 -fwasm-exceptions"
export CFLAGS="$CODEC_CFLAGS -I$PREFIX/include"
export CXXFLAGS="$CODEC_CFLAGS -I$PREFIX/include"
export LDFLAGS="-fwasm-exceptions -L$PREFIX/lib"
