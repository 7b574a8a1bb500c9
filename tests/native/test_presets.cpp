// preset=name and presetsOnly: the config's check at load, the expansion
// (explicit parameters win), the 403 of presetsOnly, and the whole request
// through the handler on a real image.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/canonical.hpp"
#include "api/config.hpp"
#include "api/parse_spec.hpp"
#include "api/presets.hpp"
#include "api/signing.hpp"
#include "handler/handler.hpp"
#include "image_helpers.hpp"
#include "support/text_handler.hpp"
#include "util/base64.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using nlohmann::json;

namespace {

constexpr const char *kPresets = R"({"presets": {"thumb": "w=200&h=200&fit=cover", "wide": "width=640&format=webp&q=70"}})";

TransformSpec spec_for(std::string_view qs, const Config &config) {
  auto spec = parse_spec(apply_preset(collect_params(qs), config), {}, config);
  REQUIRE(spec);
  return *spec;
}

// status + code of the ApiError `qs` gets from apply_preset/parse_spec.
std::string error_of(std::string_view qs, const Config &config) {
  try {
    spec_for(qs, config);
  } catch (const ApiError &e) {
    return std::to_string(e.status) + " " + e.code + " " + e.param.value_or("");
  }
  return "<no error>";
}

json answer(const Handler &handler, const std::string &qs) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  json event = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  event["Records"][0]["cf"]["request"]["querystring"] = qs;
  const Bytes photo = read_fixture("photo-baseline.jpg");
  return json::parse(finish_text(handler, event.dump(), R"({"status":200})", photo));
}

}  // namespace

TEST_CASE("presets: read from the config and checked at load", "[presets][config]") {
  const Config c = parse_config(kPresets);
  CHECK(c.presets.size() == 2);
  CHECK(c.presets.at("thumb") == "w=200&h=200&fit=cover");
  CHECK_FALSE(c.presets_only);
  CHECK(parse_config(R"({"presets": {"a": "w=10"}, "presetsOnly": true})").presets_only);

  CHECK(config_error(R"({"presets": {"a": "w=0"}})") ==
        "config: presets.a: w=0: expected an integer 1..4096");
  CHECK(config_error(R"({"presets": {"a": "w=5000"}, "maxWidth": 4096})") ==
        "config: presets.a: w=5000: expected an integer 1..4096");
  CHECK(config_error(R"({"presets": {"a": "w=300"}, "allowedWidths": [100, 200]})") ==
        "config: presets.a: w=300: not an allowed width (allowed: 100, 200)");
  CHECK(config_error(R"({"presets": {"a": "fit=crop"}})") ==
        "config: presets.a: fit=crop: expected cover, contain, fill, inside or outside");
  CHECK(config_error(R"({"presets": {"a": "w=1&w=2"}})") == "config: presets.a: w: given more than once");
  CHECK(config_error(R"({"presets": {"a": "utm=1"}})") == "config: presets.a: names no URL API parameter");
  CHECK(config_error(R"({"presets": {"a": ""}})") == "config: presets.a: must not be empty");
  CHECK(config_error(R"({"presets": {"a": "preset=b"}, "x": 1})") == "config: x: unknown key");
  CHECK(config_error(R"({"presets": {"a": "preset=b"}})") == "config: presets.a: preset cannot be part of a preset");
  CHECK(config_error(R"({"presets": {"a": "w=1&sig=x"}})") == "config: presets.a: sig cannot be part of a preset");
  CHECK(config_error(R"({"presets": {"a": "w=1&exp=1800000000"}})") == "config: presets.a: exp cannot be part of a preset");
  CHECK(config_error(R"({"presets": {"a": "fm=auto"}})") ==
        "config: presets.a: format=auto cannot be part of a preset (give it in the URL beside preset=)");
  CHECK(config_error(R"({"presets": {"a b": "w=1"}})") ==
        "config: presets: preset name \"a b\" must be 1-64 letters, digits, '-', '_' or '.'");
  CHECK(config_error(R"({"presets": ["w=1"]})") == "config: presets: expected an object of name: query, got array");
  CHECK(config_error(R"({"presets": {"a": 5}})") == "config: presets.a: expected a string, got number");
  CHECK(config_error(R"({"presetsOnly": true})") == "config: presetsOnly: needs presets");
  CHECK(config_error(R"({"presetsOnly": 1, "presets": {"a": "w=1"}})") ==
        "config: presetsOnly: expected true or false, got number");
}

