// encode_image: the prepared in-memory image -> JPEG / PNG / WebP bytes, with
// the format's saver (formats.cpp). Cheap to call repeatedly (the response
// builder lowers quality on oversize).
#include <algorithm>

#include "api/api_error.hpp"
#include "image/animation.hpp"
#include "image/loaders.hpp"
#include "image/pipeline.hpp"
#include "image/vips_memory.hpp"

namespace vips_edge {

EncodedImage encode_image(const PreparedImage &prepared, int quality) {
  quality = std::clamp(quality, 1, 100);
  const FormatInfo &format = format_info(prepared.format);
  if (!format.save) throw ApiError::internal(std::string(format.name) + " is not written by libvips");
  Blob blob;
  try {
    blob.reset(format.save(prepared.image, quality, prepared.progressive));
  } catch (const vips::VError &error) {
    throw ApiError::internal("encoding failed: " + take_vips_error(error));
  }
  const auto bytes = blob_bytes(blob);
  return {{bytes.begin(), bytes.end()}, prepared.format, prepared.image.width(), frame_height(prepared.image), quality};
}

}  // namespace vips_edge
