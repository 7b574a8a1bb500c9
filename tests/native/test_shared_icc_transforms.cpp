// Our libvips patch 10 (third_party/libvips/10-shared-icc-transforms.patch):
// lcms2 transforms shared between images through a small cache, fallback
// profiles decompressed once. What must hold: an image gets the transform of
// exactly its own profiles, formats and intent (never a neighbour's), and
// keeps it after the cache has let it go. Their speed: bench/README.md.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <vips/vips8>

#include "image_helpers.hpp"

using vips::VImage;
using namespace vips_edge::test;

namespace {

// A corner of the Adobe RGB fixture, decoded (its profile attached).
VImage adobe_rgb_corner() {
  static const Bytes bytes = read_fixture("photo-adobergb.jpg");
  return VImage::new_from_buffer(bytes.data(), bytes.size(), "").crop(0, 0, 64, 48).copy_memory();
}

struct Variant {
  const char *profile;
  int depth;
  VipsIntent intent;
};

// More variants than the cache holds (4), each a different key.
const std::vector<Variant> kVariants = {
    {"srgb", 8, VIPS_INTENT_RELATIVE},     {"srgb", 16, VIPS_INTENT_RELATIVE}, {"p3", 8, VIPS_INTENT_RELATIVE},
    {"cmyk", 8, VIPS_INTENT_RELATIVE},     {"srgb", 8, VIPS_INTENT_PERCEPTUAL}, {"p3", 16, VIPS_INTENT_RELATIVE},
    {"cmyk", 8, VIPS_INTENT_PERCEPTUAL},
};

// Built, not computed: the transform is made (or taken from the cache) now
// and held by the image.
VImage transformed(const VImage &in, const Variant &v) {
  return in.icc_transform(v.profile, VImage::option()
                                         ->set("embedded", true)
                                         ->set("depth", v.depth)
                                         ->set("intent", v.intent));
}

bool same_pixels(const VImage &a, const VImage &b) {
  return a.width() == b.width() && a.height() == b.height() && a.bands() == b.bands() &&
         a.format() == b.format() && (a.cast(VIPS_FORMAT_DOUBLE) - b.cast(VIPS_FORMAT_DOUBLE)).abs().max() == 0;
}

}  // namespace

TEST_CASE("every image gets the transform of its own profiles, formats and intent", "[libvips][icc]") {
  const VImage in = adobe_rgb_corner();
  // Held lazily while the later ones push the first out of the cache, then
  // computed: each must still run its own transform.
  std::vector<VImage> held;
  for (const Variant &v : kVariants) held.push_back(transformed(in, v));
  std::vector<VImage> first;
  for (auto it = held.rbegin(); it != held.rend(); ++it) first.insert(first.begin(), it->copy_memory());
  held.clear();

  for (std::size_t i = 0; i < kVariants.size(); ++i) {
    const Variant &v = kVariants[i];
    INFO(v.profile << " depth " << v.depth << " intent " << v.intent);
    const VImage again = transformed(in, v).copy_memory();
    CHECK(same_pixels(first[i], again));
    CHECK(again.bands() == (std::string(v.profile) == "cmyk" ? 4 : 3));
    CHECK(again.format() == (v.depth == 8 ? VIPS_FORMAT_UCHAR : VIPS_FORMAT_USHORT));
  }
  // Different keys, different pixels where the profiles differ.
  CHECK_FALSE(same_pixels(first[0], first[2]));  // sRGB against P3
  CHECK_FALSE(same_pixels(first[3], first[6]));  // CMYK: relative against perceptual (a LUT profile)
  CHECK(first[0].max() <= 255);
  CHECK(first[1].max() > 255);  // 16 bits
}

TEST_CASE("a profile of the same size with other bytes is another transform", "[libvips][icc]") {
  const VImage in = adobe_rgb_corner();
  const void *data = nullptr;
  size_t length = 0;
  REQUIRE(vips_image_get_blob(in.get_image(), VIPS_META_ICC_NAME, &data, &length) == 0);
  std::vector<unsigned char> profile(static_cast<const unsigned char *>(data),
                                     static_cast<const unsigned char *>(data) + length);
  // The red colorant (rXYZ tag: 'XYZ ', 4 reserved bytes, then X, Y, Z as
  // s15Fixed16) moved: same length, the same bytes up to that tag.
  auto be32 = [&](std::size_t at) {
    return std::uint32_t(profile.at(at)) << 24 | std::uint32_t(profile.at(at + 1)) << 16 |
           std::uint32_t(profile.at(at + 2)) << 8 | std::uint32_t(profile.at(at + 3));
  };
  std::size_t red = 0;
  for (std::uint32_t i = 0, n = be32(128); i < n; ++i)
    if (be32(132 + 12 * i) == 0x7258595a) red = be32(132 + 12 * i + 4);  // 'rXYZ'
  REQUIRE(red > 0);
  profile.at(red + 9) ^= 0x40;  // X's fraction: +-0.25

  const VImage adobe = transformed(in, kVariants[0]).copy_memory();
  VImage tagged = in.copy();
  tagged.set(VIPS_META_ICC_NAME, nullptr, profile.data(), profile.size());
  const VImage moved = transformed(tagged, kVariants[0]).copy_memory();
  CHECK_FALSE(same_pixels(adobe, moved));
  CHECK(same_pixels(adobe, transformed(in, kVariants[0]).copy_memory()));
}

TEST_CASE("a fallback profile is decompressed once and shared", "[libvips][icc]") {
  VipsBlob *first = VImage::profile_load("cmyk");
  VipsBlob *second = VImage::profile_load("CMYK");  // the names are case-insensitive
  std::size_t first_size = 0, second_size = 0;
  const void *a = vips_blob_get(first, &first_size);
  const void *b = vips_blob_get(second, &second_size);
  CHECK(first_size == 961'644);  // the CMYK profile, inflated
  CHECK(second_size == first_size);
  CHECK(a == b);  // the same bytes, not a second copy
  vips_area_unref(VIPS_AREA(first));
  vips_area_unref(VIPS_AREA(second));
  VipsBlob *srgb = VImage::profile_load("srgb");
  std::size_t srgb_size = 0;
  CHECK(vips_blob_get(srgb, &srgb_size) != a);
  CHECK(srgb_size < 10'000);
  vips_area_unref(VIPS_AREA(srgb));
}
