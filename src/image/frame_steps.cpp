#include "image/frame_steps.hpp"

#include <cmath>
#include <optional>
#include <vector>

#include "image/operations.hpp"
#include "image/orientation.hpp"
#include "image/watermark.hpp"

namespace vips_edge {
namespace {

using vips::VImage;

VipsCompassDirection compass(Gravity gravity) {
  switch (gravity) {
    case Gravity::North: return VIPS_COMPASS_DIRECTION_NORTH;
    case Gravity::NorthEast: return VIPS_COMPASS_DIRECTION_NORTH_EAST;
    case Gravity::East: return VIPS_COMPASS_DIRECTION_EAST;
    case Gravity::SouthEast: return VIPS_COMPASS_DIRECTION_SOUTH_EAST;
    case Gravity::South: return VIPS_COMPASS_DIRECTION_SOUTH;
    case Gravity::SouthWest: return VIPS_COMPASS_DIRECTION_SOUTH_WEST;
    case Gravity::West: return VIPS_COMPASS_DIRECTION_WEST;
    case Gravity::NorthWest: return VIPS_COMPASS_DIRECTION_NORTH_WEST;
    default: return VIPS_COMPASS_DIRECTION_CENTRE;
  }
}

// Colour bands of `image` as a background vector (grey images get one value
// when the colour is grey, otherwise they are turned into sRGB first).
std::vector<double> background_for(VImage &image, Rgb rgb) {
  const bool grey_image = image.bands() - (image.has_alpha() ? 1 : 0) < 3;
  if (grey_image && rgb.r == rgb.g && rgb.g == rgb.b) return {double(rgb.r)};
  if (grey_image) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  return {double(rgb.r), double(rgb.g), double(rgb.b)};
}

VImage flatten(VImage image, Rgb rgb) {
  if (!image.has_alpha()) return image;
  auto background = background_for(image, rgb);
  image = image.flatten(VImage::option()->set("background", background));
  return image.format() == VIPS_FORMAT_UCHAR ? image : image.cast(VIPS_FORMAT_UCHAR);
}

VImage pad(VImage image, const ResizePlan &plan, Gravity gravity, std::optional<Rgb> rgb) {
  if (image.width() == plan.pad_width && image.height() == plan.pad_height) return image;
  std::vector<double> background;
  if (rgb) {
    background = background_for(image, *rgb);
    if (image.has_alpha()) background.push_back(255.0);
  } else {  // transparent padding
    if (!image.has_alpha()) image = image.bandjoin_const({255.0});
    background.assign(static_cast<std::size_t>(image.bands()), 0.0);
  }
  return image.gravity(compass(gravity), plan.pad_width, plan.pad_height,
                       VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", background));
}

// The output's resolution (pixels per mm) when the source's is absurd:
// libvips' PNG saver multiplies it by 1000 into an unsigned int, undefined
// behaviour for a hostile pHYs of 2.7e8 px/mm (fuzz_image_spec, UBSan; the
// wasm build silently wrote 0). Sane values pass through.
VImage with_sane_resolution(VImage image) {
  auto sane = [](double res) { return std::isfinite(res) && res > 0 && res <= 100'000; };
  if (sane(image.xres()) && sane(image.yres())) return image;
  constexpr double k72Dpi = 72 / 25.4;
  return image.copy(VImage::option()->set("xres", k72Dpi)->set("yres", k72Dpi));
}

}  // namespace

VImage crop_step(VImage image, const StepContext &ctx) {
  return ctx.plan.focal ? focal_crop(image, ctx.plan) : image;
}

VImage effects_step(VImage image, const StepContext &ctx) {
  if (ctx.spec.blur) image = gaussian_blur(image, *ctx.spec.blur);
  if (ctx.spec.sharpen) image = sharpen_image(image, *ctx.spec.sharpen);
  return image;
}

VImage pad_flatten_step(VImage image, const StepContext &ctx) {
  const bool alpha = format_info(ctx.format).alpha;
  const std::optional<Rgb> &background = ctx.spec.background;
  if (ctx.plan.pad) image = pad(image, ctx.plan, ctx.upright.gravity, alpha ? background : background.value_or(Rgb{}));
  return alpha ? image : flatten(image, background.value_or(Rgb{}));
}

VImage orient_step(VImage image, const StepContext &ctx) {
  return with_sane_resolution(apply_orientation(image, orientation_of(ctx.spec)));
}

VImage finish_frame(VImage image, const StepContext &ctx) {
  image = crop_step(image, ctx);
  image = effects_step(image, ctx);
  image = pad_flatten_step(image, ctx);
  image = orient_step(image, ctx);
  return watermark_step(image, ctx.spec);  // on the output as seen: after rot/flip and padding
}

}  // namespace vips_edge
