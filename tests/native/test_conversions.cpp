// The shared conversion table (tests/cases/conversions.json) through the
// native build's real entry points (Handler::plan/finish, and resume for the
// AVIF rows, which the native codec driver answers). The wasm build runs
// the same table in tests/node/conversions.test.mjs: matching results there
// and here show the two builds agree.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>
#include <vips/vips8>

#include "codec/heif_codec.hpp"
#include "support/native_driver.hpp"
#include "handler/handler.hpp"
#include "util/base64.hpp"
#include "support/text_handler.hpp"

namespace {

using nlohmann::json;

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string fixture(const std::string &relative) { return std::string(VIPS_EDGE_FIXTURES) + "/" + relative; }

const char *format_of_loader(const std::string &loader) {
  if (loader.rfind("jpegload", 0) == 0) return "jpeg";
  if (loader.rfind("pngload", 0) == 0) return "png";
  if (loader.rfind("webpload", 0) == 0) return "webp";
  return "other";
}

}  // namespace

TEST_CASE("conversion table through the native entry points", "[conversions]") {
  json table = json::parse(read_file(fixture("../tests/cases/conversions.json")));
  json event_template = json::parse(read_file(fixture("../" + table["event"].get<std::string>())));
  vips_edge::Handler handler{vips_edge::Config{}};

  for (const json &c : table["cases"]) {
    std::string image = c["image"], query = c["query"];
    DYNAMIC_SECTION(image << "?" << query) {
      json event = event_template;
      json &request = event["Records"][0]["cf"]["request"];
      request["querystring"] = query;
      if (c.contains("accept")) request["headers"]["accept"] = json::array({{{"key", "Accept"}, {"value", c["accept"]}}});
      std::string event_text = event.dump();

      json plan = json::parse(vips_edge::test::plan_text(handler, event_text));
      REQUIRE(plan["action"] == "fetch");

      std::string source = read_file(fixture("images/" + image));
      auto prepared = handler.prepare(event_text, vips_edge::test::kTestNow);
      REQUIRE(std::holds_alternative<vips_edge::Job>(prepared));
      json result = json::parse(vips_edge::msg::to_text(vips_edge::test::finish_all(
          handler, std::get<vips_edge::Job>(prepared),
          vips_edge::msg::OriginAnswered{200, {{{"content-type", "image/jpeg"}}}},
          {reinterpret_cast<const std::uint8_t *>(source.data()), source.size()})));
      INFO(result.dump().substr(0, 400));
      REQUIRE(result["action"] == "respond");
      const json &response = result["response"];
      REQUIRE(response["status"] == "200");
      const json &expect = c["expect"];
      if (expect["format"] == "json") {
        REQUIRE(response["bodyEncoding"] == "text");
        CHECK(response["headers"]["content-type"][0]["value"] == "application/json");
        json body = json::parse(response["body"].get<std::string>());
        CHECK(body["source"] == expect["source"]);
        CHECK(body["output"] == expect["output"]);
        for (const char *key : {"thumbhash", "dominant"})
          if (expect.contains(key)) CHECK(body[key] == expect[key]);
        return;
      }
      REQUIRE(response["bodyEncoding"] == "base64");

      const auto bytes = vips_edge::base64_decode(response["body"].get<std::string>());
      if (expect["format"] == "avif") {
        // libvips has no AVIF here either: the codec's own decoder (dav1d,
        // independent of aom, which encoded it) reads it back.
        CHECK(response["headers"]["content-type"][0]["value"] == "image/avif");
        REQUIRE(bytes.size() > 12);
        CHECK(std::string(bytes.begin() + 4, bytes.begin() + 12) == "ftypavif");
        const auto out = vips_edge::codec::decode_heif(bytes, 100'000'000);
        CHECK(out.width == expect["width"].get<int>());
        CHECK(out.height == expect["height"].get<int>());
        CHECK(out.channels == expect["bands"].get<int>());
        CHECK(out.icc.empty());
        if (expect.contains("vary")) CHECK(response["headers"]["vary"][0]["value"] == expect["vary"]);
        return;
      }
      // n=-1: every frame of an animated WebP (the other loaders take no n).
      const bool webp = expect["format"] == "webp";
      const vips::VImage out = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), webp ? "n=-1" : "").copy_memory();

      CHECK(format_of_loader(out.get_string("vips-loader")) == expect["format"].get<std::string>());
      CHECK(response["headers"]["content-type"][0]["value"] == "image/" + expect["format"].get<std::string>());
      CHECK(out.width() == expect["width"].get<int>());
      const int frames = vips_image_get_n_pages(out.get_image());
      CHECK(frames == expect.value("frames", 1));
      CHECK(vips_image_get_page_height(out.get_image()) == expect["height"].get<int>());
      CHECK(out.height() == expect["height"].get<int>() * frames);
      if (expect.contains("delays")) CHECK(out.get_array_int("delay") == expect["delays"].get<std::vector<int>>());
      CHECK(out.bands() == expect["bands"].get<int>());
      if (expect.contains("interpretation"))
        CHECK(vips_enum_nick(VIPS_TYPE_INTERPRETATION, out.guess_interpretation()) ==
              expect["interpretation"].get<std::string>());
      if (expect.contains("icc")) CHECK((out.get_typeof(VIPS_META_ICC_NAME) != 0) == expect["icc"].get<bool>());
      if (expect.contains("exif")) CHECK((out.get_typeof(VIPS_META_EXIF_NAME) != 0) == expect["exif"].get<bool>());
      if (expect.contains("vary")) CHECK(response["headers"]["vary"][0]["value"] == expect["vary"]);
    }
  }
}
