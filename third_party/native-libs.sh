# What each native prefix builds, in order (third_party/<lib>/native.sh).
# Sourced by build.sh. A file of its own because build.sh is part of the
# wasm prefix's cache key: editing a native list must not rebuild the wasm
# prefix (~20 min), only the native prefixes that read this file.
case "$TARGET" in
  native) NATIVE_LIBS=(highway libvips) ;;
  # The fuzz build decodes with the product's codec versions, not Debian's.
  native-asan) NATIVE_LIBS=(libdeflate libspng libexif lcms2 libwebp dav1d libheif libjpeg-turbo tiff
                            highway libvips) ;;
esac
