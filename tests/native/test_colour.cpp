// CMYK as Photoshop and sharp show it (image/colour.hpp): the pipeline's
// output against a reference computed with lcms2 directly (relative
// colorimetric + black-point compensation, libvips' CMYK and sRGB profiles),
// within 1.5 levels; and the same reference without the compensation is
// far off, so the test tells the two apart.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include <lcms2.h>

#include "api/parse_spec.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;

namespace {

// Flat patches (so resizing cannot blur the comparison): paper, a skin
// tone, a deep blue, rich black, a mid grey in K only.
constexpr std::array<std::array<std::uint8_t, 4>, 5> kPatches = {{
    {0, 0, 0, 0}, {10, 60, 80, 5}, {230, 180, 20, 40}, {200, 180, 170, 250}, {0, 0, 0, 128}}};
constexpr int kPatch = 64;

// A CMYK JPEG of the patches side by side (libvips writes 4-band CMYK as an
// Adobe CMYK JPEG), optionally with `profile` embedded.
test::Bytes cmyk_jpeg(const vips::VImage *profile_source) {
  std::vector<std::uint8_t> pixels;
  for (int y = 0; y < kPatch; ++y)
    for (const auto &patch : kPatches)
      for (int x = 0; x < kPatch; ++x) pixels.insert(pixels.end(), patch.begin(), patch.end());
  vips::VImage image = vips::VImage::new_from_memory_copy(pixels.data(), pixels.size(), kPatch * int(kPatches.size()),
                                                          kPatch, 4, VIPS_FORMAT_UCHAR)
                           .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_CMYK));
  if (profile_source) {
    size_t length = 0;
    const void *data = nullptr;
    REQUIRE(vips_image_get_blob(profile_source->get_image(), VIPS_META_ICC_NAME, &data, &length) == 0);
    vips_image_set_blob_copy(image.get_image(), VIPS_META_ICC_NAME, data, length);
  }
  return test::to_bytes(image.jpegsave_buffer(vips::VImage::option()->set("Q", 100)->set("keep", profile_source ? VIPS_FOREIGN_KEEP_ICC : VIPS_FOREIGN_KEEP_NONE)));
}

// libvips' built-in profile by name ("cmyk", "srgb"), as bytes.
std::vector<std::uint8_t> builtin_profile(const char *name) {
  VipsBlob *blob = nullptr;
  REQUIRE(vips_profile_load(name, &blob, nullptr) == 0);
  size_t length = 0;
  const auto *data = static_cast<const std::uint8_t *>(vips_blob_get(blob, &length));
  std::vector<std::uint8_t> bytes(data, data + length);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

// lcms2's conversion of one CMYK pixel to sRGB.
std::array<std::uint8_t, 3> reference(const std::array<std::uint8_t, 4> &cmyk, bool bpc) {
  const auto cmyk_profile = builtin_profile("cmyk");
  const auto srgb_profile = builtin_profile("srgb");
  cmsHPROFILE in = cmsOpenProfileFromMem(cmyk_profile.data(), cmyk_profile.size());
  cmsHPROFILE out = cmsOpenProfileFromMem(srgb_profile.data(), srgb_profile.size());
  REQUIRE(in);
  REQUIRE(out);
  cmsHTRANSFORM t = cmsCreateTransform(in, TYPE_CMYK_8, out, TYPE_RGB_8, INTENT_RELATIVE_COLORIMETRIC,
                                       bpc ? cmsFLAGS_BLACKPOINTCOMPENSATION : 0);
  REQUIRE(t);
  std::array<std::uint8_t, 3> rgb{};
  cmsDoTransform(t, cmyk.data(), rgb.data(), 1);
  cmsDeleteTransform(t);
  cmsCloseProfile(in);
  cmsCloseProfile(out);
  return rgb;
}

// The centre of each patch in `image` (its patches side by side, equal widths).
std::vector<std::array<double, 4>> patch_centres(const vips::VImage &image) {
  std::vector<std::array<double, 4>> out;
  const int width = image.width() / int(kPatches.size());
  for (std::size_t i = 0; i < kPatches.size(); ++i) {
    std::array<double, 4> v{};
    for (int b = 0; b < std::min(4, image.bands()); ++b)
      v[b] = test::channel(image, int(i) * width + width / 2, image.height() / 2, b);
    out.push_back(v);
  }
  return out;
}

double worst_difference(const vips::VImage &output, const test::Bytes &jpeg, bool bpc) {
  // The CMYK values the JPEG actually holds (quantisation moved them a little).
  const auto source = patch_centres(test::decode(jpeg));
  const auto got = patch_centres(output);
  double worst = 0;
  for (std::size_t i = 0; i < kPatches.size(); ++i) {
    std::array<std::uint8_t, 4> cmyk{};
    for (int b = 0; b < 4; ++b) cmyk[b] = static_cast<std::uint8_t>(std::lround(source[i][b]));
    const auto want = reference(cmyk, bpc);
    for (int b = 0; b < 3; ++b) {
      INFO("patch " << i << " band " << b << ": got " << got[i][b] << ", reference " << int(want[b]));
      worst = std::max(worst, std::abs(got[i][b] - want[b]));
    }
  }
  return worst;
}

}  // namespace

