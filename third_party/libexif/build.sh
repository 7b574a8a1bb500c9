# libexif: EXIF parsing (orientation) for libvips. Built by the CMakeLists.txt
# beside this file.
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cmake_wasm "$THIRD_PARTY/libexif" "$WORK/build" -DSRC="$WORK/src" -DEXIF_VERSION="$VERSION"
