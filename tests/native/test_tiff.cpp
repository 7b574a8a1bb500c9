// TIFF input through the codec (src/codec/tiff_codec.hpp, natively over
// Debian 12's libtiff; the wasm build runs the same C++ against libtiff 4.7,
// tests/node/conversions.test.mjs and node/test/*): the first page of every
// flavour decoded to 8-bit RGB(A), upright, straight alpha, its profile
// kept; hostile files refused with their reason; then the handler's answers.
// Fixtures: fixtures/make-tiffs.sh (120x90 photo in several encodings, flat
// cards, the orientation card); the hostile headers are made here.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

#include "codec/decode.hpp"
#include "codec/tiff_codec.hpp"
#include "codec_answer.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using nlohmann::json;

namespace {

codec::Decoded decode_tiff(const std::string &fixture, std::uint64_t max_pixels = 100'000'000) {
  return codec::decode_tiff(read_fixture(fixture), max_pixels);
}

codec::Failure failure_of(const Bytes &file, std::uint64_t max_pixels = 100'000'000) {
  return decode_failure(codec::decode_tiff, file, max_pixels);
}

// Mean absolute difference of two RGB images' samples (alpha ignored).
double mean_difference(const codec::Decoded &a, const codec::Decoded &b) {
  REQUIRE(a.width == b.width);
  REQUIRE(a.height == b.height);
  double sum = 0;
  const std::size_t pixels = std::size_t(a.width) * std::size_t(a.height);
  for (std::size_t i = 0; i < pixels; ++i)
    for (int c = 0; c < 3; ++c)
      sum += std::abs(int(a.pixels[i * std::size_t(a.channels) + std::size_t(c)]) -
                      int(b.pixels[i * std::size_t(b.channels) + std::size_t(c)]));
  return sum / double(pixels * 3);
}

const std::uint8_t *pixel(const codec::Decoded &d, int x, int y) {
  return d.pixels.data() + (std::size_t(y) * std::size_t(d.width) + std::size_t(x)) * std::size_t(d.channels);
}

// A little-endian, one-strip, 8-bit RGB TIFF whose header claims
// width x height, with `data` bytes of pixels (fewer than it claims, if so).
Bytes make_tiff(std::uint32_t width, std::uint32_t height, std::uint16_t compression, std::size_t data) {
  Bytes out = {'I', 'I', 42, 0, 8, 0, 0, 0};
  struct Entry { std::uint16_t tag, type; std::uint32_t value; };
  const std::uint32_t entries = 9, pixels_at = 8 + 2 + entries * 12 + 4;
  const Entry ifd[] = {{256, 4, width},       {257, 4, height},         {258, 3, 8},
                       {259, 3, compression}, {262, 3, 2},              {273, 4, pixels_at},
                       {277, 3, 3},           {278, 4, height},         {279, 4, std::uint32_t(data)}};
  auto put = [&](std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(std::uint8_t(v >> (8 * i)));
  };
  put(entries, 2);
  for (const Entry &e : ifd) {
    put(e.tag, 2);
    put(e.type, 2);
    put(1, 4);
    put(e.value, 4);  // SHORT values sit in the low bytes (little-endian)
  }
  put(0, 4);  // no next directory
  out.resize(out.size() + data, 0x80);
  return out;
}

}  // namespace

TEST_CASE("TIFF: magic bytes, TIFF and BigTIFF, both byte orders", "[tiff]") {
  using B = Bytes;
  CHECK(codec::is_tiff(B{'I', 'I', 42, 0}));
  CHECK(codec::is_tiff(B{'M', 'M', 0, 42}));
  CHECK(codec::is_tiff(B{'I', 'I', 43, 0}));
  CHECK(codec::is_tiff(B{'M', 'M', 0, 43}));
  CHECK_FALSE(codec::is_tiff(B{'I', 'I', 0, 42}));
  CHECK_FALSE(codec::is_tiff(B{'I', 'I', 42}));
  CHECK(check_source(read_fixture("photo-lzw.tif"), {}).format == ImageFormat::Tiff);
  CHECK(check_source(read_fixture("photo-bigtiff.tif"), {}).format == ImageFormat::Tiff);
}

