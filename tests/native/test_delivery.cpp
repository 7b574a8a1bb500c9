// What a transform request is answered with beyond the pixels, through the
// Handler as the trigger drives it: cache rules and the origin's cache
// headers, the derived ETag and 304s.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "handler/handler.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using nlohmann::json;

namespace {

std::string event_for(const std::string &uri, const std::string &query, const json &extra_headers = json::object()) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  json event = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  json &request = event["Records"][0]["cf"]["request"];
  request["uri"] = uri;
  request["querystring"] = query;
  for (const auto &[name, value] : extra_headers.items()) request["headers"][name] = {{{"value", value}}};
  return event.dump();
}

msg::OriginAnswered answered(int status, std::map<std::string, std::string> headers = {}) {
  return msg::OriginAnswered{status, std::move(headers), std::nullopt};
}

// prepare + finish, as the trigger does; the reply.
msg::FinishReply run(const Handler &handler, const std::string &event, const msg::FetchOutcome &outcome,
                     const test::Bytes &bytes) {
  Prepared prepared = handler.prepare(event);
  REQUIRE(std::holds_alternative<Job>(prepared));
  return handler.finish(std::get<Job>(prepared), outcome, bytes);
}

const cf::Response &response_of(const msg::FinishReply &reply) {
  REQUIRE(std::holds_alternative<msg::Respond>(reply));
  return std::get<msg::Respond>(reply).response;
}

std::string header(const cf::Response &r, const char *name) {
  REQUIRE(r.headers);
  const std::string *v = r.headers->first(name);
  return v ? *v : "";
}

}  // namespace

TEST_CASE("handler: cache rules by path prefix, the origin's lifetime honoured up to the rule", "[delivery]") {
  const Handler handler{parse_config(R"({"cacheControl": "public, max-age=86400",
    "cacheRules": [{"prefix": "/avatars/", "cacheControl": "public, max-age=3600"}]})")};
  const test::Bytes jpeg = test::read_fixture("photo-baseline.jpg");
  const auto reply = run(handler, event_for("/photos/a.jpg", "w=40"), answered(200), jpeg);
  const cf::Response &plain = response_of(reply);
  CHECK(plain.status == "200");
  CHECK(header(plain, "cache-control") == "public, max-age=86400");
  const auto avatar = run(handler, event_for("/avatars/a.jpg", "w=40"), answered(200), jpeg);
  CHECK(header(response_of(avatar), "cache-control") == "public, max-age=3600");
  const auto shorter = run(handler, event_for("/avatars/a.jpg", "w=40"), answered(200, {{"cache-control", "max-age=120"}}), jpeg);
  CHECK(header(response_of(shorter), "cache-control") == "public, max-age=120");
  const auto longer = run(handler, event_for("/avatars/a.jpg", "w=40"), answered(200, {{"cache-control", "max-age=999999"}}), jpeg);
  CHECK(header(response_of(longer), "cache-control") == "public, max-age=3600");
  const auto secret = run(handler, event_for("/avatars/a.jpg", "w=40"), answered(200, {{"cache-control", "private, no-store"}}), jpeg);
  CHECK(header(response_of(secret), "cache-control") == "private, no-store");
  // Errors keep their class's TTL, whatever the rule.
  const Handler classes{parse_config(R"({"errorCacheControl": {"4xx": "public, max-age=30", "5xx": "no-store"}})")};
  CHECK(header(response_of(run(classes, event_for("/a.jpg", "w=40"), answered(404), {})), "cache-control") ==
        "public, max-age=30");
  CHECK(header(response_of(run(classes, event_for("/a.jpg", "w=40"), answered(503), {})), "cache-control") == "no-store");
}

TEST_CASE("handler: the derived ETag and a 304 before any decode", "[delivery]") {
  const Handler handler{Config{}};
  const test::Bytes jpeg = test::read_fixture("photo-baseline.jpg");
  const std::map<std::string, std::string> origin = {{"etag", "\"origin-v1\""},
                                                     {"last-modified", "Tue, 14 Nov 2023 22:13:20 GMT"}};
  const auto first = run(handler, event_for("/a.jpg", "w=40"), answered(200, origin), jpeg);
  const std::string etag = header(response_of(first), "etag");
  CHECK(etag.size() == 66);
  CHECK(header(response_of(first), "last-modified") == "Tue, 14 Nov 2023 22:13:20 GMT");
  // The same request again: the same tag, without the bytes deciding it.
  CHECK(header(response_of(run(handler, event_for("/a.jpg", "w=40"), answered(200, origin), jpeg)), "etag") == etag);
  // Another derivative of the same original: another tag.
  CHECK(header(response_of(run(handler, event_for("/a.jpg", "w=41"), answered(200, origin), jpeg)), "etag") != etag);
  // format=auto: the Accept class is part of the tag.
  const auto webp = run(handler, event_for("/a.jpg", "w=40&format=auto", {{"accept", "image/webp"}}), answered(200, origin), jpeg);
  const auto jpeg_auto = run(handler, event_for("/a.jpg", "w=40&format=auto", {{"accept", "image/jpeg"}}), answered(200, origin), jpeg);
  CHECK(header(response_of(webp), "etag") != header(response_of(jpeg_auto), "etag"));

  // CloudFront revalidating: 304 with the caching headers, even with bytes
  // that would not decode (nothing is decoded).
  const test::Bytes garbage = {1, 2, 3};
  const auto revalidated = run(handler, event_for("/a.jpg", "w=40", {{"if-none-match", etag}}), answered(200, origin), garbage);
  const cf::Response &not_modified = response_of(revalidated);
  CHECK(not_modified.status == "304");
  CHECK_FALSE(not_modified.body);
  CHECK(header(not_modified, "etag") == etag);
  CHECK(header(not_modified, "cache-control") == Config{}.cache_control);
  CHECK(std::get<msg::Respond>(revalidated).log.outcome == "not_modified");
  // A changed original: its new tag does not match, the image is made again.
  const auto changed = run(handler, event_for("/a.jpg", "w=40", {{"if-none-match", etag}}),
                           answered(200, {{"etag", "\"origin-v2\""}}), jpeg);
  CHECK(response_of(changed).status == "200");
  // Without an origin ETag: the strong hash of the bytes, and no 304.
  const auto untagged = run(handler, event_for("/a.jpg", "w=40", {{"if-none-match", "*"}}), answered(200), jpeg);
  CHECK(response_of(untagged).status == "200");
  CHECK(header(response_of(untagged), "etag") != etag);
}
