#include "image/animation.hpp"

#include <cstdint>
#include <string>

#include "api/api_error.hpp"

namespace vips_edge {

bool keeps_animation(const TransformSpec &spec) {
  if (!spec.animate) return false;
  switch (spec.format) {
    case RequestedFormat::Webp:
    case RequestedFormat::Source:
    case RequestedFormat::Json: return true;
    case RequestedFormat::Auto: return spec.accepts_webp;
    case RequestedFormat::Jpeg:
    case RequestedFormat::Pjpg:
    case RequestedFormat::Png:
    case RequestedFormat::Avif: return false;  // no animated AVIF: the first frame
  }
  return false;
}

std::optional<Animation> animation_to_keep(const vips::VImage &header, ImageFormat source_format,
                                           const TransformSpec &spec, const Config &config) {
  if (!format_info(source_format).animated) return std::nullopt;
  const int frames = vips_image_get_n_pages(header.get_image());
  if (frames < 2 || !keeps_animation(spec)) return std::nullopt;
  if (frames > config.max_frames)
    throw ApiError::source_too_large(std::to_string(frames) + " frames are more than maxFrames (" +
                                     std::to_string(config.max_frames) + "); anim=0 takes the first frame");
  const std::uint64_t pixels = std::uint64_t(header.width()) * std::uint64_t(header.height()) * std::uint64_t(frames);
  if (pixels > config.max_frame_pixels)
    throw ApiError::source_too_large(std::to_string(frames) + " frames of " + std::to_string(header.width()) + "x" +
                                     std::to_string(header.height()) + " are more than maxFramePixels (" +
                                     std::to_string(config.max_frame_pixels) + "); anim=0 takes the first frame");
  return Animation{frames, header.height()};
}

int frame_height(const vips::VImage &image) { return vips_image_get_page_height(image.get_image()); }

int frame_count(const vips::VImage &image) {
  const int h = frame_height(image);
  return h > 0 ? image.height() / h : 1;
}

}  // namespace vips_edge
