// What a transform request is answered with beyond the pixels, through the
// Handler as the trigger drives it: cache rules and the origin's cache
// headers, the derived ETag and 304s; the fallback image.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "handler/handler.hpp"
#include "image/svg.hpp"
#include "image_helpers.hpp"
#include "support/response_body.hpp"
#include "support/text_handler.hpp"
#include "util/base64.hpp"

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
  Prepared prepared = handler.prepare(event, test::kTestNow);
  REQUIRE(std::holds_alternative<Job>(prepared));
  return test::with_body(handler.finish(std::get<Job>(prepared), outcome, bytes));
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

namespace {

const msg::Fetch &fetch_of(const msg::FinishReply &reply) {
  REQUIRE(std::holds_alternative<msg::Fetch>(reply));
  return std::get<msg::Fetch>(reply);
}

// The image a generated response carries, decoded.
vips::VImage image_of(const cf::Response &r) {
  REQUIRE(r.body);
  const auto bytes = base64_decode(*r.body);
  return test::decode(test::Bytes(bytes.begin(), bytes.end()));
}

// The fallback's job (the Fetch's handle), finished with `bytes`.
msg::FinishReply finish_fallback(const Handler &handler, const msg::Fetch &fetch, const msg::FetchOutcome &outcome,
                                 const test::Bytes &bytes) {
  std::optional<Job> job = handler.take_job(fetch.job);
  REQUIRE(job);
  return test::with_body(handler.finish(*job, outcome, bytes));
}

}  // namespace

TEST_CASE("fallback file: a 404 is answered with the bundled image, transformed alike", "[delivery][fallback]") {
  const Handler handler{parse_config(R"({"fallback": {"file": "missing.png"},
                                        "errorCacheControl": {"4xx": "public, max-age=30"}})")};
  const auto first = run(handler, event_for("/photos/gone.jpg", "w=40&format=webp"), answered(404), {});
  const msg::Fetch &fetch = fetch_of(first);
  REQUIRE(std::holds_alternative<FileTarget>(fetch.origin));
  CHECK(std::get<FileTarget>(fetch.origin).file == "missing.png");
  CHECK(std::get<FileTarget>(fetch.origin).max_bytes == Config{}.max_input_bytes);
  CHECK(fetch.log.outcome == "fallback");
  CHECK(fetch.log.code == "not_found");

  const auto reply = finish_fallback(handler, fetch, answered(200), test::read_fixture("split-left-red-right-blue.png"));
  const cf::Response &r = response_of(reply);
  CHECK(r.status == "404");  // the original status by default
  CHECK(header(r, "content-type") == "image/webp");
  CHECK(header(r, "x-vips-edge-error") == "404 not_found");
  CHECK(header(r, "cache-control") == "public, max-age=30");  // the error TTL of its class
  CHECK(image_of(r).width() == 40);
  CHECK(std::get<msg::Respond>(reply).log.fallback == "404 not_found");
  CHECK(handler.pending_count() == 0);
}

TEST_CASE("fallback path: fetched from the same origin; undecodable, unsupported and too large sources", "[delivery][fallback]") {
  const Handler handler{parse_config(R"({"fallback": {"path": "/img/placeholder.jpg", "status": 200}})")};
  // An HTML page where the image should be (415), a truncated JPEG (422), a
  // download over maxInputBytes (413), a missing image (404/410, S3's 403).
  struct Case {
    msg::FetchOutcome outcome;
    test::Bytes bytes;
    const char *error;
  };
  const std::vector<Case> cases = {
      {answered(200), test::read_fixture("not-an-image.html"), "415 unsupported_format"},
      {answered(200), test::read_fixture("photo-truncated.jpg"), "422 undecodable_image"},
      {msg::FetchFailed{msg::FetchError::TooLarge, "too big"}, {}, "413 source_too_large"},
      {answered(410), {}, "404 not_found"},
      {answered(403), {}, "502 origin_error"},  // a custom origin's 403: the error it would have been
  };
  for (const Case &c : cases) {
    INFO(c.error);
    const auto first = run(handler, event_for("/photos/a.jpg", "w=32&h=32"), c.outcome, c.bytes);
    const msg::Fetch &fetch = fetch_of(first);
    REQUIRE(std::holds_alternative<HttpTarget>(fetch.origin));
    CHECK(std::get<HttpTarget>(fetch.origin).url == "https://example.org/img/placeholder.jpg");
    const auto reply = finish_fallback(handler, fetch, answered(200, {{"etag", "\"p\""}}), test::read_fixture("photo-baseline.jpg"));
    const cf::Response &r = response_of(reply);
    CHECK(r.status == "200");  // the configured status
    CHECK(header(r, "x-vips-edge-error") == c.error);
    CHECK(header(r, "cache-control") == Config{}.error_cache_control.client);
    CHECK(header(r, "etag").size() == 66);
    const vips::VImage out = image_of(r);
    CHECK(out.width() == 32);
    CHECK(out.height() == 32);
  }
  // Not for what a fallback cannot mend: a 5xx origin, the work budget.
  CHECK(response_of(run(handler, event_for("/a.jpg", "w=32"), answered(500), {})).status == "502");
  CHECK(response_of(run(handler, event_for("/a.jpg", "w=32"), msg::FetchFailed{msg::FetchError::Timeout, "slow"}, {})).status == "504");
  CHECK(handler.pending_count() == 0);
}

