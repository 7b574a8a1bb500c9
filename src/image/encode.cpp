// encode_image: the prepared in-memory image -> JPEG / PNG / WebP bytes.
// Cheap to call repeatedly (the response builder lowers quality on oversize).
//
// Defaults: JPEG baseline (no interlace), optimize_coding on, trellis off
// (speed), libjpeg's default chroma subsampling (4:2:0 below Q90); PNG zlib
// level 6 with adaptive filtering (smaller photos; PNG cannot lower quality
// to fit Lambda's 1 MB body); WebP lossy, effort 4, alpha lossless.
// An animation (a strip with page-height) is written by webpsave as an
// animated WebP with its delay and loop (libvips writes them whatever keep
// says). Every saver keeps no metadata (keep=none: no EXIF, XMP, IPTC or ICC; libvips
// 8.16's savers honour it, WebP included).
#include <algorithm>

#include "api/api_error.hpp"
#include "image/animation.hpp"
#include "image/loaders.hpp"
#include "image/pipeline.hpp"

namespace vips_edge {

using vips::VError;
using vips::VImage;

EncodedImage encode_image(const PreparedImage &prepared, int quality) {
  quality = std::clamp(quality, 1, 100);
  const VImage &image = prepared.image;
  VipsBlob *blob = nullptr;
  try {
    switch (prepared.format) {
      case ImageFormat::Jpeg:
        blob = image.jpegsave_buffer(VImage::option()
                                         ->set("Q", quality)
                                         ->set("optimize_coding", true)
                                         ->set("interlace", false)
                                         ->set("trellis_quant", false)
                                         ->set("keep", VIPS_FOREIGN_KEEP_NONE));
        break;
      case ImageFormat::Png:
        blob = image.pngsave_buffer(VImage::option()
                                        ->set("compression", 6)
                                        ->set("filter", VIPS_FOREIGN_PNG_FILTER_ALL)
                                        ->set("interlace", false)
                                        ->set("keep", VIPS_FOREIGN_KEEP_NONE));
        break;
      case ImageFormat::Webp:
        blob = image.webpsave_buffer(VImage::option()
                                         ->set("Q", quality)
                                         ->set("effort", 4)
                                         ->set("lossless", false)
                                         ->set("keep", VIPS_FOREIGN_KEEP_NONE));
        break;
      case ImageFormat::Gif:
        throw ApiError::internal("GIF output is not supported");
      case ImageFormat::Avif:
        throw ApiError::internal("AVIF is encoded by the codec module (render.hpp)");
    }
  } catch (const VError &error) {
    throw ApiError::internal("encoding failed: " + take_vips_error(error));
  }
  const auto *data = static_cast<const std::uint8_t *>(VIPS_AREA(blob)->data);
  EncodedImage out{std::vector<std::uint8_t>(data, data + VIPS_AREA(blob)->length), prepared.format, image.width(),
                   frame_height(image), quality};
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

}  // namespace vips_edge
