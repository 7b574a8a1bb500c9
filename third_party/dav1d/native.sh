# dav1d for the fuzz build (native-asan): as in build.sh, plain C (no asm:
# the wasm build runs the C paths, and ASan cannot see into asm), 8/16-bit.
. "$THIRD_PARTY/native-codec.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
meson_native "$WORK/src" "$WORK/build" -Db_ndebug=true \
  -Denable_asm=false -Denable_tools=false -Denable_examples=false -Denable_tests=false \
  -Denable_docs=false -Dlogging=false