TEST_CASE("fallback that fails: the plain JSON error it stood in for, never a loop", "[delivery][fallback]") {
  const Handler handler{parse_config(R"({"fallback": {"file": "missing.png", "status": 200}})")};
  for (const auto &[outcome, bytes] : std::vector<std::pair<msg::FetchOutcome, test::Bytes>>{
           {answered(404), {}},                                         // the file is not in the package
           {answered(200), test::read_fixture("not-an-image.html")},   // not an image
           {answered(200), test::read_fixture("photo-truncated.jpg")}, // broken
       }) {
    const auto first = run(handler, event_for("/photos/gone.jpg", "w=40"), answered(404), {});
    const auto reply = finish_fallback(handler, fetch_of(first), outcome, bytes);
    const cf::Response &r = response_of(reply);
    CHECK(r.status == "404");
    CHECK(header(r, "content-type") == "application/json");
    CHECK(nlohmann::json::parse(*r.body)["error"]["code"] == "not_found");
    CHECK_THAT(*std::get<msg::Respond>(reply).log.message, Catch::Matchers::Contains("the fallback image failed"));
  }
  CHECK(handler.pending_count() == 0);
  // Without a fallback configured: the error, as ever.
  CHECK(response_of(run(Handler{Config{}}, event_for("/a.jpg", "w=40"), answered(404), {})).status == "404");
}

TEST_CASE("SVG: never rasterised; 415 by default, unchanged under a sandboxing CSP with passthrough", "[delivery][svg]") {
  const test::Bytes svg = test::read_fixture("drawing.svg");
  const auto refused = run(Handler{Config{}}, event_for("/d.svg", "w=40"), answered(200), svg);
  CHECK(response_of(refused).status == "415");
  CHECK_THAT(*response_of(refused).body, Catch::Matchers::Contains("passthrough"));

  const Handler handler{parse_config(R"({"svg": "passthrough", "cacheRules": [{"prefix": "/icons/", "cacheControl": "public, max-age=600"}]})")};
  const auto reply = run(handler, event_for("/icons/d.svg", "w=40&format=webp"), answered(200, {{"etag", "\"s1\""}}), svg);
  const cf::Response &r = response_of(reply);
  CHECK(r.status == "200");
  CHECK(header(r, "content-type") == "image/svg+xml");
  CHECK(header(r, "content-security-policy") == "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  CHECK(header(r, "x-content-type-options") == "nosniff");
  CHECK(header(r, "cache-control") == "public, max-age=600");
  CHECK(header(r, "etag").size() == 66);
  const auto body = base64_decode(*r.body);
  CHECK(test::Bytes(body.begin(), body.end()) == svg);  // byte for byte
  CHECK(std::get<msg::Respond>(reply).log.outcome == "svg_passthrough");
  // format=json cannot describe it; over maxInputBytes or the 1 MB response limit, an error.
  CHECK(response_of(run(handler, event_for("/d.svg", "format=json"), answered(200), svg)).status == "415");
  const Handler small{parse_config(R"({"svg": "passthrough", "maxInputBytes": 100})")};
  CHECK(response_of(run(small, event_for("/d.svg", "w=40"), answered(200), svg)).status == "413");
  test::Bytes huge = svg;
  huge.insert(huge.end() - 7, 900'000, ' ');  // before "</svg>\n": 900 KB of whitespace, 1.2 MB in base64
  const auto too_big = run(handler, event_for("/d.svg", "w=40"), answered(200), huge);
  CHECK(response_of(too_big).status == "413");
  CHECK(nlohmann::json::parse(*response_of(too_big).body)["error"]["code"] == "output_too_large");
}

TEST_CASE("SVG sniffing: the root element after prolog, comments and DOCTYPE", "[delivery][svg]") {
  auto is_svg = [](std::string s) {
    return looks_like_svg({reinterpret_cast<const std::uint8_t *>(s.data()), s.size()});
  };
  CHECK(is_svg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
  CHECK(is_svg("\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
               "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [ <!ENTITY a \"<b>\"> ]>\n<svg>"));
  CHECK(is_svg("<svg\n  width=\"1\">"));
  CHECK_FALSE(is_svg("<svgx>"));
  CHECK_FALSE(is_svg("<html><svg></svg></html>"));
  CHECK_FALSE(is_svg("<!-- unterminated <svg>"));
  CHECK_FALSE(is_svg(""));
  CHECK_FALSE(is_svg("\x89PNG\r\n"));
}
