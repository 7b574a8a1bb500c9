// third_party/libvips/09-premultiply-cast-uchar.patch: thumbnail premultiplies
// 8-bit RGBA straight to uchar (premultiply's "cast_uchar") instead of to
// float and casting back. The patch is only worth having if it is invisible:
// these compare it, pixel for pixel, with libvips' own two steps.
#include <catch2/catch.hpp>

#include <vector>

#include "image_helpers.hpp"

using vips::VImage;

namespace {

// 256 x 256 RGBA: every (value, alpha) pair once, value = x in R, 255 - x in
// G, x ^ y in B, alpha = y.
VImage every_value_alpha_pair() {
  std::vector<unsigned char> pixels(256 * 256 * 4);
  for (int y = 0; y < 256; y++)
    for (int x = 0; x < 256; x++) {
      unsigned char *p = &pixels[(y * 256 + x) * 4];
      p[0] = static_cast<unsigned char>(x);
      p[1] = static_cast<unsigned char>(255 - x);
      p[2] = static_cast<unsigned char>(x ^ y);
      p[3] = static_cast<unsigned char>(y);
    }
  return VImage::new_from_memory_copy(pixels.data(), pixels.size(), 256, 256, 4, VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

// The largest difference over every band of two images of one size.
double max_difference(const VImage &a, const VImage &b) {
  REQUIRE(a.width() == b.width());
  REQUIRE(a.height() == b.height());
  REQUIRE(a.bands() == b.bands());
  return (a.cast(VIPS_FORMAT_INT) - b.cast(VIPS_FORMAT_INT)).abs().max();
}

}  // namespace

TEST_CASE("premultiply cast_uchar gives premultiply + cast's values for every value and alpha", "[premultiply]") {
  VImage in = every_value_alpha_pair();
  VImage fused = in.premultiply(VImage::option()->set("cast_uchar", true));
  VImage two_steps = in.premultiply().cast(VIPS_FORMAT_UCHAR);
  CHECK(fused.format() == VIPS_FORMAT_UCHAR);
  CHECK(max_difference(fused, two_steps) == 0);
  // Not a copy: alpha 128 halves a value (200 -> 100), alpha 0 zeroes it.
  CHECK(fused.getpoint(200, 128)[0] == 100);
  CHECK(fused.getpoint(200, 0)[0] == 0);
  CHECK(fused.getpoint(200, 255)[0] == 200);
}

TEST_CASE("premultiply cast_uchar leaves images it does not fuse as float", "[premultiply]") {
  // Grey + alpha: two bands, not the fused 8-bit RGBA case.
  VImage ga = every_value_alpha_pair().extract_band(2, VImage::option()->set("n", 2))
                  .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
  VImage out = ga.premultiply(VImage::option()->set("cast_uchar", true));
  CHECK(out.format() == VIPS_FORMAT_FLOAT);
  CHECK(max_difference(out, ga.premultiply()) == 0);
}

TEST_CASE("thumbnail of 8-bit RGBA equals libvips' premultiply, cast, resize, unpremultiply, cast", "[premultiply]") {
  // A 4:1 shrink of the pair image: the thumbnail takes the fused path.
  VImage in = every_value_alpha_pair();
  VImage thumb = in.thumbnail_image(64, VImage::option()->set("height", 64));
  VImage steps = in.premultiply()
                     .cast(VIPS_FORMAT_UCHAR)
                     .resize(0.25)
                     .unpremultiply()
                     .cast(VIPS_FORMAT_UCHAR);
  REQUIRE(thumb.width() == 64);
  REQUIRE(thumb.height() == 64);
  CHECK(max_difference(thumb, steps) == 0);
}
