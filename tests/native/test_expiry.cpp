// exp (a URL that stops working at a time) and signing key rotation: the
// value's grammar, the 410, the max-age cap, several keys verifying, through
// the handler's text entry points at a chosen clock.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/config.hpp"
#include "api/expiry.hpp"
#include "api/parse_spec.hpp"
#include "api/signing.hpp"
#include "handler/handler.hpp"
#include "http/max_age.hpp"
#include "image_helpers.hpp"
#include "util/base64.hpp"
#include "support/text_handler.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using nlohmann::json;

namespace {

std::string error_param(std::string_view qs) {
  try {
    parse_spec(qs, {}, Config{});
  } catch (const ApiError &e) {
    CHECK(e.status == 400);
    return e.param.value_or("<none>");
  }
  return "<no error>";
}

std::string event_text(const std::string &qs) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  json event = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  event["Records"][0]["cf"]["request"]["querystring"] = qs;
  return event.dump();
}

// The handler's answer for `qs` over the baseline photo, the origin sending
// `origin_headers`, at the clock `now`.
json answer(const Handler &handler, const std::string &qs, std::int64_t now, const json &origin_headers = json::object()) {
  const Bytes photo = read_fixture("photo-baseline.jpg");
  json outcome = {{"status", 200}};
  if (!origin_headers.empty()) outcome["headers"] = origin_headers;
  return json::parse(finish_text(handler, event_text(qs), outcome.dump(), photo, now));
}

std::string header(const json &reply, const std::string &name) {
  return reply["response"]["headers"][name][0]["value"].get<std::string>();
}

Config keys_config(std::string_view json_text) { return parse_config(json_text); }

}  // namespace