TEST_CASE("preset=: expanded before validation, explicit parameters win", "[presets]") {
  const Config c = parse_config(kPresets);
  const TransformSpec thumb = spec_for("preset=thumb", c);
  CHECK(thumb.width == 200);
  CHECK(thumb.height == 200);
  CHECK(thumb.fit == Fit::Cover);
  const TransformSpec wider = spec_for("preset=thumb&w=300&fit=contain", c);
  CHECK(wider.width == 300);
  CHECK(wider.height == 200);
  CHECK(wider.fit == Fit::Contain);
  const TransformSpec wide = spec_for("preset=wide&q=50&dpr=2", c);
  CHECK(wide.width == 640);
  CHECK(wide.target_width == 1280);
  CHECK(wide.format == RequestedFormat::Webp);
  CHECK(wide.quality == 50);
  // An explicit value is validated like any other.
  CHECK(error_of("preset=thumb&w=0", c) == "400 invalid_parameter w");
  CHECK(error_of("preset=nope", c) == "400 invalid_parameter preset");
  CHECK(error_of("preset=thumb&preset=wide", c) == "400 invalid_parameter preset");
  CHECK(error_of("preset=", c) == "400 invalid_parameter preset");
  CHECK(error_of("preset=thumb", Config{}) == "400 invalid_parameter preset");
  // The canonical query (cache key, signature) is the URL's own: the preset is not expanded into it.
  CHECK(canonical_query(collect_params("w=300&preset=thumb&utm=1"), false) == "preset=thumb&w=300");
}

TEST_CASE("presetsOnly: a preset and nothing but exp and sig, else 403", "[presets]") {
  Config c = parse_config(kPresets);
  c.presets_only = true;
  CHECK(spec_for("preset=thumb", c).width == 200);
  CHECK(spec_for("preset=thumb&exp=1800000600", c).expires == 1'800'000'600);
  CHECK(error_of("w=200", c) == "403 presets_only preset");
  CHECK(error_of("preset=thumb&w=300", c) == "403 presets_only preset");
  CHECK(error_of("preset=thumb&format=auto", c) == "403 presets_only preset");
  CHECK(error_of("exp=1800000600", c) == "403 presets_only preset");
  CHECK(error_of("preset=nope", c) == "400 invalid_parameter preset");
  // No transform at all stays a passthrough (the original, as CloudFront fetches it).
  CHECK_FALSE(parse_spec(apply_preset(collect_params("utm=1"), c), {}, c));
}

TEST_CASE("handler: preset requests end to end, signed as written", "[presets][handler]") {
  const Config c = parse_config(R"({"presets": {"thumb": "w=200&h=120&fit=cover"}, "presetsOnly": true,
                                    "signing": {"key": "secret"}})");
  const Handler handler{c};
  const std::string qs = "preset=thumb";
  json ok = answer(handler, qs + "&sig=" + compute_signature("secret", "/photos/cat.jpg", qs));
  REQUIRE(ok["action"] == "respond");
  REQUIRE(ok["response"]["status"] == "200");
  const vips::VImage image = decode(base64_decode(ok["response"]["body"].get<std::string>()));
  CHECK(image.width() == 200);
  CHECK(image.height() == 120);
  CHECK(ok["log"]["spec"] == "preset=thumb");

  json extra = answer(handler, "preset=thumb&w=300&sig=" + compute_signature("secret", "/photos/cat.jpg", "preset=thumb&w=300"));
  CHECK(extra["response"]["status"] == "403");
  json body = json::parse(extra["response"]["body"].get<std::string>());
  CHECK(body["error"]["code"] == "presets_only");
  CHECK(extra["response"]["headers"]["cache-control"][0]["value"] == c.error_cache_control.client);
  CHECK(answer(handler, "preset=thumb&sig=AAAA")["response"]["status"] == "403");
}
