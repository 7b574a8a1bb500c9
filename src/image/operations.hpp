// The URL API v2 operations on a decoded image, in pipeline order:
//   before resizing (upright source, full size): crop_rect, trim_border
//   after resizing: focal_crop, gaussian_blur, sharpen_image
//   last, on the small result: apply_orientation (rot, flip)
// Each takes and returns an 8-bit sRGB or grey image, alpha kept.
#pragma once

#include <vips/vips8>

#include "api/transform_spec.hpp"
#include "image/orientation.hpp"
#include "image/resize_plan.hpp"

namespace vips_edge {

// `rect` clipped to the image; throws ApiError 400 (param rect) when nothing
// of it lies inside the image.
vips::VImage crop_rect(const vips::VImage &image, const Rect &rect);

struct PixelBox {
  int left = 0, top = 0, width = 0, height = 0;
  bool empty() const { return width <= 0 || height <= 0; }
};

// The box trim_border keeps; empty when the image is all border.
PixelBox find_trim_box(const vips::VImage &image, int threshold);

// libvips find_trim with `threshold`, the background taken from the top-left
// pixel (alpha flattened onto white first). An image that is all border is
// returned whole. Over 250,000 pixels the box is searched on a reduced copy
// first and each edge then found exactly (the same box as find_trim on the
// whole image, tested, unless a detail fainter than twice the threshold
// survives only outside the reduced copy's box).
vips::VImage trim_border(const vips::VImage &image, int threshold);

// plan.focal: cut min(box, image) per side, centred on the focal point as far
// as the image allows.
vips::VImage focal_crop(const vips::VImage &image, const ResizePlan &plan);

// Gaussian blur of `sigma` (premultiplied when there is alpha, so transparent
// pixels do not bleed their hidden colour).
vips::VImage gaussian_blur(const vips::VImage &image, double sigma);

// libvips sharpen (unsharp mask on L*) with `sigma`, alpha untouched.
vips::VImage sharpen_image(const vips::VImage &image, double sigma);

// Rotate clockwise by o.rotate, then mirror.
vips::VImage apply_orientation(const vips::VImage &image, Orientation o);

}  // namespace vips_edge
