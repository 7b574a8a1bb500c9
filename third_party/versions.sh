# The one place that pins every third-party library.
# Format: name  debian-source-package  upstream-version
# Sources are Debian bookworm source packages; the upstream version is pinned,
# the Debian revision is whatever the archive serves (security updates land
# without a change here) and is recorded in versions.json. A changed upstream
# version stops the build with a clear message.
THIRD_PARTY_LIBS=(
  "zlib           zlib           1.2.13"
  "expat          expat          2.5.0"
  "pcre2          pcre2          10.42"
  "libffi         -              wasm32-shim-1"
  "glib           glib2.0        2.74.6"
  "libjpeg-turbo  libjpeg-turbo  2.1.5"
  "libpng         libpng1.6      1.6.39"
  "libwebp        libwebp        1.2.4"
  "libexif        libexif        0.6.24"
  "lcms2          lcms2          2.14"
  "libvips        vips           8.14.1"
)
EMSCRIPTEN_VERSION=3.1.6
