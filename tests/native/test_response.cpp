// Generated responses: error JSON, image response headers, sanitizer, size.
#include <catch2/catch.hpp>

#include <glib.h>

#include "util/base64.hpp"
#include "http/header_policy.hpp"
#include "http/response.hpp"
#include "support/response_body.hpp"

using namespace vips_edge;
using cf::json;

namespace {

// name -> {key, value} of a single-valued header, failing if it is not single.
std::pair<std::string, std::string> header(const cf::Response &r, const std::string &name) {
  REQUIRE(r.headers);
  auto it = r.headers->entries.find(name);
  REQUIRE(it != r.headers->entries.end());
  REQUIRE(it->second.size() == 1);
  return {it->second[0].key.value_or(""), it->second[0].value};
}

bool has_header(const cf::Response &r, const std::string &name) {
  return r.headers && r.headers->entries.count(name);
}

std::span<const std::uint8_t> as_bytes(const std::string &s) {
  return {reinterpret_cast<const std::uint8_t *>(s.data()), s.size()};
}

}  // namespace

TEST_CASE("error_response for every status in the table", "[response]") {
  Config config;
  struct Row {
    ApiError error;
    std::string status, code, description;
  };
  const Row rows[] = {
      {ApiError::invalid_parameter("w", "w=0: bad"), "400", "invalid_parameter", "Bad Request"},
      {ApiError::invalid_signature("sig: missing"), "403", "invalid_signature", "Forbidden"},
      {ApiError::not_found("origin 404"), "404", "not_found", "Not Found"},
      {ApiError::source_too_large("big"), "413", "source_too_large", "Content Too Large"},
      {ApiError::output_too_large("big"), "413", "output_too_large", "Content Too Large"},
      {ApiError::unsupported_format("svg"), "415", "unsupported_format", "Unsupported Media Type"},
      {ApiError::undecodable_image("truncated"), "422", "undecodable_image", "Unprocessable Content"},
      {ApiError::origin_error("503"), "502", "origin_error", "Bad Gateway"},
      {ApiError::origin_timeout("slow"), "504", "origin_timeout", "Gateway Timeout"},
      {ApiError::internal("bug"), "500", "internal_error", "Internal Server Error"},
  };
  for (const auto &row : rows) {
    INFO(row.code);
    cf::Response r = error_response(row.error, config);
    CHECK(r.status == row.status);
    CHECK(r.statusDescription == std::optional<std::string>(row.description));
    CHECK(r.bodyEncoding == cf::BodyEncoding::Text);
    CHECK(header(r, "content-type") == std::pair<std::string, std::string>{"Content-Type", "application/json"});
    CHECK(header(r, "cache-control") == std::pair<std::string, std::string>{"Cache-Control", "public, max-age=10"});
    CHECK(r.headers->entries.size() == 2);
    json body = json::parse(*r.body);
    CHECK(body["error"]["status"] == std::stoi(row.status));
    CHECK(body["error"]["code"] == row.code);
    CHECK(body["error"]["message"] == row.error.what());
  }
}

TEST_CASE("error body: param only when set; exact text", "[response]") {
  Config config;
  config.error_cache_control.client = "no-store";
  cf::Response r = error_response(ApiError::invalid_parameter("w", "w=0: expected an integer 1..4096"), config);
  CHECK(*r.body == R"({"error":{"code":"invalid_parameter","message":"w=0: expected an integer 1..4096","param":"w","status":400}})");
  CHECK(header(r, "cache-control").second == "no-store");
  r = error_response(ApiError::not_found("nope"), config);
  CHECK(json::parse(*r.body) == json{{"error", {{"status", 404}, {"code", "not_found"}, {"message", "nope"}}}});
  // Serialises as a valid CloudFront response.
  json out = r;
  CHECK(out["status"] == "404");
  CHECK(out["bodyEncoding"] == "text");
  // An out-of-range status never reaches CloudFront.
  CHECK(error_response(ApiError(99, "weird", "x"), config).status == "500");
  CHECK(error_response(ApiError(600, "weird", "x"), config).status == "500");
  // Invalid UTF-8 in a message does not throw.
  CHECK_NOTHROW(error_response(ApiError::internal("bad \xff byte"), config));
}

