// The caching decision (http/caching.hpp): which Cache-Control a 200 gets,
// the derived ETag, If-None-Match, HTTP dates.
#include <catch2/catch.hpp>

#include "api/config.hpp"
#include "http/caching.hpp"
#include "util/cache_control.hpp"

using namespace vips_edge;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;  // 2023-11-14T22:13:20Z

Config with_rules() {
  Config c = parse_config(R"({
    "cacheControl": "public, max-age=86400",
    "cacheRules": [{"prefix": "/avatars/", "cacheControl": "public, max-age=3600"},
                   {"prefix": "/avatars/vip/", "cacheControl": "public, max-age=600"},
                   {"prefix": "/static/", "cacheControl": "public, max-age=31536000, immutable"}]})");
  return c;
}

}  // namespace

TEST_CASE("cache rules: the longest matching prefix, else cacheControl", "[caching]") {
  const Config c = with_rules();
  CHECK(cache_rule_for("/photos/a.jpg", c) == "public, max-age=86400");
  CHECK(cache_rule_for("/avatars/a.jpg", c) == "public, max-age=3600");
  CHECK(cache_rule_for("/avatars/vip/a.jpg", c) == "public, max-age=600");
  CHECK(cache_rule_for("/avatars", c) == "public, max-age=86400");  // a prefix is a string prefix of the URI
  CHECK(cache_rule_for("/static/x.png", c) == "public, max-age=31536000, immutable");
  CHECK(image_cache_control("/avatars/a.jpg", {}, c, kNow) == "public, max-age=3600");
}

TEST_CASE("origin cache headers: they shorten the rule, never lengthen it", "[caching]") {
  const Config c = with_rules();
  // Shorter: the origin's lifetime.
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "public, max-age=60"}}, c, kNow) == "public, max-age=60");
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "max-age=600, s-maxage=120"}}, c, kNow) ==
        "public, max-age=120");  // what CloudFront (a shared cache) may keep
  // Longer than the rule: the rule (the cap).
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "max-age=999999999"}}, c, kNow) == "public, max-age=86400");
  CHECK(image_cache_control("/static/x.png", {{"cache-control", "max-age=999999999"}}, c, kNow) ==
        "public, max-age=31536000, immutable");
  // Equal: the rule as written.
  CHECK(image_cache_control("/avatars/a.jpg", {{"cache-control", "max-age=3600"}}, c, kNow) == "public, max-age=3600");
  // private / no-store / no-cache are passed on as sent.
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "private, max-age=60"}}, c, kNow) == "private, max-age=60");
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "No-Store"}}, c, kNow) == "No-Store");
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "no-cache"}}, c, kNow) == "no-cache");
  // Expires - Date; Expires - now without a Date; an invalid Expires is already expired.
  CHECK(image_cache_control("/p.jpg", {{"expires", "Tue, 14 Nov 2023 23:13:20 GMT"}, {"date", "Tue, 14 Nov 2023 22:13:20 GMT"}},
                            c, kNow) == "public, max-age=3600");
  CHECK(image_cache_control("/p.jpg", {{"expires", "Tue, 14 Nov 2023 22:23:20 GMT"}}, c, kNow) == "public, max-age=600");
  CHECK(image_cache_control("/p.jpg", {{"expires", "0"}}, c, kNow) == "public, max-age=0");
  CHECK(image_cache_control("/p.jpg", {{"expires", "Tue, 14 Nov 2023 23:13:20 GMT"}, {"cache-control", "max-age=30"}},
                            c, kNow) == "public, max-age=30");  // max-age wins over Expires
  // Nothing usable from the origin: the rule.
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "public"}}, c, kNow) == "public, max-age=86400");
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "max-age=abc"}}, c, kNow) == "public, max-age=86400");
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "max-age=1\r\nX: y"}}, c, kNow) == "public, max-age=86400");

  Config ignore = with_rules();
  ignore.origin_cache_control = OriginCachePolicy::Ignore;
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "private, max-age=60"}}, ignore, kNow) == "public, max-age=86400");
  CHECK(image_cache_control("/p.jpg", {{"cache-control", "max-age=60"}}, ignore, kNow) == "public, max-age=86400");
}

TEST_CASE("derived etag: origin ETag + variant + config, weak stays weak", "[caching]") {
  Config c;
  const auto a = derived_etag({{"etag", "\"v1\""}}, "w=100", c);
  REQUIRE(a);
  CHECK(a->size() == 66);
  CHECK(a->front() == '"');
  CHECK(derived_etag({{"etag", "\"v1\""}}, "w=100", c) == a);           // deterministic
  CHECK(derived_etag({{"etag", "\"v2\""}}, "w=100", c) != a);           // a new original
  CHECK(derived_etag({{"etag", "\"v1\""}}, "w=200", c) != a);           // another derivative
  CHECK(derived_etag({{"etag", "W/\"v1\""}}, "w=100", c) == "W/" + *a);  // weak in, weak out
  Config other = parse_config(R"({"jpegQuality": 70})");
  CHECK(derived_etag({{"etag", "\"v1\""}}, "w=100", other) != a);       // other settings, other bytes
  CHECK_FALSE(derived_etag({}, "w=100", c));
  CHECK_FALSE(derived_etag({{"etag", ""}}, "w=100", c));
  CHECK_FALSE(derived_etag({{"etag", "\"a\nb\""}}, "w=100", c));

  const ResponseMeta meta = image_meta("/p.jpg", {{"etag", "\"v1\""}, {"last-modified", "Tue, 14 Nov 2023 22:13:20 GMT"}},
                                       "w=100", c, kNow);
  CHECK(meta.etag == a);
  CHECK(meta.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT");
  CHECK(meta.cache_control == c.cache_control);
  CHECK(meta.status == 200);
  CHECK_FALSE(meta.error);
}

TEST_CASE("If-None-Match: weak comparison, lists, *", "[caching]") {
  auto headers = [](std::string value) {
    cf::Headers h;
    h.entries["if-none-match"] = {{std::string("If-None-Match"), std::move(value)}};
    return h;
  };
  CHECK(none_match(headers("\"abc\""), "\"abc\""));
  CHECK(none_match(headers("W/\"abc\""), "\"abc\""));
  CHECK(none_match(headers("\"x\", \"abc\""), "W/\"abc\""));
  CHECK(none_match(headers("*"), "\"abc\""));
  CHECK_FALSE(none_match(headers("\"abd\""), "\"abc\""));
  CHECK_FALSE(none_match(cf::Headers{}, "\"abc\""));
}

TEST_CASE("HTTP dates and Cache-Control directives", "[caching]") {
  CHECK(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
  CHECK(parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT") == kNow);
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
  CHECK_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nox 1994 08:49:37 GMT"));
  CHECK_FALSE(parse_http_date("0"));
  const CacheDirectives d = parse_cache_control("Public, MAX-AGE=60, s-maxage=\"30\", ext=\"a,b\", max-age=99");
  CHECK(d.has("public"));
  CHECK(d.seconds("max-age") == 60);  // the first of a repeated directive
  CHECK(d.shared_max_age() == 30);
  CHECK(d.directives.at("ext") == "a,b");
  CHECK(parse_cache_control("max-age=99999999999").seconds("max-age") == 2147483648ull);
}
