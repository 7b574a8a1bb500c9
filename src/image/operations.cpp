// URL API v2 operations (see operations.hpp).
#include "image/operations.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "api/api_error.hpp"
#include "api/params.hpp"

namespace vips_edge {

using vips::VImage;

namespace {

VImage to_uchar(VImage image) {
  return image.format() == VIPS_FORMAT_UCHAR ? image : image.cast(VIPS_FORMAT_UCHAR);
}

// Colour bands and alpha apart, so an operation meant for colour leaves the
// alpha as it was.
VImage without_alpha(const VImage &image) {
  return image.has_alpha() ? image.extract_band(0, VImage::option()->set("n", image.bands() - 1)) : image;
}

VImage with_alpha_of(const VImage &colour, const VImage &original) {
  return original.has_alpha() ? colour.bandjoin(original.extract_band(original.bands() - 1)) : colour;
}

}  // namespace

VImage crop_rect(const VImage &image, const Rect &rect) {
  const long long right = std::min<long long>(image.width(), 1LL * rect.x + rect.width);
  const long long bottom = std::min<long long>(image.height(), 1LL * rect.y + rect.height);
  if (rect.x >= image.width() || rect.y >= image.height() || right <= rect.x || bottom <= rect.y) {
    const std::string name = canonical_name(Param::Rect);
    throw ApiError::invalid_parameter(
        name, name + "=" + std::to_string(rect.x) + "," + std::to_string(rect.y) + "," + std::to_string(rect.width) +
                  "," + std::to_string(rect.height) + ": outside the " + std::to_string(image.width()) + "x" +
                  std::to_string(image.height()) + " image");
  }
  return image.extract_area(rect.x, rect.y, static_cast<int>(right - rect.x), static_cast<int>(bottom - rect.y));
}

namespace {

// Empty (nothing found) for an image under 3 px on a side: find_trim's 3x3
// median refuses it ("rank: window too large", a 500 found by fuzz_image_spec
// on a 2 px tall GIF frame).
PixelBox find_box(const VImage &image, double threshold, const std::vector<double> &background) {
  if (image.width() < 3 || image.height() < 3) return {};
  PixelBox b;
  b.left = image.find_trim(&b.top, &b.width, &b.height,
                           VImage::option()->set("threshold", threshold)->set("background", background));
  return b;
}

// find_trim on `area` of `image`, in image coordinates; empty when `area` is.
PixelBox find_box_in(const VImage &image, PixelBox area, double threshold, const std::vector<double> &background) {
  if (area.empty()) return {};
  PixelBox b = find_box(image.extract_area(area.left, area.top, area.width, area.height), threshold, background);
  if (!b.empty()) b.left += area.left, b.top += area.top;
  return b;
}

// find_trim runs a 3x3 median over every pixel: 3.5 s for 8 MP and 11 s for
// 20 MP on this (shared) machine, far too slow at maxInputPixels. Larger
// images are searched on a copy k times smaller first, then each edge exactly
// in a strip along it: 0.36 s and 0.73 s for the same images.
constexpr double kTrimDirectPixels = 250'000;

}  // namespace

PixelBox find_trim_box(const VImage &image, int threshold) {
  const VImage flat = image.has_alpha()
                          ? to_uchar(image.flatten(VImage::option()->set("background", std::vector<double>{255.0})))
                          : image;
  const std::vector<double> background = flat.getpoint(0, 0);
  const int W = image.width(), H = image.height();
  const double pixels = double(W) * H;
  PixelBox box;
  // Thin images go straight to find_trim: the edge strips (5k wide) would
  // cover the image several times over (fuzz_image_spec's 64799x21 JPEG took
  // 3.5x the direct search).
  const int k = static_cast<int>(std::ceil(std::sqrt(pixels / kTrimDirectPixels)));
  if (pixels <= kTrimDirectPixels || std::min(W, H) <= 20 * k) {
    box = find_box(image, threshold, background);
  } else {
    // Coarse: a k-times smaller box-filtered copy, half the threshold (averaging
    // dilutes a content edge), the box widened by 2k: the true edges lie inside it.
    const PixelBox coarse = find_box(image.shrink(k, k), threshold / 2.0, background);
    if (coarse.empty()) return {};  // all border
    const int x0 = std::max(0, (coarse.left - 2) * k), y0 = std::max(0, (coarse.top - 2) * k);
    const int x1 = std::min(W, (coarse.left + coarse.width + 2) * k), y1 = std::min(H, (coarse.top + coarse.height + 2) * k);
    // Exact: each edge found by find_trim itself in a strip 5k wide along it.
    const int s = 5 * k;
    const PixelBox left = find_box_in(image, {x0, y0, std::min(s, x1 - x0), y1 - y0}, threshold, background);
    const PixelBox right = find_box_in(image, {std::max(x0, x1 - s), y0, std::min(s, x1 - x0), y1 - y0}, threshold, background);
    const PixelBox top = find_box_in(image, {x0, y0, x1 - x0, std::min(s, y1 - y0)}, threshold, background);
    const PixelBox bottom = find_box_in(image, {x0, std::max(y0, y1 - s), x1 - x0, std::min(s, y1 - y0)}, threshold, background);
    // An edge on the strip's inner side means the coarse pass was off: search the widened box whole.
    const bool inside = !left.empty() && !right.empty() && !top.empty() && !bottom.empty() &&
                        left.left < std::min(x0 + s, x1) - 1 && right.left + right.width > std::max(x0, x1 - s) + 1 &&
                        top.top < std::min(y0 + s, y1) - 1 && bottom.top + bottom.height > std::max(y0, y1 - s) + 1;
    if (inside) {
      box = {left.left, top.top, right.left + right.width - left.left, bottom.top + bottom.height - top.top};
    } else {
      box = find_box_in(image, {x0, y0, x1 - x0, y1 - y0}, threshold, background);
    }
  }
  return box;
}

VImage trim_border(const VImage &image, int threshold) {
  const PixelBox box = find_trim_box(image, threshold);
  if (box.empty()) return image;  // all border: keep the image
  return image.extract_area(box.left, box.top, box.width, box.height);
}

VImage focal_crop(const VImage &image, const ResizePlan &plan) {
  const int w = std::min(plan.box_width, image.width());
  const int h = std::min(plan.box_height, image.height());
  auto start = [](double focal, int size, int crop) {
    const long long centred = std::llround(focal * size - crop / 2.0);
    return static_cast<int>(std::clamp<long long>(centred, 0, size - crop));
  };
  if (w == image.width() && h == image.height()) return image;
  return image.extract_area(start(plan.focal_x, image.width(), w), start(plan.focal_y, image.height(), h), w, h);
}

VImage gaussian_blur(const VImage &image, double sigma) {
  // A large sigma costs a mask of ~3.6 sigma taps per pixel per pass (sigma
  // 100 on a 4096 px image: minutes). What such a blur keeps is so smooth
  // that it survives being computed at 1/k size: blur a k-times smaller copy
  // with sigma/k (k keeps that sigma at 4 or more) and scale it back.
  const int k = static_cast<int>(std::min({sigma / 4.0, image.width() / 8.0, image.height() / 8.0}));
  VImage in = image.has_alpha() ? image.premultiply() : image;
  if (k >= 2) {
    VImage small = in.resize(1.0 / k).gaussblur(sigma / k);
    in = small.resize(double(image.width()) / small.width(),
                      VImage::option()
                          ->set("vscale", double(image.height()) / small.height())
                          ->set("kernel", VIPS_KERNEL_LINEAR));
    // resize rounds each side: pin the exact size (extend copies the edge).
    if (in.width() != image.width() || in.height() != image.height())
      in = in.embed(0, 0, image.width(), image.height(), VImage::option()->set("extend", VIPS_EXTEND_COPY));
  } else {
    in = in.gaussblur(sigma);
  }
  if (image.has_alpha()) in = in.unpremultiply();
  return to_uchar(in.copy(VImage::option()->set("interpretation", image.interpretation())));
}

VImage sharpen_image(const VImage &image, double sigma) {
  const VImage colour = without_alpha(image);
  VImage sharp = colour.sharpen(VImage::option()->set("sigma", sigma));
  // sharpen works in LabS and converts back; make sure it is the input's space and depth.
  if (sharp.interpretation() != colour.interpretation()) sharp = sharp.colourspace(colour.interpretation());
  return with_alpha_of(to_uchar(sharp), image);
}

VImage apply_orientation(const VImage &image, Orientation o) {
  VImage out = image;
  switch (o.rotate) {
    case 90: out = out.rot(VIPS_ANGLE_D90); break;
    case 180: out = out.rot(VIPS_ANGLE_D180); break;
    case 270: out = out.rot(VIPS_ANGLE_D270); break;
    default: break;
  }
  if (o.flip_h) out = out.flip(VIPS_DIRECTION_HORIZONTAL);
  if (o.flip_v) out = out.flip(VIPS_DIRECTION_VERTICAL);
  return out;
}

}  // namespace vips_edge
