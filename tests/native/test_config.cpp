// parse_config: defaults, every key, and a clear error naming the key.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "api/config.hpp"
#include "api/config_schema.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using vips_edge::test::config_error;


TEST_CASE("empty object gives the documented defaults", "[config]") {
  Config c = parse_config("{}");
  CHECK(c.max_width == 4096);
  CHECK(c.max_height == 4096);
  CHECK(c.max_input_bytes == 32ull * 1024 * 1024);
  CHECK(c.max_input_pixels == 50'000'000);
  CHECK_FALSE(c.allowed_widths);
  CHECK_FALSE(c.allowed_heights);
  CHECK(c.jpeg_quality == 80);
  CHECK(c.webp_quality == 75);
  CHECK(c.cache_control == "public, max-age=31536000");
  CHECK(c.error_cache_control.client == "public, max-age=10");
  CHECK(c.error_cache_control.server == "public, max-age=10");
  CHECK(c.cache_rules.empty());
  CHECK(c.origin_cache_control == OriginCachePolicy::Honour);
  CHECK_FALSE(c.fallback);
  CHECK(c.svg == SvgPolicy::Refuse);
  CHECK(c.oversize == OversizePolicy::Original);
  CHECK(c.quality_floor == 30);
  CHECK_FALSE(c.signing);
  CHECK_FALSE(c.s3_endpoint);
}

TEST_CASE("every key is read", "[config]") {
  Config c = parse_config(R"({
    "maxWidth": 2000, "maxHeight": 1500, "maxInputBytes": 1000000, "maxInputPixels": 4000000,
    "allowedWidths": [100, 200, 2000], "allowedHeights": [150],
    "jpegQuality": 85, "webpQuality": 70, "avifQuality": 45, "avifSpeed": 6, "avifAutoMaxPixels": 1000000,
    "cacheControl": "public, max-age=86400",
    "errorCacheControl": "no-store", "oversize": "error", "qualityFloor": 40,
    "signing": {"key": "k3y", "required": false}, "s3Endpoint": "http://127.0.0.1:9000",
    "cacheRules": [{"prefix": "/a/", "cacheControl": "public, max-age=60"}], "originCacheControl": "ignore",
    "fallback": {"file": "missing-image.png", "status": 200}, "svg": "passthrough"
  })");
  CHECK(c.max_width == 2000);
  CHECK(c.max_height == 1500);
  CHECK(c.max_input_bytes == 1000000);
  CHECK(c.max_input_pixels == 4000000);
  CHECK(c.allowed_widths == std::vector<int>{100, 200, 2000});
  CHECK(c.allowed_heights == std::vector<int>{150});
  CHECK(c.jpeg_quality == 85);
  CHECK(c.webp_quality == 70);
  CHECK(c.avif_quality == 45);
  CHECK(c.avif_speed == 6);
  CHECK(c.avif_auto_max_pixels == 1000000);
  CHECK(c.cache_control == "public, max-age=86400");
  CHECK(c.error_cache_control.client == "no-store");
  CHECK(c.error_cache_control.server == "no-store");
  REQUIRE(c.cache_rules.size() == 1);
  CHECK(c.cache_rules[0].prefix == "/a/");
  CHECK(c.cache_rules[0].cache_control == "public, max-age=60");
  CHECK(c.origin_cache_control == OriginCachePolicy::Ignore);
  REQUIRE(c.fallback);
  CHECK(c.fallback->file == "missing-image.png");
  CHECK_FALSE(c.fallback->path);
  CHECK(c.fallback->status == 200);
  CHECK(c.svg == SvgPolicy::Passthrough);
  CHECK(c.oversize == OversizePolicy::Error);
  CHECK(c.quality_floor == 40);
  REQUIRE(c.signing);
  CHECK(c.signing->keys == std::vector<SigningKey>{{"default", "k3y"}});
  CHECK(c.signing->required == false);
  CHECK(c.s3_endpoint == std::optional<std::string>("http://127.0.0.1:9000"));

  CHECK(parse_config(R"({"signing":{"key":"x"}})").signing->required == true);
  CHECK(parse_config(R"({"oversize":"original"})").oversize == OversizePolicy::Original);
  CHECK(parse_config(R"({"maxInputBytes": 9007199254740993})").max_input_bytes == 9007199254740993ull);

  const Config classes = parse_config(R"({"errorCacheControl": {"5xx": "no-store"}})");
  CHECK(classes.error_cache_control.client == "public, max-age=10");
  CHECK(classes.error_cache_control.server == "no-store");
  CHECK(classes.error_cache_control.for_status(404) == "public, max-age=10");
  CHECK(classes.error_cache_control.for_status(502) == "no-store");
  const Config path = parse_config(R"({"fallback": {"path": "/img/missing.png"}})");
  CHECK(path.fallback->path == "/img/missing.png");
  CHECK_FALSE(path.fallback->status);
  // The digest follows the text: a derived ETag changes with the settings.
  CHECK(parse_config("{}").digest == parse_config("{}").digest);
  CHECK(parse_config("{}").digest != parse_config(R"({"jpegQuality": 80})").digest);
}

