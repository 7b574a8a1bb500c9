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

VImage trim_border(const VImage &image, int threshold) {
  const VImage flat = image.has_alpha()
                          ? to_uchar(image.flatten(VImage::option()->set("background", std::vector<double>{255.0})))
                          : image;
  const std::vector<double> background = flat.getpoint(0, 0);
  int top = 0, width = 0, height = 0;
  const int left = image.find_trim(
      &top, &width, &height,
      VImage::option()->set("threshold", static_cast<double>(threshold))->set("background", background));
  if (width <= 0 || height <= 0) return image;  // all border: keep the image
  return image.extract_area(left, top, width, height);
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
