#include "image/strip_resize.hpp"

#include <algorithm>
#include <vector>

#include "image/orientation.hpp"

namespace vips_edge {
namespace {

using vips::VImage;

// vips_resize on one axis only: a scale of 1 on the other leaves it alone
// (resize.c runs reducev, then reduceh, each only below 1).
VImage resize_axis(const VImage &image, double hshrink, double vshrink) {
  return image.resize(1.0 / hshrink, VImage::option()->set("vscale", 1.0 / vshrink));
}

}  // namespace

std::optional<StripShrink> strip_shrink(const TransformSpec &spec, const ResizePlan &plan, int frame_width,
                                        int frame_height, int bands, int frames) {
  // The steps after the resize (frame_steps.hpp) must all be no-ops, so that
  // they may run once on the whole strip; a WebP keeps alpha (no flatten).
  const bool per_frame = spec.rect || spec.trim || plan.crop != ThumbCrop::None || plan.focal || plan.pad ||
                         spec.blur || spec.sharpen || spec.watermark || !orientation_of(spec).is_identity();
  if (per_frame || frame_width < 1 || frame_height < 1 || frames < 1) return std::nullopt;
  StripShrink s{};
  const ThumbShrink shrink = thumbnail_shrink(plan, frame_width, frame_height);
  s.hshrink = shrink.h;
  s.vshrink = shrink.v;
  // Enlarging goes through affine, which is not split by axis here.
  if (s.hshrink < 1.0 || s.vshrink < 1.0) return std::nullopt;
  s.width = std::max(1, int(double(frame_width) / s.hshrink + 0.5));
  s.frame_height = std::max(1, int(double(frame_height) / s.vshrink + 0.5));
  s.reduced_bytes = std::uint64_t(s.width) * std::uint64_t(frame_height) * std::uint64_t(frames) * std::uint64_t(bands);
  if (s.reduced_bytes > kMaxStripBytes) return std::nullopt;
  return s;
}

VImage resize_strip(const VImage &strip, int page_height, int frames, const StripShrink &shrink) {
  VImage image = strip;
  // As thumbnail: premultiplied only when both sides shrink (thumbnail.c
  // tests hshrink != 1 && vshrink != 1), straight to 8 bits (patch 09).
  const bool premultiplied = image.has_alpha() && shrink.hshrink != 1.0 && shrink.vshrink != 1.0;
  const VipsBandFormat format = image.format();
  if (premultiplied) {
    image = image.premultiply(VImage::option()->set("cast_uchar", format == VIPS_FORMAT_UCHAR));
    if (image.format() != format) image = image.cast(format);
  }
  // Rows are independent: the frames stacked, read in the decoder's order.
  // In memory, because the next layout reads every frame at once.
  image = resize_axis(image, shrink.hshrink, 1.0).copy_memory();
  // Columns are independent: the frames side by side. In memory too: read
  // through the stacking below, the reducer would be asked for a few rows
  // at a time and recompute its input for each (7x slower, measured).
  image = resize_axis(image.grid(page_height, frames, 1), 1.0, shrink.vshrink);
  if (premultiplied) image = image.unpremultiply().cast(format);
  image = image.copy_memory();
  const int width = image.width() / frames, height = image.height();
  std::vector<VImage> stacked;
  stacked.reserve(static_cast<std::size_t>(frames));
  for (int i = 0; i < frames; ++i) stacked.push_back(image.extract_area(i * width, 0, width, height));
  return VImage::arrayjoin(stacked, VImage::option()->set("across", 1));
}

}  // namespace vips_edge
