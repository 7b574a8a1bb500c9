// Compositing wm's overlay (watermark.hpp): libvips' composite2 (OVER), which
// premultiplies both images itself.
#include "image/watermark.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "api/api_error.hpp"
#include "image/formats.hpp"
#include "image/loaders.hpp"
#include "image/vips_memory.hpp"

namespace vips_edge {

namespace {

using vips::VError;
using vips::VImage;

// The overlay scaled into a box_width x box_height box (aspect kept, enlarged
// if need be), 8-bit sRGB with alpha, the alpha multiplied by `opacity`.
VImage scaled_overlay(std::span<const std::uint8_t> bytes, int box_width, int box_height, double opacity) {
  const Blob blob = blob_view(bytes);
  VImage overlay = VImage::thumbnail_buffer(blob.get(), box_width,
                                            VImage::option()
                                                ->set("height", box_height)
                                                ->set("size", VIPS_SIZE_BOTH)
                                                ->set("fail_on", static_cast<int>(VIPS_FAIL_ON_TRUNCATED)));
  const int colour = overlay.bands() - (overlay.has_alpha() ? 1 : 0);
  // 16-bit, grey or palette PNGs: 8-bit sRGB (colourspace keeps the alpha band).
  if (colour < 3 || overlay.format() != VIPS_FORMAT_UCHAR) overlay = overlay.colourspace(VIPS_INTERPRETATION_sRGB);
  if (overlay.format() != VIPS_FORMAT_UCHAR) overlay = overlay.cast(VIPS_FORMAT_UCHAR);
  if (!overlay.has_alpha()) overlay = overlay.bandjoin_const({255.0});
  if (opacity < 1) {
    const VImage alpha = (overlay.extract_band(3) * opacity).cast(VIPS_FORMAT_UCHAR);
    overlay = overlay.extract_band(0, VImage::option()->set("n", 3)).bandjoin(alpha);
  }
  // Detached from `bytes`: the result outlives this call (the cache below).
  return overlay.copy_memory();
}

// The last scaled overlay: an animation's frames all ask for the same one,
// and so do the requests of one size. It holds the bytes it was made from,
// so their address is never reused for another overlay while it is kept.
struct LastOverlay {
  std::shared_ptr<const std::vector<std::uint8_t>> bytes;
  int box_width = 0, box_height = 0;
  double opacity = -1;
  VImage overlay;
};

VImage overlay_for(const std::shared_ptr<const std::vector<std::uint8_t>> &bytes, int box_width, int box_height,
                   double opacity) {
  static std::mutex mutex;
  static LastOverlay last;
  std::lock_guard<std::mutex> lock(mutex);
  if (last.bytes != bytes || last.box_width != box_width || last.box_height != box_height || last.opacity != opacity)
    last = {bytes, box_width, box_height, opacity, scaled_overlay(*bytes, box_width, box_height, opacity)};
  return last.overlay;
}

// Where the overlay's top-left corner goes: `margin` from the edges the
// gravity names, centred on the other axis, never outside the image.
int place(int space, int margin, bool at_start, bool at_end) {
  const int position = at_start ? margin : at_end ? space - margin : space / 2;
  return std::clamp(position, 0, std::max(space, 0));
}

}  // namespace

void check_overlay(std::span<const std::uint8_t> bytes, const Config &config) {
  if (bytes.size() > config.max_input_bytes)
    throw ApiError::watermark_unavailable("the overlay is larger than maxInputBytes");
  ImageFormat format;
  try {
    format = sniff_format(bytes);
  } catch (const ApiError &) {
    throw ApiError::watermark_unavailable("the overlay is not an image (PNG, WebP, JPEG or GIF)");
  }
  if (format_info(format).codec) throw ApiError::watermark_unavailable("the overlay must be PNG, WebP, JPEG or GIF");
  try {
    const Blob blob = blob_view(bytes);
    const VImage image = format_info(format).load(blob.get(), VImage::option()
                                                                   ->set("access", VIPS_ACCESS_SEQUENTIAL)
                                                                   ->set("fail_on", static_cast<int>(VIPS_FAIL_ON_TRUNCATED)));
    const std::uint64_t pixels = std::uint64_t(image.width()) * std::uint64_t(image.height());
    if (pixels > std::min(kMaxOverlayPixels, config.max_input_pixels))
      throw ApiError::watermark_unavailable("the overlay is " + std::to_string(image.width()) + "x" +
                                            std::to_string(image.height()) + ", more than " +
                                            std::to_string(std::min(kMaxOverlayPixels, config.max_input_pixels)) +
                                            " pixels");
    (void)image.avg();  // every pixel decoded once: a truncated overlay is refused now, not per request
  } catch (const VError &error) {
    throw ApiError::watermark_unavailable("cannot decode the overlay: " + take_vips_error(error));
  }
}

VImage watermark_step(VImage image, const TransformSpec &spec) {
  if (!spec.watermark) return image;
  const WatermarkSpec &wm = *spec.watermark;
  if (!wm.overlay) throw ApiError::watermark_unavailable("the overlay of watermark \"" + wm.name + "\" is not loaded");
  const int width = image.width(), height = image.height();
  const int box_width = std::clamp(static_cast<int>(std::lround(wm.size * width)), 1, width);
  const VImage overlay = overlay_for(wm.overlay, box_width, height, wm.opacity);

  const Gravity g = wm.gravity;
  const int x = place(width - overlay.width(), wm.margin, g == Gravity::West || g == Gravity::NorthWest || g == Gravity::SouthWest,
                      g == Gravity::East || g == Gravity::NorthEast || g == Gravity::SouthEast);
  const int y = place(height - overlay.height(), wm.margin, g == Gravity::North || g == Gravity::NorthWest || g == Gravity::NorthEast,
                      g == Gravity::South || g == Gravity::SouthWest || g == Gravity::SouthEast);

  const bool alpha = image.has_alpha();
  if (image.bands() - (alpha ? 1 : 0) < 3) image = image.colourspace(VIPS_INTERPRETATION_sRGB);
  const int bands = image.bands();
  VImage out = image.composite2(overlay, VIPS_BLEND_MODE_OVER, VImage::option()->set("x", x)->set("y", y));
  if (out.format() != VIPS_FORMAT_UCHAR) out = out.cast(VIPS_FORMAT_UCHAR);
  // An opaque image stays opaque: composite2 adds an alpha band, all 255 here.
  if (out.bands() > bands) out = out.extract_band(0, VImage::option()->set("n", bands));
  return out;
}

}  // namespace vips_edge
