// prepare_image, as named steps over a checked Source (check_source: size and
// format, once per request):
//   read_header (decode.hpp: loader, limits, orientation, animation)
//   -> work budget (work_budget.hpp)
//   -> decode: shrink-on-load thumbnail, or the upright full-size source then
//      rect/trim and the resize, or every frame of an animation
//      (decode.hpp, animation_frames.hpp)
//   -> 8-bit -> output format (formats.hpp)
//   -> finish_frame (frame_steps.hpp): crop -> effects -> pad/flatten -> orient
//      -> watermark
//   -> in memory, ready for encode_image (encode.cpp: the format's saver).
//
// rect and trim need the upright source at full size before resizing: only
// then is the source decoded whole and resized from memory; every other
// request keeps thumbnail's shrink-on-load and the fast JPEG shrink. rot and
// flip are applied to the small result, the box, anchor and focal point having
// been turned into the source's frame (orientation.hpp).
#include "image/pipeline.hpp"

#include <cstdint>
#include <optional>
#include <utility>

#include "api/api_error.hpp"
#include "api/client_hints.hpp"
#include "image/animation_frames.hpp"
#include "image/decode.hpp"
#include "image/frame_steps.hpp"
#include "image/loaders.hpp"
#include "image/operations.hpp"
#include "image/orientation.hpp"
#include "image/resize_plan.hpp"
#include "image/vips_memory.hpp"
#include "image/work_budget.hpp"

namespace vips_edge {
namespace {

using vips::VError;
using vips::VImage;

// libvips failing after the source decoded is our failure (500), not the
// source's.
template <class F>
auto processing(F &&f) -> decltype(f()) {
  try {
    return f();
  } catch (const VError &error) {
    throw ApiError::internal("image processing failed: " + take_vips_error(error));
  }
}

int default_quality(ImageFormat format, const TransformSpec &spec, const Config &config) {
  if (spec.quality) return *spec.quality;
  const auto quality = format_info(format).quality;
  if (!quality) return 100;  // lossless: quality is ignored
  return spec.save_data ? save_data_quality(config.*quality, config) : config.*quality;
}

// The steps after resizing, for a still image: 8-bit, output format,
// finish_frame, into memory.
PreparedImage finish_still(VImage image, const ResizePlan &plan, const TransformSpec &spec,
                           const TransformSpec &upright, const SourceFacts &facts, const Config &config) {
  return processing([&]() -> PreparedImage {
    image = normalise(image);
    const std::uint64_t pixels = std::uint64_t(image.width()) * std::uint64_t(image.height());
    const ImageFormat format = output_format(spec, facts.format, pixels, image.has_alpha(), config);
    image = finish_frame(image, {spec, upright, plan, format}).copy_memory();
    return {image, format, default_quality(format, spec, config), facts, spec.progressive};
  });
}

// rect and trim on the upright full-size source, then the resize from memory.
VImage cut_and_resize(VImage image, const TransformSpec &spec, const TransformSpec &upright, ResizePlan &plan) {
  return processing([&] {
    if (spec.trim) image = trim_border(image, *spec.trim);
    plan = plan_resize(image.width(), image.height(), upright);
    return resize_decoded(image, plan);
  });
}

}  // namespace

PreparedImage prepare_decoded(const DecodedSource &source, const TransformSpec &spec, const Config &config) {
  if (source.channels < 3 || source.channels > 4 || source.width < 1 || source.height < 1 ||
      source.pixels.size() != std::size_t(source.width) * std::size_t(source.height) * std::size_t(source.channels))
    throw ApiError::internal("the codec module's pixels do not match their size");
  check_pixels(source.width, source.height, config);
  if (!format_info(source.format).codec) throw ApiError::internal("libvips decodes this format, not the codec module");
  const SourceFacts facts{source.format, source.width, source.height, source.channels == 4, source.bytes, 1};
  enforce_work_budget(spec, {source.width, source.height, source.channels == 4, 1, true, source.bytes},
                      source.format, config);
  const SourceInfo info{source.format, source.width, source.height, false, !source.icc.empty()};
  const TransformSpec upright = in_source_frame(spec);
  ResizePlan plan;
  VImage image;
  try {
    image = VImage::new_from_memory_copy(const_cast<std::uint8_t *>(source.pixels.data()), source.pixels.size(),
                                         source.width, source.height, source.channels, VIPS_FORMAT_UCHAR)
                .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    if (!source.icc.empty())
      vips_image_set_blob_copy(image.get_image(), VIPS_META_ICC_NAME, source.icc.data(), source.icc.size());
    image = upright_srgb(image, info, spec.rect);
  } catch (const VError &error) {
    // An embedded profile lcms cannot use: the image is unusable as sent.
    throw ApiError::undecodable_image("cannot convert the image to sRGB: " + take_vips_error(error));
  }
  image = cut_and_resize(image, spec, upright, plan);
  return finish_still(image, plan, spec, upright, facts, config);
}

Source check_source(std::span<const std::uint8_t> bytes, const Config &config) {
  if (bytes.size() > config.max_input_bytes) throw ApiError::source_too_large("source is larger than maxInputBytes");
  return {bytes, sniff_format(bytes)};
}

PreparedImage prepare_image(const Source &checked, const TransformSpec &spec, const Config &config) {
  const std::span<const std::uint8_t> source = checked.bytes;
  const ImageFormat source_format = checked.format;
  if (format_info(source_format).codec) throw ApiError::internal("the codec module decodes this format");
  const Header header = read_header(checked, spec, config);
  const SourceFacts &facts = header.facts;
  const SourceInfo &info = header.info;
  const std::optional<Animation> &animation = header.animation;
  enforce_work_budget(spec, {facts.width, facts.height, facts.has_alpha, animation ? animation->frames : 1, false, source.size()},
                      source_format, config);

  // Box, anchor and focal point as seen from the upright source; rot and flip come last.
  const TransformSpec upright = in_source_frame(spec);
  ResizePlan plan;
  VImage image;
  if (animation) {
    image = decode_with_policy(source, source_format, [&](std::span<const std::uint8_t> bytes, VipsFailOn fail_on) {
      return assemble_animation(bytes, info, *animation, spec, upright, config, fail_on, plan);
    });
    return {image, ImageFormat::Webp, default_quality(ImageFormat::Webp, spec, config), facts, spec.progressive};
  }
  if (spec.rect || spec.trim) {
    image = decode_with_policy(source, source_format, [&](std::span<const std::uint8_t> bytes, VipsFailOn fail_on) {
      return decode_upright(bytes, info, spec.rect, fail_on);
    });
    image = cut_and_resize(image, spec, upright, plan);
  } else {
    plan = plan_resize(info.width, info.height, upright);
    image = decode_with_policy(source, source_format, [&](std::span<const std::uint8_t> bytes, VipsFailOn fail_on) {
      return decode_resized(bytes, info, plan, fail_on);
    });
  }

  return finish_still(image, plan, spec, upright, facts, config);
}

Pixels image_pixels(const PreparedImage &prepared) {
  return processing([&]() -> Pixels {
    VImage image = prepared.image;
    if (image.bands() - (image.has_alpha() ? 1 : 0) < 3) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
    return {image_bytes(image), image.width(), image.height(), image.bands()};
  });
}

}  // namespace vips_edge
