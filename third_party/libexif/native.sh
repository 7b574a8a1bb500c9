# libexif for the fuzz build (native-asan), by the CMakeLists.txt beside this file.
. "$THIRD_PARTY/native-codec.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
cmake_native "$THIRD_PARTY/libexif" "$WORK/build" -DSRC="$WORK/src" -DEXIF_VERSION="$VERSION"