TEST_CASE("CMYK: relative colorimetric with black-point compensation, within 1.5 levels", "[colour]") {
  // A profile to embed: libvips' CMYK profile, read from a JPEG it tagged.
  const test::Bytes untagged = cmyk_jpeg(nullptr);
  const vips::VImage tagged_source = [&] {
    vips::VImage image = test::decode(untagged);
    const auto profile = builtin_profile("cmyk");
    vips_image_set_blob_copy(image.get_image(), VIPS_META_ICC_NAME, profile.data(), profile.size());
    return image;
  }();
  const test::Bytes tagged = cmyk_jpeg(&tagged_source);
  REQUIRE(test::decode(tagged).get_typeof(VIPS_META_ICC_NAME) != 0);
  REQUIRE(test::decode(untagged).get_typeof(VIPS_META_ICC_NAME) == 0);

  for (const test::Bytes *jpeg : {&untagged, &tagged}) {
    INFO((jpeg == &tagged ? "embedded profile" : "no profile: the built-in CMYK profile"));
    // Shrink-on-load + thumbnail (w), the whole-source path (rect), both to PNG: no JPEG loss in the output.
    for (const char *query : {"w=160&format=png", "rect=0,0,320,64&format=png"}) {
      INFO(query);
      auto spec = parse_spec(query, {}, Config{});
      REQUIRE(spec);
      const vips::VImage image = test::run(*jpeg, *spec).image;
      CHECK(image.interpretation() == VIPS_INTERPRETATION_sRGB);
      CHECK(worst_difference(image, *jpeg, true) <= 1.5);
      // Without the compensation the dark patches are far lighter: the check above can fail.
      CHECK(worst_difference(image, *jpeg, false) > 5);
    }
  }
}

TEST_CASE("CMYK: the reference table the Node tests use is lcms2's, and the pipeline meets it", "[colour]") {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/../tests/cases/cmyk-reference.json");
  const nlohmann::json cases = nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  const test::Bytes jpeg = test::read_fixture(cases["fixture"].get<std::string>());
  const vips::VImage source = test::decode(jpeg);
  auto spec = parse_spec("format=png", {}, Config{});
  REQUIRE(spec);
  const vips::VImage out = test::run(jpeg, *spec).image;
  for (const auto &patch : cases["patches"]) {
    const int x = patch["x"], y = patch["y"];
    std::array<std::uint8_t, 4> cmyk{};
    for (int b = 0; b < 4; ++b) {
      cmyk[b] = static_cast<std::uint8_t>(test::channel(source, x, y, b));
      CHECK(cmyk[b] == patch["cmyk"][b].get<int>());
    }
    const auto with = reference(cmyk, true), without = reference(cmyk, false);
    for (int b = 0; b < 3; ++b) {
      INFO("patch at " << x << " band " << b);
      CHECK(std::abs(int(with[b]) - patch["srgb"][b].get<int>()) <= 1);
      CHECK(std::abs(int(without[b]) - patch["withoutBpc"][b].get<int>()) <= 1);
      CHECK(std::abs(test::channel(out, x, y, b) - patch["srgb"][b].get<double>()) <= 1.5);
    }
  }
}
