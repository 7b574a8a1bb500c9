// CloudFront event types: strict parsing with JSON paths, lossless round-trip.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "events/cloudfront.hpp"
#include "support/text_handler.hpp"

using namespace vips_edge;
using cf::json;

namespace {

std::string read_fixture(const std::string &name) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/" + name);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// AWS's documented origin-request example (CloudFront developer guide,
// "Lambda@Edge event structure", example origin request), verbatim.
const char *kAwsExample = R"aws({
  "Records": [
    {
      "cf": {
        "config": {
          "distributionDomainName": "d111111abcdef8.cloudfront.net",
          "distributionId": "EDFDVBD6EXAMPLE",
          "eventType": "origin-request",
          "requestId": "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ=="
        },
        "request": {
          "clientIp": "203.0.113.178",
          "headers": {
            "x-forwarded-for": [{"key": "X-Forwarded-For", "value": "203.0.113.178"}],
            "user-agent": [{"key": "User-Agent", "value": "Amazon CloudFront"}],
            "via": [{"key": "Via", "value": "2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)"}],
            "host": [{"key": "Host", "value": "example.org"}],
            "cache-control": [{"key": "Cache-Control", "value": "no-cache"}]
          },
          "method": "GET",
          "origin": {
            "custom": {
              "customHeaders": {},
              "domainName": "example.org",
              "keepaliveTimeout": 5,
              "path": "",
              "port": 443,
              "protocol": "https",
              "readTimeout": 30,
              "sslProtocols": ["TLSv1", "TLSv1.1", "TLSv1.2"]
            }
          },
          "querystring": "",
          "uri": "/"
        }
      }
    }
  ]
})aws";

// Parses, mutates nothing, serialises: must equal the input as a JSON value.
void require_round_trip(const std::string &text) {
  json original = json::parse(text);
  cf::Event event = cf::parse_event(text);
  json back = event;
  REQUIRE(back == original);
  REQUIRE(back.dump() == original.dump());
}