TEST_CASE("TIFF decode: every supported flavour gives the same 120x90 photo", "[tiff]") {
  const codec::Decoded lzw = decode_tiff("photo-lzw.tif");
  CHECK(lzw.width == 120);
  CHECK(lzw.height == 90);
  CHECK(lzw.channels == 3);
  CHECK(lzw.icc.empty());
  CHECK(mean_difference(decode_tiff("photo-bigtiff.tif"), lzw) == 0);
  CHECK(mean_difference(decode_tiff("photo-rgb16-deflate.tif"), lzw) < 1.0);  // 16 -> 8 bits
  CHECK(mean_difference(decode_tiff("photo-jpeg.tif"), lzw) < 6.0);           // JPEG-in-TIFF, q85
  CHECK(mean_difference(decode_tiff("photo-palette.tif"), lzw) < 12.0);       // 256 colours

  const codec::Decoded gray = decode_tiff("photo-gray-packbits.tif");
  CHECK(gray.channels == 3);
  bool neutral = true;
  for (std::size_t i = 0; i < gray.pixels.size(); i += 3)
    neutral = neutral && gray.pixels[i] == gray.pixels[i + 1] && gray.pixels[i] == gray.pixels[i + 2];
  CHECK(neutral);
  CHECK(mean_difference(gray, lzw) > 5.0);  // it is grey, not the colour photo
}

TEST_CASE("TIFF decode: alpha comes back straight, the first page only, upright", "[tiff]") {
  // 40x30 of (200, 100, 50) at alpha 128, unassociated: libtiff premultiplies
  // it, the codec undoes that.
  const codec::Decoded alpha = decode_tiff("alpha-deflate.tif");
  CHECK(alpha.channels == 4);
  CHECK(alpha.width == 40);
  const std::uint8_t *p = pixel(alpha, 20, 15);
  CHECK(std::abs(int(p[0]) - 200) <= 1);
  CHECK(std::abs(int(p[1]) - 100) <= 1);
  CHECK(std::abs(int(p[2]) - 50) <= 1);
  CHECK(p[3] == 128);

  // Two pages: 40x30 red, then 50x20 blue.
  const codec::Decoded first = decode_tiff("multipage-red-blue.tif");
  CHECK(first.width == 40);
  CHECK(first.height == 30);
  CHECK(pixel(first, 39, 29)[0] == 255);
  CHECK(pixel(first, 39, 29)[2] == 0);

  // Stored 200x300 with Orientation 6: upright 300x200, red top-left, green
  // top-right, blue bottom-left, yellow bottom-right (JPEG-made: roughly).
  const codec::Decoded card = decode_tiff("orientation-6.tif");
  CHECK(card.width == 300);
  CHECK(card.height == 200);
  auto near = [&](int x, int y, int r, int g, int b) {
    const std::uint8_t *q = pixel(card, x, y);
    INFO(x << "," << y << ": " << int(q[0]) << " " << int(q[1]) << " " << int(q[2]));
    CHECK((std::abs(q[0] - r) < 40 && std::abs(q[1] - g) < 40 && std::abs(q[2] - b) < 40));
  };
  near(40, 40, 255, 0, 0);
  near(260, 40, 0, 255, 0);
  near(40, 160, 0, 0, 255);
  near(260, 160, 255, 255, 0);
}

TEST_CASE("TIFF decode: an RGB profile is passed on, CMYK is refused", "[tiff]") {
  const codec::Decoded adobe = decode_tiff("photo-adobergb.tif");
  CHECK(adobe.icc.size() == 580);
  CHECK(std::memcmp(adobe.icc.data() + 16, "RGB ", 4) == 0);
  CHECK(failure_of(read_fixture("photo-cmyk.tif")) == codec::Failure::Unsupported);
}

TEST_CASE("TIFF decode: hostile and unsupported files fail with their reason", "[tiff]") {
  const Bytes lzw = read_fixture("photo-lzw.tif");
  CHECK(failure_of(lzw, 120 * 90 - 1) == codec::Failure::TooLarge);
  CHECK_NOTHROW(codec::decode_tiff(lzw, 120 * 90));
  // Headers claiming 100000x100000 and 4294967295x1 over 64 bytes of data:
  // refused from the header, nothing allocated for them.
  CHECK(failure_of(make_tiff(100'000, 100'000, 1, 64)) == codec::Failure::TooLarge);
  CHECK(failure_of(make_tiff(0xffffffffu, 1, 1, 64), 1ull << 40) == codec::Failure::Corrupt);
  // The hand-made header itself is good: 4x2 of grey 0x80.
  const codec::Decoded small = codec::decode_tiff(make_tiff(4, 2, 1, 24), 100);
  CHECK(small.width == 4);
  CHECK(pixel(small, 3, 1)[1] == 0x80);
  // Pixel data cut short, a compression we do not build (JPEG 2000: 34712),
  // a header and nothing else, a garbled file.
  CHECK(failure_of(make_tiff(4, 2, 1, 10)) == codec::Failure::Corrupt);
  CHECK(failure_of(make_tiff(4, 2, 34712, 24)) == codec::Failure::Unsupported);
  CHECK(failure_of(Bytes(lzw.begin(), lzw.begin() + 8)) == codec::Failure::Corrupt);
  CHECK(failure_of(Bytes(lzw.begin(), lzw.begin() + std::ptrdiff_t(lzw.size() / 2))) == codec::Failure::Corrupt);
  Bytes garbled = lzw;
  for (std::size_t i = 8; i < garbled.size(); i += 5) garbled[i] ^= 0x5a;
  CHECK(failure_of(garbled) != codec::Failure::Internal);
  // decode_image picks the TIFF decoder by its magic bytes.
  CHECK(codec::decode_image(lzw, 1'000'000).width == 120);
}

