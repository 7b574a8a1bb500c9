# libvips with its C++ API: JPEG, PNG, WebP, GIF (built-in nsgif), EXIF and
# lcms; every other loader is off (smaller module, smaller attack surface).
. "$THIRD_PARTY/common.sh"
fetch_source "$PKG" "$VERSION" "$WORK/src"
apply_patches "$THIRD_PARTY/libvips" "$WORK/src"
write_meson_cross_file "$WORK/cross.ini"
off=(cfitsio cgif fftw fontconfig gsf heif imagequant magick matio nifti openexr
     openjpeg openslide orc pangocairo pdfium poppler quantizr rsvg spng tiff jpeg-xl)
meson setup "$WORK/build" "$WORK/src" --cross-file "$WORK/cross.ini" \
  --buildtype=release -Doptimization=2 \
  -Ddeprecated=false -Dexamples=false -Dcplusplus=true -Ddoxygen=false -Dgtk_doc=false \
  -Dmodules=disabled -Dintrospection=false -Dvapi=false \
  -Djpeg=enabled -Dpng=enabled -Dwebp=enabled -Dzlib=enabled -Dexif=enabled -Dlcms=enabled \
  -Dnsgif=true -Dppm=false -Danalyze=false -Dradiance=false \
  $(printf -- '-D%s=disabled ' "${off[@]}") \
  >"$WORK/configure.log" 2>&1 || { tail -40 "$WORK/configure.log" >&2; exit 1; }
ninja -C "$WORK/build" -j "$JOBS" install >"$WORK/build.log" 2>&1 \
  || { tail -40 "$WORK/build.log" >&2; exit 1; }
