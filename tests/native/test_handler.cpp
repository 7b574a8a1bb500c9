// Handler entry points: plan() decisions and how finish() maps what the
// origin answered to the URL API's error table.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "handler/handler.hpp"
#include "support/text_handler.hpp"

namespace {

using nlohmann::json;

json fixture_event(const std::string &name) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/" + name);
  return json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

json finish_with(const std::string &event_name, const json &outcome) {
  json event = fixture_event(event_name);
  event["Records"][0]["cf"]["request"]["querystring"] = "w=100";
  vips_edge::Handler handler{vips_edge::Config{}};
  const std::uint8_t nothing[1] = {0};
  return json::parse(vips_edge::test::finish_text(handler, event.dump(), outcome.dump(), {nothing, 0}));
}

std::string error_code(const json &result) {
  REQUIRE(result["action"] == "respond");
  json body = json::parse(result["response"]["body"].get<std::string>());
  CHECK(body["error"]["status"].get<int>() == std::stoi(result["response"]["status"].get<std::string>()));
  CHECK(result["response"]["headers"]["cache-control"][0]["value"] == vips_edge::Config{}.error_cache_control.for_status(std::stoi(result["response"]["status"].get<std::string>())));
  return result["response"]["status"].get<std::string>() + " " + body["error"]["code"].get<std::string>();
}

}  // namespace

TEST_CASE("plan: passthrough returns the request unchanged", "[handler]") {
  json event = fixture_event("origin-request-passthrough.json");
  vips_edge::Handler handler{vips_edge::Config{}};
  json plan = json::parse(vips_edge::test::plan_text(handler, event.dump()));
  CHECK(plan["action"] == "passthrough");
  CHECK(plan["request"] == event["Records"][0]["cf"]["request"]);
}

TEST_CASE("plan: a bad parameter is answered without fetching", "[handler]") {
  json event = fixture_event("origin-request-custom.json");
  event["Records"][0]["cf"]["request"]["querystring"] = "w=0";
  json plan = json::parse(vips_edge::test::plan_text(vips_edge::Handler{vips_edge::Config{}}, event.dump()));
  CHECK(error_code(plan) == "400 invalid_parameter");
}

TEST_CASE("plan: S3 origins are fetched by bucket and key", "[handler]") {
  json plan = json::parse(vips_edge::test::plan_text(vips_edge::Handler{vips_edge::Config{}}, fixture_event("origin-request-s3.json").dump()));
  REQUIRE(plan["action"] == "fetch");
  CHECK(plan["origin"]["kind"] == "s3");
  CHECK_FALSE(plan["origin"]["bucket"].get<std::string>().empty());
}

TEST_CASE("finish: origin outcomes map to the error table", "[handler]") {
  CHECK(error_code(finish_with("origin-request-custom.json", {{"status", 404}})) == "404 not_found");
  CHECK(error_code(finish_with("origin-request-custom.json", {{"status", 410}})) == "404 not_found");
  CHECK(error_code(finish_with("origin-request-custom.json", {{"status", 403}})) == "502 origin_error");
  CHECK(error_code(finish_with("origin-request-s3.json", {{"status", 403}})) == "404 not_found");
  CHECK(error_code(finish_with("origin-request-custom.json", {{"status", 500}})) == "502 origin_error");
  CHECK(error_code(finish_with("origin-request-custom.json", {{"status", 301}})) == "502 origin_error");
  CHECK(error_code(finish_with("origin-request-custom.json", {{"error", "timeout"}})) == "504 origin_timeout");
  CHECK(error_code(finish_with("origin-request-custom.json", {{"error", "unreachable"}})) == "502 origin_error");
  CHECK(error_code(finish_with("origin-request-custom.json", {{"error", "too_large"}})) == "413 source_too_large");
  CHECK(error_code(finish_with("origin-request-custom.json", {{"status", 200}})) == "415 unsupported_format");
}

TEST_CASE("finish: malformed inputs give a valid 500, never an exception", "[handler]") {
  vips_edge::Handler handler{vips_edge::Config{}};
  const std::uint8_t nothing[1] = {0};
  json result = json::parse(vips_edge::test::finish_text(handler, "{not json", "{}", {nothing, 0}));
  CHECK(error_code(result) == "500 internal_error");
  result = json::parse(vips_edge::test::finish_text(handler, fixture_event("origin-request-custom.json").dump(), "[1]", {nothing, 0}));
  CHECK(error_code(result) == "500 internal_error");
}
