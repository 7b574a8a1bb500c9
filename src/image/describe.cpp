// format=json body (describe.hpp).
#include "image/describe.hpp"

#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "util/base64.hpp"
#include "image/animation.hpp"
#include "image/thumbhash.hpp"
#include "image/vips_memory.hpp"

namespace vips_edge {

using vips::VImage;

namespace {

std::string format_name(ImageFormat f) { return std::string(format_info(f).name); }

std::string dominant_colour(const Rgba &rgba) {
  const std::size_t n = rgba.pixels.size() / 4;
  std::size_t opaque = 0;
  for (std::size_t i = 0; i < n; ++i) opaque += rgba.pixels[i * 4 + 3] >= 128;
  struct Bin {
    std::size_t count = 0;
    std::array<std::size_t, 3> sum{};
  };
  std::vector<Bin> bins(16 * 16 * 16);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t *p = &rgba.pixels[i * 4];
    if (opaque && p[3] < 128) continue;
    Bin &bin = bins[(p[0] >> 4) << 8 | (p[1] >> 4) << 4 | p[2] >> 4];
    ++bin.count;
    for (int c = 0; c < 3; ++c) bin.sum[c] += p[c];
  }
  const Bin *best = &bins[0];
  for (const Bin &bin : bins)
    if (bin.count > best->count) best = &bin;
  char hex[8];
  auto mean = [&](int c) { return best->count ? static_cast<unsigned>((best->sum[c] + best->count / 2) / best->count) : 0u; };
  std::snprintf(hex, sizeof hex, "#%02x%02x%02x", mean(0), mean(1), mean(2));
  return hex;
}

}  // namespace

Rgba small_rgba(const VImage &image) {
  VImage small = image;
  if (small.width() > 100 || small.height() > 100)
    small = small.thumbnail_image(100, VImage::option()->set("height", 100));
  if (small.bands() - (small.has_alpha() ? 1 : 0) < 3) small = small.colourspace(VIPS_INTERPRETATION_sRGB);
  if (!small.has_alpha()) small = small.bandjoin_const({255.0});
  if (small.format() != VIPS_FORMAT_UCHAR) small = small.cast(VIPS_FORMAT_UCHAR);
  return {small.width(), small.height(), image_bytes(small)};
}

std::string describe_image(const PreparedImage &prepared) {
  // An animation is described by its first frame (ThumbHash, dominant colour, size).
  const VImage &image = prepared.image;
  const Rgba rgba = small_rgba(image.crop(0, 0, image.width(), frame_height(image)));
  const auto hash = rgba_to_thumbhash(rgba.width, rgba.height, rgba.pixels);
  const nlohmann::ordered_json body = {  // keys in the documented order
      {"source",
       {{"width", prepared.source.width},
        {"height", prepared.source.height},
        {"format", format_name(prepared.source.format)},
        {"hasAlpha", prepared.source.has_alpha},
        {"bytes", prepared.source.bytes},
        {"frames", prepared.source.frames}}},
      {"output",
       {{"width", image.width()},
        {"height", frame_height(image)},
        {"format", format_name(prepared.format)},
        {"frames", frame_count(image)}}},
      {"thumbhash", base64_encode(hash)},
      {"dominant", dominant_colour(rgba)},
  };
  return body.dump();
}

}  // namespace vips_edge
