// ThumbHash and format=json. The RGBA -> bytes vectors come from the
// reference implementation (npm thumbhash, tests/cases/make-thumbhash.mjs;
// tests/node/thumbhash.test.mjs re-checks them against it).
#include <catch2/catch.hpp>

#include <regex>


#include "api/parse_spec.hpp"
#include "cases.hpp"
#include "handler/render.hpp"
#include "util/base64.hpp"
#include "image/describe.hpp"
#include "image/thumbhash.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using nlohmann::json;

namespace {

// The format=json body for `query` on fixture `image`, through render().
json describe(const std::string &image, const std::string &query, RenderOutcome *outcome_out = nullptr) {
  auto spec = parse_spec(query, {}, Config{});
  REQUIRE(spec);
  RenderOutcome outcome = std::get<RenderOutcome>(render(read_fixture(image), *spec, ResponseMeta{"max-age=60"}, Config{}));
  REQUIRE(outcome.response);
  const cf::Response &r = *outcome.response;
  CHECK(r.status == "200");
  CHECK(r.bodyEncoding == cf::BodyEncoding::Text);
  CHECK(*r.headers->first("content-type") == "application/json");
  CHECK(*r.headers->first("cache-control") == "max-age=60");  // the origin's, as for images
  CHECK(r.headers->first("etag")->size() == 66);
  CHECK_FALSE(r.headers->first("vary"));
  if (outcome_out) *outcome_out = outcome;
  return json::parse(*r.body);
}

}  // namespace

TEST_CASE("rgba_to_thumbhash gives the reference implementation's bytes", "[thumbhash]") {
  const json table = read_cases("thumbhash.json");
  REQUIRE(table["cases"].size() >= 8);
  for (const json &c : table["cases"]) {
    INFO(c["name"].get<std::string>());
    const auto rgba = base64_decode(c["rgba"]);
    const auto hash = rgba_to_thumbhash(c["width"], c["height"], rgba);
    CHECK(base64_encode(hash) == c["thumbhash"].get<std::string>());
  }
}

TEST_CASE("rgba_to_thumbhash refuses what the reference refuses", "[thumbhash]") {
  std::vector<std::uint8_t> pixels(101 * 4, 255);
  CHECK_THROWS_AS(rgba_to_thumbhash(101, 1, pixels), std::invalid_argument);
  CHECK_THROWS_AS(rgba_to_thumbhash(1, 1, pixels), std::invalid_argument);  // wrong size
  CHECK_THROWS_AS(rgba_to_thumbhash(0, 1, {}), std::invalid_argument);
}

TEST_CASE("format=json describes the source and what the image request would give", "[thumbhash][json]") {
  RenderOutcome outcome;
  const json body = describe("photo-baseline.jpg", "w=200&format=json", &outcome);
  CHECK(outcome.content_type == std::string("application/json"));
  CHECK(body["source"] == json{{"width", 1600}, {"height", 1203}, {"format", "jpeg"}, {"hasAlpha", false},
                               {"bytes", read_fixture("photo-baseline.jpg").size()}, {"frames", 1}});
  CHECK(body["output"] == json{{"width", 200}, {"height", 150}, {"format", "jpeg"}, {"frames", 1}});
  // Round trip: what the image request gives is what json said.
  Output image = run(read_fixture("photo-baseline.jpg"), *parse_spec("w=200", {}, Config{}));
  CHECK(image.image.width() == body["output"]["width"]);
  CHECK(image.image.height() == body["output"]["height"]);
  // The ThumbHash decodes to the output's aspect ratio (7:5 levels for 4:3).
  const auto hash = base64_decode(body["thumbhash"]);
  CHECK(hash.size() >= 20);
  CHECK(hash.size() <= 30);
  CHECK(thumbhash_aspect_ratio(hash) == Approx(200.0 / 150).epsilon(0.1));
  // It is the hash of the output's pixels (before encoding).
  const Rgba small = small_rgba(prepare_image(read_fixture("photo-baseline.jpg"), *parse_spec("w=200", {}, Config{}),
                                              Config{}).image);
  CHECK(small.width == 100);
  CHECK(body["thumbhash"] == base64_encode(rgba_to_thumbhash(small.width, small.height, small.pixels)));
  CHECK(std::regex_match(body["dominant"].get<std::string>(), std::regex("#[0-9a-f]{6}")));
}

TEST_CASE("format=json follows every parameter: rot, rect, alpha, GIF", "[thumbhash][json]") {
  json turned = describe("photo-baseline.jpg", "w=120&rot=90&format=json");
  CHECK(turned["output"] == json{{"width", 120}, {"height", 160}, {"format", "jpeg"}, {"frames", 1}});
  CHECK(thumbhash_aspect_ratio(base64_decode(turned["thumbhash"])) == Approx(120.0 / 160).epsilon(0.1));
  CHECK(turned["source"]["width"] == 1600);  // the source as it is

  json crop = describe("split-left-red-right-blue.png", "rect=200,0,200,200&format=json");
  CHECK(crop["output"] == json{{"width", 200}, {"height", 200}, {"format", "png"}, {"frames", 1}});
  CHECK(crop["dominant"] == "#0000ff");  // the blue half only
  CHECK(describe("split-left-red-right-blue.png", "rect=0,0,300,200&format=json")["dominant"] == "#ff0000");

  json alpha = describe("alpha-half-transparent.png", "w=100&format=json");
  CHECK(alpha["source"]["hasAlpha"] == true);
  CHECK(alpha["output"]["format"] == "png");
  CHECK((base64_decode(alpha["thumbhash"])[2] & 0x80) != 0);  // the hash carries alpha

  json gif = describe("photo.gif", "format=json");
  CHECK(gif["source"]["format"] == "gif");
  CHECK(gif["output"]["format"] == "png");  // GIF becomes PNG

  // Orientation: the upright size.
  json card = describe("orientation-6.jpg", "format=json");
  CHECK(card["source"]["width"] == 300);
  CHECK(card["source"]["height"] == 200);
}
