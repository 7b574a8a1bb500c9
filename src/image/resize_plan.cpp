// Resize geometry for the five fit modes (sharp's meanings).
//
// enlarge=0 follows sharp's withoutEnlargement: the image content is never
// scaled up. inside/outside/cover/width-only/height-only therefore never
// return more pixels than the source on either side (cover crops to
// min(box, source) per side); fill clamps each side to the source separately;
// contain still returns exactly the requested box, padding around the
// unscaled image (the box is a layout promise, the padding costs little).
#include "image/resize_plan.hpp"

#include <algorithm>

namespace vips_edge {
namespace {

bool is_north(Gravity g) { return g == Gravity::North || g == Gravity::NorthEast || g == Gravity::NorthWest; }
bool is_south(Gravity g) { return g == Gravity::South || g == Gravity::SouthEast || g == Gravity::SouthWest; }
bool is_west(Gravity g) { return g == Gravity::West || g == Gravity::NorthWest || g == Gravity::SouthWest; }
bool is_east(Gravity g) { return g == Gravity::East || g == Gravity::NorthEast || g == Gravity::SouthEast; }

// libvips' thumbnail crops one axis only (the one that overflows the box), and
// its LOW/HIGH crops keep the top/left or bottom/right of that axis. So a
// compass gravity becomes LOW/HIGH/CENTRE depending on which axis overflows.
ThumbCrop cover_crop(Gravity gravity, long long box_w, long long box_h, long long src_w, long long src_h) {
  switch (gravity) {
    case Gravity::Entropy: return ThumbCrop::Entropy;
    case Gravity::Attention: return ThumbCrop::Attention;
    case Gravity::Center: return ThumbCrop::Centre;
    default: break;
  }
  // box_w / src_w > box_h / src_h  <=>  width drives the scale, height overflows.
  const long long by_width = box_w * src_h, by_height = box_h * src_w;
  if (by_width > by_height) {  // vertical crop
    if (is_north(gravity)) return ThumbCrop::Low;
    if (is_south(gravity)) return ThumbCrop::High;
  } else if (by_height > by_width) {  // horizontal crop
    if (is_west(gravity)) return ThumbCrop::Low;
    if (is_east(gravity)) return ThumbCrop::High;
  }
  return ThumbCrop::Centre;
}

}  // namespace

ResizePlan plan_resize(int source_width, int source_height, const TransformSpec &spec) {
  const ThumbSize size = spec.enlarge ? ThumbSize::Both : ThumbSize::Down;
  const auto &tw = spec.target_width;
  const auto &th = spec.target_height;

  // A side the box leaves free is still capped by the config's maximum:
  // thumbnail then fits inside, scaling both sides down together.
  const int free_w = spec.max_width, free_h = spec.max_height;
  if (!tw || !th) {
    // No box, or one side only: scale to that side, keep the aspect ratio
    // (every fit mode means the same thing with one side). No box at all
    // means no resize (still autorotated, sRGB, re-encoded) beyond the cap.
    return {tw.value_or(free_w), th.value_or(free_h), tw || th ? size : ThumbSize::Down, ThumbCrop::None};
  }

  const int w = *tw, h = *th;
  switch (spec.fit) {
    case Fit::Inside:
      return {w, h, size, ThumbCrop::None};
    case Fit::Contain: {
      ResizePlan plan{w, h, size, ThumbCrop::None};
      plan.pad = true;
      plan.pad_width = w;
      plan.pad_height = h;
      return plan;
    }
    case Fit::Outside: {
      // Scale by the larger ratio: constrain only the side that drives it.
      const bool width_drives = 1LL * w * source_height >= 1LL * h * source_width;
      return {width_drives ? w : free_w, width_drives ? free_h : h, size, ThumbCrop::None};
    }
    case Fit::Fill:
      if (spec.enlarge) return {w, h, ThumbSize::Force, ThumbCrop::None};
      return {std::min(w, source_width), std::min(h, source_height), ThumbSize::Force, ThumbCrop::None};
    case Fit::Cover: {
      if (!spec.focal) return {w, h, size, cover_crop(spec.gravity, w, h, source_width, source_height)};
      // Cover the box like outside (constrain the side that drives the scale), then crop.
      const bool width_drives = 1LL * w * source_height >= 1LL * h * source_width;
      ResizePlan plan{width_drives ? w : free_w, width_drives ? free_h : h, size, ThumbCrop::None};
      plan.focal = true;
      plan.box_width = w;
      plan.box_height = h;
      plan.focal_x = spec.focal->x;
      plan.focal_y = spec.focal->y;
      return plan;
    }
  }
  return {w, h, size, ThumbCrop::None};
}

ThumbShrink thumbnail_shrink(const ResizePlan &plan, double width, double height) {
  double h = width / plan.width, v = height / plan.height;
  if (plan.size != ThumbSize::Force) h = v = plan.crop != ThumbCrop::None ? std::min(h, v) : std::max(h, v);
  if (plan.size == ThumbSize::Down) {
    h = std::max(1.0, h);
    v = std::max(1.0, v);
  }
  return {std::min(h, width), std::min(v, height)};
}

}  // namespace vips_edge