TEST_CASE("image_response headers and body", "[response]") {
  Config config;
  const std::string bytes = "\x89PNG fake image bytes";
  TransformSpec spec;
  spec.format = RequestedFormat::Png;
  cf::Response r = image_response(as_bytes(bytes), ImageFormat::Png, spec, {}, config);
  CHECK(r.status == "200");
  CHECK(r.statusDescription == std::optional<std::string>("OK"));
  CHECK(r.bodyEncoding == cf::BodyEncoding::Base64);
  const auto decoded = base64_decode(*r.body);
  CHECK(std::string(decoded.begin(), decoded.end()) == bytes);
  CHECK(header(r, "content-type") == std::pair<std::string, std::string>{"Content-Type", "image/png"});
  CHECK(header(r, "cache-control").second == "public, max-age=31536000");
  gchar *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, bytes.data(), bytes.size());
  CHECK(header(r, "etag") == std::pair<std::string, std::string>{"ETag", "\"" + std::string(sha) + "\""});
  g_free(sha);
  CHECK_FALSE(has_header(r, "vary"));
  CHECK_FALSE(has_header(r, "last-modified"));
  CHECK_FALSE(has_header(r, "content-length"));
  CHECK(r.headers->entries.size() == 3);

  // Known bytes -> known ETag (sha256("abc")).
  cf::Response abc = image_response(as_bytes("abc"), ImageFormat::Jpeg, spec, {}, config);
  CHECK(header(abc, "etag").second == "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
  CHECK(*abc.body == "YWJj");
  CHECK(header(abc, "content-type").second == "image/jpeg");
  CHECK(header(image_response(as_bytes("abc"), ImageFormat::Webp, spec, {}, config), "content-type").second ==
        "image/webp");
}