TEST_CASE("TIFF input through the handler: any output, the source kept as JPEG or PNG", "[tiff]") {
  const Bytes lzw = read_fixture("photo-lzw.tif");
  const json kept = answer(lzw, "w=60");
  CHECK(content_type(kept) == "image/jpeg");
  const vips::VImage jpeg = decode(body_of(kept));
  CHECK(jpeg.width() == 60);
  CHECK(jpeg.height() == 45);
  // With alpha: PNG, the alpha kept.
  const json with_alpha = answer(read_fixture("alpha-deflate.tif"), "w=20");
  CHECK(content_type(with_alpha) == "image/png");
  const vips::VImage png = decode(body_of(with_alpha));
  CHECK(png.bands() == 4);
  CHECK(std::abs(channel(png, 10, 7, 3) - 128) <= 1);
  CHECK(std::abs(channel(png, 10, 7, 0) - 200) <= 4);  // straight: premultiplied it would be ~100

  for (const char *format : {"png", "webp", "avif", "jpeg"}) {
    INFO(format);
    const json out = answer(lzw, std::string("w=80&format=") + format);
    CHECK(content_type(out) == std::string("image/") + format);
    if (std::string(format) == "avif") {
      CHECK(codec::decode_heif(body_of(out), 1'000'000).width == 80);
    } else {
      CHECK(decode(body_of(out)).width() == 80);
    }
  }
  const std::string chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
  CHECK(content_type(answer(lzw, "w=80&format=auto", {}, chrome)) == "image/avif");
  CHECK(content_type(answer(lzw, "w=80&format=auto", {}, "image/webp,*/*")) == "image/webp");
  CHECK(content_type(answer(lzw, "w=80&format=auto", {}, "*/*")) == "image/jpeg");

  // format=json describes the first page of a multi-page file.
  const json described = answer(read_fixture("multipage-red-blue.tif"), "format=json");
  const json body = json::parse(described["response"]["body"].get<std::string>());
  CHECK(body["source"]["format"] == "tiff");
  CHECK(body["source"]["width"] == 40);
  CHECK(body["source"]["height"] == 30);
  CHECK(body["output"]["format"] == "jpeg");

  // The profile is applied: Adobe RGB pixels come out as the sRGB photo.
  const vips::VImage from_adobe = decode(body_of(answer(read_fixture("photo-adobergb.tif"), "format=png")));
  const vips::VImage from_srgb = decode(body_of(answer(lzw, "format=png")));
  CHECK((from_adobe - from_srgb).abs().avg() < 2.0);
  const codec::Decoded raw_adobe = decode_tiff("photo-adobergb.tif");
  CHECK(mean_difference(raw_adobe, decode_tiff("photo-lzw.tif")) > 4.0);  // unconverted, they differ
}

TEST_CASE("TIFF input errors: 415 CMYK, 422 corrupt, 413 over maxInputPixels", "[tiff]") {
  const json cmyk = answer(read_fixture("photo-cmyk.tif"), "w=100");
  CHECK(cmyk["response"]["status"] == "415");
  CHECK(cmyk["response"]["headers"]["cache-control"][0]["value"] == Config{}.error_cache_control.client);
  const Bytes lzw = read_fixture("photo-lzw.tif");
  const json truncated = answer(Bytes(lzw.begin(), lzw.begin() + std::ptrdiff_t(lzw.size() / 2)), "w=100");
  CHECK(truncated["response"]["status"] == "422");
  Config small;
  small.max_input_pixels = 120 * 90 - 1;
  const json big = answer(lzw, "w=100", small);
  CHECK(big["response"]["status"] == "413");
  CHECK(big["log"]["code"] == "source_too_large");
  const json huge = answer(make_tiff(100'000, 100'000, 5, 64), "w=100");
  CHECK(huge["response"]["status"] == "413");
}
