// Progressive JPEG (format=pjpg, progressive=1): the request's words, and the
// bytes written (a JPEG's frame marker says baseline SOF0/SOF1 or progressive SOF2).
#include <catch2/catch.hpp>

#include "api/api_error.hpp"
#include "api/parse_spec.hpp"
#include "image/formats.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using namespace vips_edge::test;

namespace {

TransformSpec parse(std::string_view qs, const cf::Headers &headers = {}) {
  auto spec = parse_spec(qs, headers, Config{});
  REQUIRE(spec.has_value());
  return *spec;
}

// The first start-of-frame marker of a JPEG (0xC0 baseline, 0xC1 extended,
// 0xC2 progressive), walking the segments; 0 when there is none.
int sof_marker(const Bytes &jpeg) {
  std::size_t i = 2;
  while (i + 4 <= jpeg.size()) {
    if (jpeg[i] != 0xFF) return 0;
    const int marker = jpeg[i + 1];
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) return marker;
    i += 2 + (std::size_t(jpeg[i + 2]) << 8 | jpeg[i + 3]);
  }
  return 0;
}

Output run_query(const Bytes &source, std::string_view qs, const cf::Headers &headers = {}) {
  return run(source, parse(qs, headers));
}

}  // namespace

TEST_CASE("format=pjpg and progressive=1 ask for an interlaced JPEG", "[progressive][parse_spec]") {
  CHECK_FALSE(parse("w=10").progressive);
  CHECK_FALSE(parse("format=jpeg").progressive);
  CHECK(parse("format=pjpg").progressive);
  CHECK(parse("fm=pjpg").format == RequestedFormat::Pjpg);
  CHECK(parse("progressive=1").progressive);
  CHECK_FALSE(parse("progressive=0&w=5").progressive);
  CHECK(parse("format=pjpg&progressive=0").progressive);  // pjpg says it already
  for (const char *bad : {"progressive=true", "progressive=2", "progressive=", "progressive=1&progressive=1",
                          "format=PJPG", "format=pjpeg"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_spec(bad, {}, Config{}), ApiError);
  }
}

TEST_CASE("pjpg writes a progressive JPEG of the right size", "[progressive][image]") {
  const Bytes source = read_fixture("photo-baseline.jpg");
  Output baseline = run_query(source, "w=400&format=jpeg");
  CHECK(baseline.encoded.format == ImageFormat::Jpeg);
  CHECK(sof_marker(baseline.encoded.bytes) == 0xC0);

  Output progressive = run_query(source, "w=400&format=pjpg");
  CHECK(progressive.encoded.format == ImageFormat::Jpeg);
  CHECK(std::string(mime_type(progressive.encoded.format)) == "image/jpeg");
  CHECK(sof_marker(progressive.encoded.bytes) == 0xC2);
  CHECK(progressive.image.width() == 400);
  CHECK(progressive.image.height() == baseline.image.height());
  // The same picture: only the order of the coefficients differs.
  for (int b = 0; b < 3; ++b)
    CHECK(std::abs(progressive.image.extract_band(b).avg() - baseline.image.extract_band(b).avg()) < 0.5);
}

TEST_CASE("progressive=1 applies to every JPEG output and nothing else", "[progressive][image]") {
  const Bytes jpeg = read_fixture("photo-baseline.jpg");
  // The source's family kept.
  Output kept = run_query(jpeg, "w=200&progressive=1");
  CHECK(sof_marker(kept.encoded.bytes) == 0xC2);
  CHECK(kept.image.width() == 200);
  // format=auto without WebP in Accept: JPEG, interlaced.
  Output autoed = run_query(jpeg, "w=200&format=auto&progressive=1");
  CHECK(autoed.encoded.format == ImageFormat::Jpeg);
  CHECK(sof_marker(autoed.encoded.bytes) == 0xC2);
  // A PNG output ignores it (no Adam7 interlace is offered).
  Output png = run_query(jpeg, "w=200&format=png&progressive=1");
  CHECK(png.encoded.format == ImageFormat::Png);
  CHECK(png.image.width() == 200);
  CHECK_FALSE(png.image.get_typeof("interlaced"));
}
