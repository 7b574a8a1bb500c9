// The steps after resizing, one function each, over one context: the same
// for a still image and for every frame of an animation. pipeline.cpp runs
// them through finish_frame; their order is the URL API's (README "Order of
// operations"): crop (focal point) -> effects (blur, sharpen) -> pad/flatten
// -> orient (rot, flip) -> watermark (image/watermark.hpp: last, so its
// gravity is the corner the viewer sees).
#pragma once

#include <vips/vips8>

#include "api/transform_spec.hpp"
#include "image/formats.hpp"
#include "image/resize_plan.hpp"

namespace vips_edge {

// What every step reads: the request as asked (`spec`: rot, flip, effects,
// background) and as seen from the upright source (`upright`: the box,
// anchor and focal point the plan was made with), the resize plan, and the
// output format (which decides whether alpha survives).
struct StepContext {
  const TransformSpec &spec;
  const TransformSpec &upright;
  const ResizePlan &plan;
  ImageFormat format;
};

// fit=cover's focal-point crop (the box was planned around fp).
vips::VImage crop_step(vips::VImage image, const StepContext &ctx);

// blur, then sharpen.
vips::VImage effects_step(vips::VImage image, const StepContext &ctx);

// contain's padding (the background colour, white by default for a format
// without alpha, else transparent), then alpha flattened onto the background
// for a format without alpha.
vips::VImage pad_flatten_step(vips::VImage image, const StepContext &ctx);

// rot and flip, last, on the small result; a sane resolution for the savers.
vips::VImage orient_step(vips::VImage image, const StepContext &ctx);

// crop -> effects -> pad/flatten -> orient -> watermark.
vips::VImage finish_frame(vips::VImage image, const StepContext &ctx);

}  // namespace vips_edge