TEST_CASE("image_response: format=auto varies on Accept; the meta's caching headers", "[response]") {
  Config config;
  TransformSpec spec;
  spec.format = RequestedFormat::Auto;
  ResponseMeta meta;
  meta.cache_control = "public, max-age=600";
  meta.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
  cf::Response r = image_response(as_bytes("abc"), ImageFormat::Webp, spec, meta, config);
  CHECK(header(r, "vary") == std::pair<std::string, std::string>{"Vary", "accept"});
  CHECK(header(r, "cache-control").second == "public, max-age=600");
  CHECK(header(r, "last-modified") ==
        std::pair<std::string, std::string>{"Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT"});
  CHECK(header(r, "etag").second == "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
  CHECK(r.headers->entries.size() == 5);

  // A derived etag replaces the body's hash; a fallback's status and error header.
  meta.etag = "\"derived\"";
  meta.status = 404;
  meta.error = "404 not_found";
  r = image_response(as_bytes("abc"), ImageFormat::Webp, spec, meta, config);
  CHECK(r.status == "404");
  CHECK(r.statusDescription == std::optional<std::string>("Not Found"));
  CHECK(header(r, "etag").second == "\"derived\"");
  CHECK(header(r, "x-vips-edge-error") == std::pair<std::string, std::string>{"X-Vips-Edge-Error", "404 not_found"});
  CHECK(image_response_size(3, ImageFormat::Webp, spec, meta, config) == generated_response_size(r));

  // 304: the caching headers, no body.
  cf::Response not_modified = not_modified_response(spec, meta, config);
  CHECK(not_modified.status == "304");
  CHECK_FALSE(not_modified.body);
  CHECK(header(not_modified, "etag").second == "\"derived\"");
  CHECK(header(not_modified, "cache-control").second == "public, max-age=600");
  CHECK(header(not_modified, "vary").second == "accept");
  CHECK_FALSE(has_header(not_modified, "content-type"));
}

TEST_CASE("error_response: the error TTL of the status class", "[response]") {
  Config config;
  config.error_cache_control.client = "public, max-age=60";
  config.error_cache_control.server = "no-store";
  CHECK(header(error_response(ApiError::not_found("x"), config), "cache-control").second == "public, max-age=60");
  CHECK(header(error_response(ApiError::invalid_parameter("w", "x"), config), "cache-control").second ==
        "public, max-age=60");
  CHECK(header(error_response(ApiError::origin_error("x"), config), "cache-control").second == "no-store");
  CHECK(header(error_response(ApiError::internal("x"), config), "cache-control").second == "no-store");
}

TEST_CASE("header policy: disallowed and read-only headers never emitted", "[response]") {
  for (const char *name : {"Connection", "expect", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
                           "Proxy-Connection", "Trailer", "Upgrade", "X-Accel-Buffering", "X-Amz-Cf-Id",
                           "X-Amzn-Trace-Id", "X-Cache", "X-Edge-Location", "X-Forwarded-Proto", "X-Real-IP",
                           "Accept-Encoding", "Content-Length", "If-Modified-Since", "If-None-Match", "If-Range",
                           "If-Unmodified-Since", "Transfer-Encoding", "Via"}) {
    INFO(name);
    CHECK(is_forbidden_response_header(name));
    cf::Headers h;
    CHECK_FALSE(set_header(h, name, "x"));
    CHECK(h.entries.empty());
  }
  for (const char *name : {"content-type", "cache-control", "etag", "vary", "last-modified", "x-amz-meta-a",
                           "x-cache-status", "x-forwarded-for"}) {
    INFO(name);
    CHECK_FALSE(is_forbidden_response_header(name));
  }
  cf::Headers h;
  CHECK_FALSE(set_header(h, "x-a", "1\r\n2"));
  CHECK_FALSE(set_header(h, "x-a", std::string_view("1\0", 2)));
  CHECK_FALSE(set_header(h, "bad name", "1"));
  CHECK_FALSE(set_header(h, "", "1"));
  CHECK(h.entries.empty());
  CHECK(set_header(h, "X-Custom-Thing", "a\tb"));
  CHECK(h.entries.at("x-custom-thing")[0].key == std::optional<std::string>("X-Custom-Thing"));
  CHECK(set_header(h, "x-custom-thing", "c"));  // replaces
  CHECK(h.entries.at("x-custom-thing").size() == 1);
  CHECK(h.entries.at("x-custom-thing")[0].value == "c");

  json j = {{"content-length", {{{"value", "1"}}}},
            {"via", {{{"value", "1.1 x"}}}},
            {"x-ok", {{{"value", "1"}}, {{"value", "bad\r\n"}}}},
            {"x-gone", {{{"value", "\n"}}}}};
  cf::Headers dirty = j.get<cf::Headers>();
  sanitize_headers(dirty);
  REQUIRE(dirty.entries.size() == 1);
  CHECK(dirty.entries.at("x-ok").size() == 1);
  CHECK(dirty.entries.at("x-ok")[0].value == "1");
}

TEST_CASE("generated_response_size counts body + status + header lines", "[response]") {
  CHECK(kMaxGeneratedResponseBytes == 1048576);
  cf::Response r;
  r.status = "200";
  CHECK(generated_response_size(r) == 3);
  r.statusDescription = "OK";
  r.body = std::string(100, 'A');
  CHECK(generated_response_size(r) == 105);
  cf::Headers h;
  set_header(h, "content-type", "image/png");  // 12 + 2 + 9 + 2
  set_header(h, "vary", "accept");             // 4 + 2 + 6 + 2
  r.headers = h;
  CHECK(generated_response_size(r) == 105 + 25 + 14);

  Config config;
  TransformSpec spec;
  std::string bytes(300, '\x01');  // 300 bytes -> 400 base64 chars
  cf::Response img = image_response(as_bytes(bytes), ImageFormat::Jpeg, spec, {}, config);
  std::size_t headers = 0;
  for (const auto &[name, values] : img.headers->entries)
    for (const auto &v : values) headers += name.size() + v.value.size() + 4;
  CHECK(img.body->size() == 400);
  CHECK(generated_response_size(img) == 400 + 3 + 2 + headers);
}

TEST_CASE("image_response_size measures what image_response builds, without building it", "[response]") {
  Config config;
  TransformSpec plain;
  TransformSpec automatic;
  automatic.format = RequestedFormat::Auto;
  const ResponseMeta origin{"max-age=60", std::nullopt, "Wed, 21 Oct 2015 07:28:00 GMT"};
  const ResponseMeta derived{std::nullopt, "W/\"a-derived-tag\""};
  const ResponseMeta none;
  for (std::size_t n : {0, 1, 2, 3, 4, 5, 6, 7, 100, 1000, 99'999}) {
    const std::vector<std::uint8_t> bytes(n, 0x5a);
    for (const TransformSpec *spec : {&plain, &automatic})
      for (const ResponseMeta *headers : {&origin, &derived, &none}) {
        const ResponseMeta &h = *headers;
        INFO(n << " bytes");
        CHECK(image_response_size(n, ImageFormat::Webp, *spec, h, config) ==
              generated_response_size(image_response(bytes, ImageFormat::Webp, *spec, h, config)));
      }
  }
}