TEST_CASE("exp: unix seconds, plain digits, 1..4102444800", "[expiry][parse_spec]") {
  CHECK(parse_spec("w=10&exp=1800000100", {}, Config{})->expires == 1'800'000'100);
  CHECK(parse_spec("exp=4102444800", {}, Config{})->expires == 4'102'444'800);
  CHECK_FALSE(parse_spec("w=10", {}, Config{})->expires);
  for (const char *bad : {"exp=0", "exp=-1", "exp=%2B1800000000", "exp=1800000000.5", "exp=4102444801",
                          "exp=99999999999", "exp=1e10", "exp=now", "exp=0x10", "exp=01800000000",
                          "exp=18446744073709551617", "exp="}) {
    INFO(bad);
    CHECK(error_param(bad) == "exp");
  }
}

TEST_CASE("seconds_left: nothing without exp, a 410 from exp on", "[expiry]") {
  TransformSpec spec;
  CHECK_FALSE(seconds_left(spec, kTestNow));
  spec.expires = kTestNow + 60;
  CHECK(seconds_left(spec, kTestNow) == 60);
  CHECK(seconds_left(spec, kTestNow + 59) == 1);
  for (std::int64_t now : {kTestNow + 60, kTestNow + 61, kTestNow + 1'000'000'000}) {
    try {
      seconds_left(spec, now);
      FAIL("no 410 at " << now);
    } catch (const ApiError &e) {
      CHECK(e.status == 410);
      CHECK(e.code == "expired");
      CHECK(e.param == "exp");
    }
  }
}

TEST_CASE("cap_max_age: no lifetime beyond the limit", "[expiry][http]") {
  CHECK(cap_max_age("public, max-age=31536000", 100) == "public, max-age=100");
  CHECK(cap_max_age("public, max-age=50", 100) == "public, max-age=50");
  CHECK(cap_max_age("public, max-age=31536000, s-maxage=86400, immutable", 100) ==
        "public, max-age=100, s-maxage=100, immutable");
  CHECK(cap_max_age("Public,Max-Age=999", 7) == "Public, Max-Age=7");
  CHECK(cap_max_age("public", 100) == "public, max-age=100");
  CHECK(cap_max_age("", 100) == "max-age=100");
  CHECK(cap_max_age("max-age=abc", 5) == "max-age=5");
  CHECK(cap_max_age("max-age=\"600\"", 5) == "max-age=5");
  CHECK(cap_max_age("max-age=99999999999999", 5) == "max-age=5");
  CHECK(cap_max_age("no-store", 100) == "no-store");
  CHECK(cap_max_age("public, max-age=10", -3) == "public, max-age=0");
}

TEST_CASE("signing.keys: several named keys; key still works", "[expiry][signing][config]") {
  Config c = keys_config(R"({"signing": {"keys": {"2026-12": "old", "2027-01": "new"}, "required": true}})");
  REQUIRE(c.signing);
  CHECK(c.signing->keys == std::vector<SigningKey>{{"2026-12", "old"}, {"2027-01", "new"}});
  CHECK(keys_config(R"({"signing": {"key": "k"}})").signing->keys == std::vector<SigningKey>{{"default", "k"}});
  auto error = [](std::string_view text) {
    try {
      parse_config(text);
    } catch (const std::invalid_argument &e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  CHECK(error(R"({"signing": {"keys": {}}})") == "config: signing.keys: expected a non-empty object of name: secret");
  CHECK(error(R"({"signing": {"keys": ["a"]}})") == "config: signing.keys: expected a non-empty object of name: secret");
  CHECK(error(R"({"signing": {"keys": {"a": ""}}})") == "config: signing.keys.a: must not be empty");
  CHECK(error(R"({"signing": {"keys": {"a": 5}}})") == "config: signing.keys.a: expected a string, got number");
  CHECK(error(R"({"signing": {"keys": {"a b": "x"}}})") ==
        "config: signing.keys: key name \"a b\" must be 1-64 letters, digits, '-', '_' or '.'");
  CHECK(error(R"({"signing": {"key": "k", "keys": {"a": "x"}}})") == "config: signing.key: give key or keys, not both");
}

TEST_CASE("key rotation: a signature by any configured key verifies", "[expiry][signing]") {
  const Config both = keys_config(R"({"signing": {"keys": {"2026-12": "old", "2027-01": "new"}}})");
  const Config only_new = keys_config(R"({"signing": {"keys": {"2027-01": "new"}}})");
  const std::string qs = "w=400&exp=1800000600";
  const std::string by_old = compute_signature("old", "/a.jpg", qs), by_new = compute_signature("new", "/a.jpg", qs);
  CHECK_NOTHROW(verify_signature("/a.jpg", qs + "&sig=" + by_old, both));
  CHECK_NOTHROW(verify_signature("/a.jpg", qs + "&sig=" + by_new, both));
  CHECK_NOTHROW(verify_signature("/a.jpg", qs + "&sig=" + by_new, only_new));
  CHECK_THROWS_AS(verify_signature("/a.jpg", qs + "&sig=" + by_old, only_new), ApiError);  // the retired key
  CHECK_THROWS_AS(verify_signature("/a.jpg", qs + "&sig=" + compute_signature("other", "/a.jpg", qs), both), ApiError);
  // exp is signed: moving it breaks the signature.
  CHECK_THROWS_AS(verify_signature("/a.jpg", "w=400&exp=1900000000&sig=" + by_old, both), ApiError);
}

TEST_CASE("handler: before exp a 200 cached no longer than exp, from exp a 410", "[expiry][handler]") {
  const Config config = keys_config(R"({"signing": {"keys": {"a": "old", "b": "new"}}, "cacheControl": "public, max-age=31536000"})");
  const Handler handler{config};
  auto signed_qs = [](const std::string &key, const std::string &qs) {
    return qs + "&sig=" + compute_signature(key, "/photos/cat.jpg", qs);
  };
  const std::string qs = "w=200&exp=" + std::to_string(kTestNow + 3600);

  json ok = answer(handler, signed_qs("new", qs), kTestNow);
  REQUIRE(ok["action"] == "respond");
  CHECK(ok["response"]["status"] == "200");
  CHECK(header(ok, "content-type") == "image/jpeg");
  CHECK(header(ok, "cache-control") == "public, max-age=3600");
  CHECK(decode(base64_decode(ok["response"]["body"].get<std::string>())).width() == 200);
  // The origin's own lifetime is cut too; a shorter one stays.
  json origin_long = answer(handler, signed_qs("old", qs), kTestNow + 600, {{"cache-control", "public, max-age=86400"}});
  CHECK(header(origin_long, "cache-control") == "public, max-age=3000");
  json origin_short = answer(handler, signed_qs("old", qs), kTestNow, {{"cache-control", "max-age=60"}});
  CHECK(header(origin_short, "cache-control") == "public, max-age=60");  // the cache rules' form (http/caching.hpp)
  // Without exp nothing changes.
  CHECK(header(answer(handler, signed_qs("old", "w=200"), kTestNow), "cache-control") == "public, max-age=31536000");

  // At and after exp: 410 from plan, before any fetch, with the error TTL.
  for (std::int64_t now : {kTestNow + 3600, kTestNow + 7200}) {
    json gone = json::parse(plan_text(handler, event_text(signed_qs("new", qs)), now));
    REQUIRE(gone["action"] == "respond");
    CHECK(gone["response"]["status"] == "410");
    CHECK(gone["response"]["statusDescription"] == "Gone");
    CHECK(gone["response"]["headers"]["cache-control"][0]["value"] == config.error_cache_control.client);
    json body = json::parse(gone["response"]["body"].get<std::string>());
    CHECK(body["error"]["code"] == "expired");
    CHECK(body["error"]["param"] == "exp");
  }
  // A bad signature is a 403 even once expired (the signature is checked first).
  json forged = json::parse(plan_text(handler, event_text(qs + "&sig=AAAA"), kTestNow + 7200));
  CHECK(forged["response"]["status"] == "403");
  // A hostile exp is a 400 before anything else.
  json hostile = json::parse(plan_text(handler, event_text("w=200&exp=-5"), kTestNow));
  CHECK(hostile["response"]["status"] == "400");
}