TEST_CASE("delivery keys: errors name the key", "[config]") {
  CHECK(config_error(R"({"cacheRules": {}})") == "config: cacheRules: expected an array, got object");
  CHECK(config_error(R"({"cacheRules": [{"prefix": "/a/"}]})") == "config: cacheRules[0].cacheControl: missing");
  CHECK(config_error(R"({"cacheRules": [{"cacheControl": "x"}]})") == "config: cacheRules[0].prefix: missing");
  CHECK(config_error(R"({"cacheRules": [{"prefix": "a/", "cacheControl": "x"}]})") ==
        "config: cacheRules[0].prefix: must start with '/' and hold no control characters");
  CHECK(config_error(R"({"cacheRules": [{"prefix": "/a", "cacheControl": "x", "ttl": 1}]})") ==
        "config: cacheRules[0].ttl: unknown key");
  CHECK(config_error(R"({"cacheRules": [{"prefix": "/a", "cacheControl": "x"}, {"prefix": "/a", "cacheControl": "y"}]})") ==
        "config: cacheRules[1].prefix: \"/a\" is listed twice");
  CHECK(config_error(R"({"cacheRules": [{"prefix": "/a", "cacheControl": "max-age=1h"}]})") ==
        "config: cacheRules[0].cacheControl: max-age must be a number of seconds");
  CHECK(config_error(R"({"cacheControl": "public, s-maxage=-1"})") ==
        "config: cacheControl: s-maxage must be a number of seconds");
  CHECK(config_error(R"({"originCacheControl": "honor"})") ==
        "config: originCacheControl: expected \"honour\" or \"ignore\", got \"honor\"");
  CHECK(config_error(R"({"errorCacheControl": 10})") ==
        "config: errorCacheControl: expected a string or {\"4xx\": ..., \"5xx\": ...}, got number");
  CHECK(config_error(R"({"errorCacheControl": {"3xx": "x"}})") == "config: errorCacheControl.3xx: unknown key");
  CHECK(config_error(R"({"errorCacheControl": {"5xx": "a\nb"}})") ==
        "config: errorCacheControl.5xx: must not contain CR, LF or other control characters");
  CHECK(config_error(R"({"fallback": "/x.png"})") == "config: fallback: expected an object, got string");
  CHECK(config_error(R"({"fallback": {}})") == "config: fallback: needs exactly one of \"path\" or \"file\"");
  CHECK(config_error(R"({"fallback": {"path": "/a.png", "file": "a.png"}})") ==
        "config: fallback: needs exactly one of \"path\" or \"file\"");
  CHECK(config_error(R"({"fallback": {"path": "a.png"}})") == "config: fallback.path: must start with '/'");
  CHECK(config_error(R"({"fallback": {"path": "/a/../b.png"}})") == "config: fallback.path: must not contain a dot segment");
  CHECK(config_error(R"({"fallback": {"path": "/a.png?w=1"}})") ==
        "config: fallback.path: must be a plain path (no '?', '#', backslash or control characters)");
  CHECK(config_error(R"({"fallback": {"file": "../config.json"}})") ==
        "config: fallback.file: must be a plain file name (letters, digits, '.', '_', '-'; not starting with '.')");
  CHECK(config_error(R"({"fallback": {"file": "a.png", "status": 302}})") ==
        "config: fallback.status: must be 200 or an error status (400-599)");
  CHECK(config_error(R"({"fallback": {"file": "a.png", "status": 600}})") ==
        "config: fallback.status: must be between 200 and 599");
  CHECK(config_error(R"({"fallback": {"file": "a.png", "on": [404]}})") == "config: fallback.on: unknown key");
  CHECK(config_error(R"({"svg": "render"})") == "config: svg: expected \"refuse\" or \"passthrough\", got \"render\"");
}

