# expat: libvips' XML dependency. Debian's tarball is a git snapshot without
# ./configure, so use its CMake build. DTD support is off: we never parse XML
# documents, and Debian's CVE backports test `XML_DTD == 1`, which the empty
# define from CMake breaks.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cmake_wasm "$WORK/src/expat" "$WORK/build" \
  -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_EXAMPLES=OFF -DEXPAT_BUILD_TESTS=OFF \
  -DEXPAT_BUILD_DOCS=OFF -DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_FUZZERS=OFF \
  -DEXPAT_DTD=OFF
