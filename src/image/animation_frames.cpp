#include "image/animation_frames.hpp"

#include <optional>
#include <string>
#include <vector>

#include "api/api_error.hpp"
#include "image/frame_steps.hpp"
#include "image/operations.hpp"
#include "image/strip_resize.hpp"
#include "image/vips_memory.hpp"

namespace vips_edge {
namespace {

using vips::VImage;

// maxFramePixels on the output, known once the first frame is resized.
void check_output_frames(int width, int height, int frames, const Config &config) {
  if (std::uint64_t(width) * std::uint64_t(height) * std::uint64_t(frames) > config.max_frame_pixels)
    throw ApiError::output_too_large(std::to_string(frames) + " frames of " + std::to_string(width) + "x" +
                                     std::to_string(height) + " are more than maxFramePixels (" +
                                     std::to_string(config.max_frame_pixels) + ")");
}

// Every frame through upright_srgb, rect, trim, resize and finish_frame on
// its own; the results stacked.
VImage frame_by_frame(const VImage &strip, const SourceInfo &source, const Animation &animation,
                      const TransformSpec &spec, const TransformSpec &upright, const Config &config, ResizePlan &plan) {
  std::vector<VImage> frames;
  frames.reserve(static_cast<std::size_t>(animation.frames));
  PixelBox trim_box;
  for (int i = 0; i < animation.frames; ++i) {
    VImage frame = upright_srgb(strip.extract_area(0, i * animation.page_height, strip.width(), animation.page_height),
                                source, spec.rect, false);
    if (i == 0) {
      if (spec.trim) trim_box = find_trim_box(frame, *spec.trim);
      const bool trimmed = !trim_box.empty();
      plan = plan_resize(trimmed ? trim_box.width : frame.width(), trimmed ? trim_box.height : frame.height(), upright);
    }
    if (!trim_box.empty()) frame = frame.extract_area(trim_box.left, trim_box.top, trim_box.width, trim_box.height);
    frame = finish_frame(normalise(resize_decoded(frame, plan), false), {spec, upright, plan, ImageFormat::Webp});
    frames.push_back(frame.copy_memory());
    if (i == 0) check_output_frames(frame.width(), frame.height(), animation.frames, config);
  }
  return VImage::arrayjoin(frames, VImage::option()->set("across", 1));
}

}  // namespace

VImage assemble_animation(std::span<const std::uint8_t> bytes, const SourceInfo &source, const Animation &animation,
                        const TransformSpec &spec, const TransformSpec &upright, const Config &config,
                        VipsFailOn fail_on, ResizePlan &plan) {
  const Blob blob = blob_view(bytes);
  const VImage strip = open_source(source.format, blob.get(),
                                  VImage::option()
                                      ->set("n", -1)
                                      ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                      ->set("fail_on", static_cast<int>(fail_on)));
  if (vips_image_get_page_height(strip.get_image()) != animation.page_height ||
      strip.height() != animation.page_height * animation.frames)
    throw ApiError::undecodable_image("the animation's frames do not match its header");
  // The whole strip at once where that equals the frames one by one
  // (strip_resize.hpp): never with an orientation to apply per frame.
  std::optional<StripShrink> shrink;
  VImage colour;
  if (vips_image_get_orientation(strip.get_image()) == 1) {
    colour = normalise(to_srgb(strip, source), false);
    plan = plan_resize(strip.width(), animation.page_height, upright);
    shrink = strip_shrink(spec, plan, strip.width(), animation.page_height, colour.bands(), animation.frames);
  }
  VImage joined;
  if (shrink) {
    check_output_frames(shrink->width, shrink->frame_height, animation.frames, config);
    // In memory before normalise: its opaque-alpha test reads every pixel.
    joined = resize_strip(colour, animation.page_height, animation.frames, *shrink).copy_memory();
    // No-ops on the frames (strip_shrink), but the strip gets what the
    // savers need (a sane resolution).
    joined = finish_frame(joined, {spec, upright, plan, ImageFormat::Webp});
  } else {
    joined = frame_by_frame(strip, source, animation, spec, upright, config, plan);
  }
  joined = joined.copy();  // metadata on our own image, never on a cached operation's
  joined.set(VIPS_META_PAGE_HEIGHT, joined.height() / animation.frames);
  joined.set(VIPS_META_N_PAGES, animation.frames);
  if (strip.get_typeof("delay") != 0) joined.set("delay", strip.get_array_int("delay"));
  if (strip.get_typeof("loop") != 0) joined.set("loop", strip.get_int("loop"));
  // Opaque in every frame: the alpha band goes, as for a still image.
  return normalise(joined).copy_memory();
}

}  // namespace vips_edge
