// An animated source through the same steps as a still image, frame by
// frame (animation.hpp decides when a source stays animated).
#pragma once

#include <cstdint>
#include <span>

#include <vips/vips8>

#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "image/animation.hpp"
#include "image/decode.hpp"
#include "image/resize_plan.hpp"

namespace vips_edge {

// The frames one after another from a sequential load (memory holds one
// decoded source frame and the small results, never the whole animation),
// each through rect, trim, resize and finish_frame (frame_steps.hpp), then
// joined into one strip with page-height, delay and loop: the layout webpsave
// writes as an animation. trim's box is found on the first frame and cut from
// every frame, so they keep one size. Sets `plan`. Throws ApiError 413 over
// maxFramePixels in the output, vips::VError on a decode error (for
// decode_with_policy).
vips::VImage assemble_animation(std::span<const std::uint8_t> bytes, const SourceInfo &source,
                                const Animation &animation, const TransformSpec &spec, const TransformSpec &upright,
                                const Config &config, VipsFailOn fail_on, ResizePlan &plan);

}  // namespace vips_edge
