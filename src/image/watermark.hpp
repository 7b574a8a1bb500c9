// wm=name: a configured overlay (a logo) composited on the finished output,
// at the watermark's gravity and margin, `size` x the output's width, its
// alpha multiplied by `opacity` (api/transform_spec.hpp WatermarkSpec).
//
// The overlay's bytes are fetched once per container and kept by the
// handler (handler/watermarks.hpp), which checks them with check_overlay
// first; the decoded, scaled overlay of the last request is kept here too,
// so an animation's frames (and the next request of the same size) decode
// it once.
#pragma once

#include <cstdint>
#include <span>

#include <vips/vips8>

#include "api/config.hpp"
#include "api/transform_spec.hpp"

namespace vips_edge {

// The largest overlay accepted (pixels, one frame): a logo, decoded on the
// requests that ask for it, stays small beside the work budget (8 MiB as RGBA).
inline constexpr std::uint64_t kMaxOverlayPixels = 2'000'000;

// The bytes of an overlay before they are kept: an image we decode (not
// AVIF, not SVG), within maxInputBytes and kMaxOverlayPixels, that decodes
// whole. Throws ApiError::watermark_unavailable saying why.
void check_overlay(std::span<const std::uint8_t> bytes, const Config &config);

// `image` (an 8-bit output frame, after rot/flip and padding) with
// spec.watermark composited on it, or `image` when there is none. An opaque
// image stays opaque (so a JPEG is written as it was flattened); an image
// with alpha keeps it. A grey image becomes sRGB. Throws VError, or
// ApiError::watermark_unavailable for an overlay the handler did not attach.
vips::VImage watermark_step(vips::VImage image, const TransformSpec &spec);

}  // namespace vips_edge
