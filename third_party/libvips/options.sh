# libvips' build options, shared by the wasm recipe (build.sh) and the native
# twin (native.sh) so both builds have the same libvips: JPEG, PNG (libspng),
# WebP, GIF (built-in nsgif), EXIF, lcms and Highway SIMD; every other loader
# off (smaller module, smaller attack surface). Sourced.
VIPS_OFF=(archive cfitsio cgif fftw fontconfig heif imagequant magick matio nifti openexr
          openjpeg openslide orc pangocairo pdfium png poppler quantizr rsvg tiff jpeg-xl)
VIPS_MESON_OPTIONS=(
  --buildtype=release -Doptimization=2
  -Ddeprecated=false -Dexamples=false -Dcplusplus=true -Ddoxygen=false -Dgtk_doc=false
  -Dmodules=disabled -Dintrospection=disabled -Dvapi=false
  -Djpeg=enabled -Dspng=enabled -Dwebp=enabled -Dzlib=enabled -Dexif=enabled -Dlcms=enabled
  -Dhighway=enabled -Dnsgif=true -Dppm=false -Danalyze=false -Dradiance=false
  $(printf -- '-D%s=disabled ' "${VIPS_OFF[@]}")
)
