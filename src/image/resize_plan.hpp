// Resize geometry: turns a TransformSpec's box + fit + gravity + enlarge into
// the arguments of one libvips `thumbnail` call plus an optional padding step.
// Pure arithmetic (no libvips calls), so every fit mode is unit-testable.
#pragma once

#include "api/transform_spec.hpp"

namespace vips_edge {

// Mirrors the libvips enums we need, so this header does not pull in vips.
enum class ThumbSize { Both, Down, Force };
enum class ThumbCrop { None, Centre, Low, High, Entropy, Attention };

struct ResizePlan {
  // thumbnail(width, height, size, crop). A side the box leaves free is set
  // to the config's maximum (spec.max_width/max_height), never left out:
  // libvips would default a missing height to the width.
  int width;
  int height;
  ThumbSize size;
  ThumbCrop crop;
  // fit=contain: pad the thumbnail to exactly pad_width x pad_height, placed
  // by `gravity` (smart gravities pad centred).
  bool pad = false;
  int pad_width = 0;
  int pad_height = 0;
  // fit=cover with a focal point: the thumbnail covers the box without
  // cropping, then focal_crop cuts min(box, image) per side centred on
  // (focal_x, focal_y), fractions of the image, as far as the image allows.
  bool focal = false;
  int box_width = 0;
  int box_height = 0;
  double focal_x = 0.5;
  double focal_y = 0.5;
};

// source_width/height: the source's size once upright (EXIF orientation
// applied, rect and trim done). Box sides are spec.target_width/target_height
// (device px); `spec` is in the source's frame (orientation.hpp).
ResizePlan plan_resize(int source_width, int source_height, const TransformSpec &spec);

// libvips 8.16 thumbnail's shrink factors for `plan` on a width x height
// image (vips_thumbnail_calculate_shrink, no turn): one factor for both sides
// (the larger, the smaller with a crop) unless the size is forced, never
// below 1 for size=down, never sending a side under one pixel. The one model
// of it: the work budget's geometry and the animation strip resize.
struct ThumbShrink {
  double h, v;
};
ThumbShrink thumbnail_shrink(const ResizePlan &plan, double width, double height);

}  // namespace vips_edge