std::string event_error(const json &j) {
  try {
    (void)j.get<cf::Event>();
  } catch (const cf::EventError &e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("AWS documented origin-request example round-trips", "[events]") {
  require_round_trip(kAwsExample);
  cf::Event e = cf::parse_event(kAwsExample);
  CHECK(e.config.eventType == "origin-request");
  CHECK(e.config.distributionId == "EDFDVBD6EXAMPLE");
  CHECK(e.request.clientIp == "203.0.113.178");
  CHECK(e.request.method == "GET");
  CHECK(e.request.uri == "/");
  CHECK(e.request.querystring == "");
  REQUIRE(e.request.headers.first("host"));
  CHECK(*e.request.headers.first("host") == "example.org");
  CHECK(e.request.headers.entries.at("via").at(0).key == std::optional<std::string>("Via"));
  REQUIRE(e.request.origin);
  REQUIRE(e.request.origin->custom());
  CHECK_FALSE(e.request.origin->s3());
  const auto &c = *e.request.origin->custom();
  CHECK(c.domainName == "example.org");
  CHECK(c.port == 443);
  CHECK(c.keepaliveTimeout == 5);
  CHECK(c.readTimeout == 30);
  CHECK(c.protocol == "https");
  CHECK(c.sslProtocols == std::vector<std::string>{"TLSv1", "TLSv1.1", "TLSv1.2"});
  CHECK_FALSE(e.request.body);
}

TEST_CASE("every fixture event round-trips", "[events]") {
  for (const char *name : {"origin-request-custom.json", "origin-request-s3.json", "origin-request-body.json",
                           "origin-request-webp-accept.json", "origin-request-passthrough.json"}) {
    INFO(name);
    require_round_trip(read_fixture(name));
  }
}

TEST_CASE("custom-origin fixture carries the transform query", "[events]") {
  cf::Event e = cf::parse_event(read_fixture("origin-request-custom.json"));
  CHECK(e.request.querystring == "w=400&format=auto");
  CHECK(e.request.uri == "/photos/cat.jpg");
  CHECK(e.request.origin->custom()->domainName == "example.org");
}

TEST_CASE("S3-origin event", "[events]") {
  cf::Event e = cf::parse_event(read_fixture("origin-request-s3.json"));
  REQUIRE(e.request.origin);
  REQUIRE(e.request.origin->s3());
  CHECK_FALSE(e.request.origin->custom());
  const auto &s3 = *e.request.origin->s3();
  CHECK(s3.authMethod == "origin-access-identity");
  CHECK(s3.domainName == "images-bucket.s3.us-east-1.amazonaws.com");
  CHECK(s3.region == "us-east-1");
  CHECK(s3.path == "");
  CHECK(s3.customHeaders.entries.empty());
}

TEST_CASE("event with an include-body request body", "[events]") {
  cf::Event e = cf::parse_event(read_fixture("origin-request-body.json"));
  REQUIRE(e.request.body);
  CHECK(e.request.body->inputTruncated == false);
  CHECK(e.request.body->action == "read-only");
  CHECK(e.request.body->encoding == "base64");
  CHECK(e.request.body->data == "bmFtZT1jYXQmc2l6ZT1zbWFsbA==");
  CHECK(e.request.method == "POST");
}

TEST_CASE("origin must hold exactly one of custom or s3", "[events]") {
  json j = json::parse(read_fixture("origin-request-custom.json"));
  json s3 = json::parse(read_fixture("origin-request-s3.json"))["Records"][0]["cf"]["request"]["origin"]["s3"];
  json both = j;
  both["Records"][0]["cf"]["request"]["origin"]["s3"] = s3;
  CHECK(event_error(both) == "Records[0].cf.request.origin: both custom and s3 given; exactly one is allowed");
  json none = j;
  none["Records"][0]["cf"]["request"]["origin"] = json::object();
  CHECK(event_error(none) == "Records[0].cf.request.origin: exactly one of custom or s3 is required");
  // The type itself holds exactly one (a variant), so there is nothing invalid to serialise.
}

TEST_CASE("strict parsing names the JSON path", "[events]") {
  json j = json::parse(kAwsExample);
  auto with = [&](auto mutate) {
    json copy = j;
    mutate(copy);
    return event_error(copy);
  };
  auto req = [](json &x) -> json & { return x["Records"][0]["cf"]["request"]; };

  CHECK(with([&](json &x) { req(x).erase("uri"); }) == "Records[0].cf.request.uri: missing");
  CHECK(with([&](json &x) { req(x)["uri"] = 5; }) == "Records[0].cf.request.uri: expected string, got number");
  CHECK(with([&](json &x) { req(x)["querystring"] = nullptr; }) ==
        "Records[0].cf.request.querystring: expected string, got null");
  CHECK(with([&](json &x) { x["Records"][0]["cf"]["config"].erase("requestId"); }) ==
        "Records[0].cf.config.requestId: missing");
  CHECK(with([&](json &x) { req(x)["origin"]["custom"]["port"] = "443"; }) ==
        "Records[0].cf.request.origin.custom.port: expected integer, got string");
  CHECK(with([&](json &x) { req(x)["origin"]["custom"]["port"] = 4.5; }) ==
        "Records[0].cf.request.origin.custom.port: expected integer, got number");
  CHECK(with([&](json &x) { req(x)["origin"]["custom"]["sslProtocols"][1] = 1; }) ==
        "Records[0].cf.request.origin.custom.sslProtocols[1]: expected string, got number");
  CHECK(with([&](json &x) { req(x)["headers"]["host"][0].erase("value"); }) ==
        "Records[0].cf.request.headers.host[0].value: missing");
  CHECK(with([&](json &x) { req(x)["headers"]["host"] = json::object(); }) ==
        "Records[0].cf.request.headers.host: expected array, got object");
  CHECK(with([&](json &x) { req(x)["headers"]["Host"] = req(x)["headers"]["host"]; }) ==
        "Records[0].cf.request.headers.Host: header name must be non-empty lower-case");
  CHECK(with([&](json &x) { req(x)["body"] = {{"inputTruncated", "no"}, {"action", "read-only"},
                                              {"encoding", "text"}, {"data", ""}}; }) ==
        "Records[0].cf.request.body.inputTruncated: expected boolean, got string");
  CHECK(with([&](json &x) { x["Records"] = json::array(); }) == "Records: expected exactly one record, got 0");
  CHECK(with([&](json &x) { x.erase("Records"); }) == "Records: missing");
  CHECK(with([&](json &x) { x["Records"][0].erase("cf"); }) == "Records[0].cf: missing");
  CHECK(with([&](json &x) { x["Records"][0]["cf"]["request"] = json::array(); }) ==
        "Records[0].cf.request: expected object, got array");
  CHECK(event_error(json::array()) == "$: expected object, got array");
}

TEST_CASE("malformed JSON text is an EventError at $", "[events]") {
  CHECK_THROWS_WITH(cf::parse_event("{\"Records\": ["), Catch::Matchers::StartsWith("$: invalid JSON"));
}

TEST_CASE("unknown fields are preserved at every level", "[events]") {
  json j = json::parse(kAwsExample);
  j["newTopLevel"] = 1;
  j["Records"][0]["eventSource"] = "cloudfront";
  j["Records"][0]["cf"]["extraCf"] = true;
  j["Records"][0]["cf"]["config"]["futureField"] = "x";
  j["Records"][0]["cf"]["request"]["futureRequestField"] = {{"a", 1}};
  j["Records"][0]["cf"]["request"]["headers"]["host"][0]["futureHeaderField"] = "y";
  j["Records"][0]["cf"]["request"]["origin"]["custom"]["originShield"] = "on";
  cf::Event e = j.get<cf::Event>();
  CHECK(e.request.extra == json{{"futureRequestField", {{"a", 1}}}});
  CHECK(e.config.extra == json{{"futureField", "x"}});
  json back = e;
  CHECK(back == j);
}

TEST_CASE("header key is optional and omitted when absent", "[events]") {
  json h = {{"accept", {{{"value", "image/webp"}}}}};
  cf::Headers headers = h.get<cf::Headers>();
  CHECK_FALSE(headers.entries.at("accept")[0].key);
  json back = headers;
  CHECK(back == h);
  CHECK(back.dump().find("null") == std::string::npos);
}

TEST_CASE("Headers::first and joined", "[events]") {
  json h = {{"accept", {{{"key", "Accept"}, {"value", "image/webp"}}, {{"key", "Accept"}, {"value", "*/*"}}}}};
  cf::Headers headers = h.get<cf::Headers>();
  CHECK(*headers.first("accept") == "image/webp");
  CHECK(headers.joined("accept") == std::optional<std::string>("image/webp, */*"));
  CHECK(headers.first("host") == nullptr);
  CHECK_FALSE(headers.joined("host"));
}

TEST_CASE("response: status validated, optionals omitted", "[events]") {
  cf::Response r;
  r.status = "200";
  json out = r;
  CHECK(out == json{{"status", "200"}});

  r.statusDescription = "OK";
  r.body = "aGk=";
  r.bodyEncoding = cf::BodyEncoding::Base64;
  out = r;
  CHECK(out == json{{"status", "200"}, {"statusDescription", "OK"}, {"body", "aGk="}, {"bodyEncoding", "base64"}});
  CHECK(out.get<cf::Response>().bodyEncoding == cf::BodyEncoding::Base64);

  for (const char *bad : {"199", "600", "20", "2000", "abc", "", " 200", "+20"}) {
    INFO(bad);
    CHECK_FALSE(cf::is_valid_status(bad));
    cf::Response b;
    b.status = bad;
    CHECK_THROWS_AS(out = b, cf::EventError);
    CHECK_THROWS_WITH(vips_edge::test::parse_response(json{{"status", bad}}.dump()),
                      Catch::Matchers::StartsWith("status: expected a status string 200..599"));
  }
  for (const char *good : {"200", "304", "404", "599"}) CHECK(cf::is_valid_status(good));

  CHECK_THROWS_WITH(vips_edge::test::parse_response(R"({"status":200})"), "status: expected string, got number");
  CHECK_THROWS_WITH(vips_edge::test::parse_response(R"({})"), "status: missing");
  CHECK_THROWS_WITH(vips_edge::test::parse_response(R"({"status":"200","bodyEncoding":"hex"})"),
                    "bodyEncoding: expected \"text\" or \"base64\", got \"hex\"");
  std::string text = R"({"status":"404","statusDescription":"Not Found","headers":{"content-type":[{"key":"Content-Type","value":"text/plain"}]},"body":"nope","bodyEncoding":"text"})";
  json back = vips_edge::test::parse_response(text);
  CHECK(back == json::parse(text));
}
