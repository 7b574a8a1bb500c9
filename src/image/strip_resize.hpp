// An animation's frames resized as one strip, with no frame reading another's
// pixels: the reducer runs horizontally on the frames stacked (rows never
// cross a frame), then vertically on the frames laid side by side (columns
// never cross one). libvips' resize is separable (reducev, reduceh), so this
// is the per-frame thumbnail's geometry in a dozen libvips operations for the
// whole animation instead of ~15 per frame (bench/README.md "Animation",
// issue 21). Only where the per-frame steps after the resize change nothing
// (frame_steps.hpp) and the resize only shrinks; everything else stays frame
// by frame (animation_frames.cpp).
#pragma once

#include <cstdint>
#include <optional>

#include <vips/vips8>

#include "api/transform_spec.hpp"
#include "image/resize_plan.hpp"

namespace vips_edge {

// The horizontally reduced strip is held in memory whole (the side-by-side
// layout reads every frame at once; the decoder is sequential): above this,
// frame by frame, whose memory holds one frame.
constexpr std::uint64_t kMaxStripBytes = 32ull << 20;

// libvips thumbnail's shrink factors for one frame (as thumbnail_image
// computes them for `plan`), and what the strip holds.
struct StripShrink {
  double hshrink, vshrink;
  int width;                     // one output frame
  int frame_height;
  std::uint64_t reduced_bytes;   // the horizontally reduced strip held in memory
};

// The strip's factors, or nullopt where the strip resize would not equal the
// per-frame path or would hold more than kMaxStripBytes: rect, trim, a crop
// (fit=cover), a focal point, padding, blur, sharpen, rot/flip, wm, or an
// enlargement on either side. `spec` as asked, `plan` from the upright one;
// frame_width/height the upright frame.
std::optional<StripShrink> strip_shrink(const TransformSpec &spec, const ResizePlan &plan, int frame_width,
                                        int frame_height, int bands, int frames);

// `strip` (frames of `page_height` stacked, 8-bit sRGB or grey, alpha kept,
// read sequentially) resized by `shrink`: the frames stacked (page-height is
// the caller's to set, on its own copy).
// Alpha is premultiplied around the resize when thumbnail would do it.
vips::VImage resize_strip(const vips::VImage &strip, int page_height, int frames, const StripShrink &shrink);

}  // namespace vips_edge
