# The one place that pins every third-party library.
# Format: name  debian-source-package  upstream-version
# Sources are Debian source packages: bookworm's (Debian 12, this machine's
# release), or trixie's (Debian 13) where a newer library pays (libvips 8.16,
# Highway, libspng, libwebp 1.5, lcms2 2.16, libexif 0.6.25) — fetched as
# sources only (third_party/apt-setup.sh). The upstream version is pinned; the
# Debian revision is whatever the archive serves (security updates land
# without a change here) and is recorded in versions.json with how it was
# fetched (third_party/fetch.sh). A changed upstream version stops the build
# with a clear message.
THIRD_PARTY_LIBS=(
  "zlib           zlib           1.2.13"
  "expat          expat          2.5.0"
  "pcre2          pcre2          10.42"
  "libffi         -              wasm32-shim-1"
  "glib           glib2.0        2.74.6"
  "libjpeg-turbo  libjpeg-turbo  3.1.3"
  "libdeflate     libdeflate     1.23"
  "libspng        libspng        0.7.4"
  "libwebp        libwebp        1.6.0"
  "libexif        libexif        0.6.25"
  "lcms2          lcms2          2.16"
  "highway        highway        1.2.0"
  "libvips        vips           8.16.1"
)
# The codec module's libraries (a second wasm module, loaded only for AVIF
# and TIFF: `build.sh codec`): aom encodes, dav1d decodes, libheif wraps
# them; libtiff (trixie's) reads TIFF, with zlib and libjpeg-turbo built
# again for this module at the versions above (third_party/tiff/build.sh).
CODEC_LIBS=(
  "aom            aom            3.14.1"
  "dav1d          dav1d          1.5.4"
  "libheif        libheif        1.19.7"
  "tiff           tiff           4.7.0"
)
# The Debian 13 build root's Emscripten (third_party/buildroot.sh); build.sh stops
# with a clear message when the root holds another version.
EMSCRIPTEN_VERSION=3.1.69