TEST_CASE("errors name the key", "[config]") {
  CHECK(config_error(R"({"maxWidht": 10})") == "config: maxWidht: unknown key");
  CHECK(config_error(R"({"maxWidth": "10"})") == "config: maxWidth: expected an integer, got string");
  CHECK(config_error(R"({"maxWidth": 10.5})") == "config: maxWidth: expected an integer, got number");
  CHECK(config_error(R"({"maxWidth": 0})") == "config: maxWidth: must be between 1 and 16383");
  CHECK(config_error(R"({"maxWidth": 16384})") == "config: maxWidth: must be between 1 and 16383");
  CHECK(config_error(R"({"maxHeight": -1})") == "config: maxHeight: must be between 1 and 16383");
  CHECK(config_error(R"({"maxInputBytes": 0})") == "config: maxInputBytes: must be between 1 and 9223372036854775807");
  CHECK(config_error(R"({"maxInputBytes": 18446744073709551615})") ==
        "config: maxInputBytes: must be between 1 and 9223372036854775807");
  CHECK(config_error(R"({"maxInputPixels": null})") == "config: maxInputPixels: expected an integer, got null");
  CHECK(config_error(R"({"jpegQuality": 101})") == "config: jpegQuality: must be between 1 and 100");
  CHECK(config_error(R"({"webpQuality": 0})") == "config: webpQuality: must be between 1 and 100");
  CHECK(config_error(R"({"avifQuality": 0})") == "config: avifQuality: must be between 1 and 100");
  CHECK(config_error(R"({"avifSpeed": 10})") == "config: avifSpeed: must be between 0 and 9");
  CHECK(config_error(R"({"avifAutoMaxPixels": -1})") == "config: avifAutoMaxPixels: must be between 0 and 9223372036854775807");
  CHECK(config_error(R"({"qualityFloor": 0})") == "config: qualityFloor: must be between 1 and 100");
  CHECK(config_error(R"({"allowedWidths": []})") == "config: allowedWidths: expected a non-empty array of integers");
  CHECK(config_error(R"({"allowedWidths": 100})") == "config: allowedWidths: expected a non-empty array of integers");
  CHECK(config_error(R"({"allowedWidths": [100, "200"]})") ==
        "config: allowedWidths[1]: expected an integer, got string");
  CHECK(config_error(R"({"allowedHeights": [0]})") == "config: allowedHeights[0]: must be between 1 and 16383");
  CHECK(config_error(R"({"allowedWidths": [5000]})") == "config: allowedWidths: 5000 exceeds maxWidth (4096)");
  CHECK(config_error(R"({"allowedWidths": [5000], "maxWidth": 6000})") == "no error");
  CHECK(config_error(R"({"allowedHeights": [300], "maxHeight": 200})") ==
        "config: allowedHeights: 300 exceeds maxHeight (200)");
  CHECK(config_error(R"({"cacheControl": 5})") == "config: cacheControl: expected a string, got number");
  CHECK(config_error(R"({"cacheControl": ""})") == "config: cacheControl: must not be empty");
  CHECK(config_error(R"({"cacheControl": "public\r\nX-Evil: 1"})") ==
        "config: cacheControl: must not contain CR, LF or other control characters");
  CHECK(config_error(R"({"errorCacheControl": "a\nb"})") ==
        "config: errorCacheControl: must not contain CR, LF or other control characters");
  CHECK(config_error(R"({"s3Endpoint": "http://x\r\n"})") ==
        "config: s3Endpoint: must not contain CR, LF or other control characters");
  CHECK(config_error(R"({"oversize": "shrink"})") == "config: oversize: expected \"original\" or \"error\", got \"shrink\"");
  CHECK(config_error(R"({"signing": true})") == "config: signing: expected an object, got boolean");
  CHECK(config_error(R"({"signing": {}})") == "config: signing.key: missing (give key, or keys for several)");
  CHECK(config_error(R"({"signing": {"key": ""}})") == "config: signing.key: must not be empty");
  CHECK(config_error(R"({"signing": {"key": "k", "required": "yes"}})") ==
        "config: signing.required: expected true or false, got string");
  CHECK(config_error(R"({"signing": {"key": "k", "algo": "sha1"}})") == "config: signing.algo: unknown key");
  CHECK(config_error("[]") == "config: expected a JSON object");
  CHECK_THAT(config_error("{"), Catch::Matchers::StartsWith("config: invalid JSON"));
}

// README's "Configuration" example is the table's documentation: it must
// parse, and name every key Describe<Config> reads (a key added to the
// table without a word in README fails here).
TEST_CASE("README's configuration example parses and names every key", "[config]") {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/../README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  const std::size_t section = readme.find("\n## Configuration\n");
  REQUIRE(section != std::string::npos);
  const std::size_t open = readme.find("```json\n", section);
  REQUIRE(open != std::string::npos);
  const std::size_t close = readme.find("\n```", open + 8);
  REQUIRE(close != std::string::npos);
  const std::string example = readme.substr(open + 8, close - open - 8);
  Config parsed;
  REQUIRE_NOTHROW(parsed = parse_config(example));
  CHECK(parsed.signing.has_value());
  const auto keys = nlohmann::json::parse(example);
  std::vector<std::string> missing;
  std::apply([&](const auto &...field) { ((keys.contains(field.name) ? void() : missing.push_back(field.name)), ...); },
             schema::Describe<Config>::fields);
  for (const auto &key : missing) UNSCOPED_INFO("README's example lacks " << key);
  CHECK(missing.empty());
}
