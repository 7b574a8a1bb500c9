// The 1 MB rule through the real entry point: quality step-down, then the
// oversize policy, on an incompressible (noise) image.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "api/config.hpp"
#include "handler/handler.hpp"
#include "http/response.hpp"
#include "image_helpers.hpp"
#include "support/text_handler.hpp"

namespace {

using nlohmann::json;

std::string event_with(const std::string &query) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  json event = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  event["Records"][0]["cf"]["request"]["querystring"] = query;
  return event.dump();
}

json finish(const vips_edge::Config &config, const std::string &query, const vips_edge::test::Bytes &source) {
  vips_edge::Handler handler{config};
  return json::parse(vips_edge::test::finish_text(handler, event_with(query), R"({"status":200,"headers":{}})", source));
}

std::size_t response_size(const json &response) {
  return vips_edge::generated_response_size(response.get<vips_edge::cf::Response>());
}

}  // namespace

TEST_CASE("noise too large as PNG: the original request goes on (oversize=original)", "[render]") {
  auto noise = vips_edge::test::make_noise_png(1500, 1500);
  json result = finish(vips_edge::Config{}, "w=1500&format=png", noise);
  CHECK(result["action"] == "passthrough");
  CHECK(result["log"]["outcome"] == "oversize_original");
  CHECK(result["log"]["encodes"] == 1);  // PNG has no quality to lower
  CHECK(result["request"]["querystring"] == "w=1500&format=png");
}

TEST_CASE("noise too large with oversize=error is a 413 output_too_large", "[render]") {
  vips_edge::Config config;
  config.oversize = vips_edge::OversizePolicy::Error;
  json result = finish(config, "w=1500&format=png", vips_edge::test::make_noise_png(1500, 1500));
  REQUIRE(result["action"] == "respond");
  CHECK(result["response"]["status"] == "413");
  CHECK(json::parse(result["response"]["body"].get<std::string>())["error"]["code"] == "output_too_large");
}

TEST_CASE("JPEG of noise steps the quality down until it fits", "[render]") {
  json result = finish(vips_edge::Config{}, "w=1500&format=jpeg&q=95", vips_edge::test::make_noise_png(1500, 1500));
  REQUIRE(result["action"] == "respond");
  CHECK(result["response"]["status"] == "200");
  CHECK(result["log"]["encodes"].get<int>() > 1);
  CHECK(result["log"]["quality"].get<int>() < 95);
  CHECK(result["log"]["quality"].get<int>() >= vips_edge::Config{}.quality_floor);
  CHECK(response_size(result["response"]) <= vips_edge::kMaxGeneratedResponseBytes);
}

TEST_CASE("JPEG that cannot fit above the quality floor follows the oversize policy", "[render]") {
  vips_edge::Config config;
  config.quality_floor = 90;  // the floor stops the step-down long before it could fit
  json result = finish(config, "w=1500&format=jpeg&q=95", vips_edge::test::make_noise_png(1500, 1500));
  CHECK(result["action"] == "passthrough");
  CHECK(result["log"]["outcome"] == "oversize_original");
  CHECK(result["log"]["quality"] == 90);
}
