// Client hints (api/client_hints.hpp): the shared cases the CloudFront
// Function answers too (tests/cases/hints.json), the strict reading of
// x-vips-edge-hints, w/dpr/q=auto in the parser, Save-Data's quality, the
// clientHints config, and the answer through the handler (pixels, headers,
// log, ETag, errors).
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/client_hints.hpp"
#include "api/parse_spec.hpp"
#include "cases.hpp"
#include "handler/handler.hpp"
#include "image_helpers.hpp"
#include "support/text_handler.hpp"
#include "util/base64.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using nlohmann::json;

namespace {

unsigned bits_of(const json &asked) {
  unsigned bits = 0;
  for (const auto &k : asked) bits |= k == "dpr" ? kHintDpr : k == "w" ? kHintWidth : kHintSaveData;
  return bits;
}

cf::Headers headers_of(const json &object) {
  cf::Headers h;
  for (const auto &[name, value] : object.items())
    for (const auto &v : value.is_array() ? value : json::array({value}))
      h.entries[name].push_back(cf::HeaderValue{std::nullopt, v.get<std::string>(), cf::json::object()});
  return h;
}

cf::Headers hints(const std::string &value) { return headers_of({{"x-vips-edge-hints", value}}); }

TransformSpec parse(const std::string &qs, const cf::Headers &headers = {}, const Config &config = {}) {
  auto spec = parse_spec(qs, headers, config);
  REQUIRE(spec);
  return *spec;
}

// The ApiError parse_spec throws for `qs` (status 0: none).
ApiError error_of(const std::string &qs, const cf::Headers &headers = {}, const Config &config = {}) {
  try {
    parse_spec(qs, headers, config);
  } catch (const ApiError &e) {
    return e;
  }
  return ApiError(0, "none", "no error");
}

// The handler's answer for `qs` with request `headers` over the baseline
// photo (800x602), the origin sending an ETag.
json answer(const std::string &qs, const json &headers = json::object(), const Config &config = {}) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  json event = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  json &request = event["Records"][0]["cf"]["request"];
  request["querystring"] = qs;
  for (const auto &[name, value] : headers.items()) request["headers"][name] = json::array({{{"value", value}}});
  const json outcome = {{"status", 200}, {"headers", {{"etag", "\"v1\""}}}};
  return json::parse(finish_text(Handler{config}, event.dump(), outcome.dump(), read_fixture("photo-baseline.jpg")));
}

std::string header(const json &reply, const std::string &name) {
  const json &h = reply["response"]["headers"];
  return h.contains(name) ? h[name][0]["value"].get<std::string>() : "<absent>";
}

vips::VImage image_of(const json &reply) {
  REQUIRE(reply["response"]["status"] == "200");
  return decode(base64_decode(reply["response"]["body"].get<std::string>()));
}

}  // namespace

TEST_CASE("hints_header answers every shared case like the CloudFront Function", "[hints]") {
  const auto table = read_cases("hints.json");
  REQUIRE(table["cases"].size() >= 40);
  for (const auto &c : table["cases"]) {
    INFO(c["why"].get<std::string>() << ": " << c["headers"].dump());
    CHECK(hints_header(bits_of(c["asked"]), headers_of(c["headers"]), ClientHintsConfig{}) == c["hints"]);
  }
}

TEST_CASE("request_hints: x-vips-edge-hints read strictly, the raw hints without it", "[hints]") {
  const Config config;
  const Hints all = request_hints(kHintDpr | kHintWidth | kHintSaveData, hints("dpr=2,w=640,sd=1"), config);
  CHECK(all.dpr == 2);
  CHECK(all.width == 640);
  CHECK(all.save_data);
  CHECK_FALSE(request_hints(kHintWidth, hints("w=none"), config).width);
  CHECK(request_hints(kHintDpr, hints("dpr=1"), config).dpr == 1);
  CHECK_FALSE(request_hints(kHintSaveData, hints("sd=0"), config).save_data);
  // No header (no Function in front): the same rule over the raw hints.
  CHECK(request_hints(kHintWidth, headers_of({{"sec-ch-width", "700"}}), config).width == 768);
  CHECK(request_hints(kHintDpr, headers_of({{"dpr", "1.5"}}), config).dpr == 2);
  // A rung above maxWidth is capped there.
  Config narrow;
  narrow.max_width = 700;
  CHECK(request_hints(kHintWidth, hints("w=2560"), narrow).width == 700);

  const std::vector<std::string> bad_widths = {
      "", "w=700", "w=0768", "w=768 ", " w=768", "w=768,", ",w=768", "W=768", "w=", "w", "w=none,w=none",
        "w=768,sd=1", "sd=1", "dpr=2", "w=-1", "w=768\n", std::string("w=768\0", 6), "w=99999999999999999999",
        "w=" + std::string(100, '9')};
  for (const std::string &bad : bad_widths) {
    INFO("'" << bad << "'");
    try {
      request_hints(kHintWidth, hints(bad), config);
      FAIL("no 400");
    } catch (const ApiError &e) {
      CHECK(e.status == 400);
      CHECK(e.code == "invalid_hints");
    }
  }
  for (const std::string bad : {"dpr=1.5", "dpr=2.0", "dpr=4", "dpr=0", "dpr=auto", "sd=1,dpr=2", "dpr=2;sd=1"}) {
    INFO(bad);
    CHECK_THROWS_AS(request_hints(kHintDpr | kHintSaveData, hints(bad), config), ApiError);
  }
  for (const std::string bad : {"sd=2", "sd=on", "sd=", "sd=01"}) CHECK_THROWS_AS(request_hints(kHintSaveData, hints(bad), config), ApiError);
  // Repeated: a 400 too.
  CHECK_THROWS_AS(request_hints(kHintWidth, headers_of({{"x-vips-edge-hints", {"w=640", "w=640"}}}), config), ApiError);
  // Not asked: the header is not read at all.
  CHECK_NOTHROW(request_hints(0, hints("garbage"), config));
}

TEST_CASE("parse_spec: w, dpr and q take auto; nothing else does", "[hints]") {
  const TransformSpec w = parse("w=auto", hints("w=640"));
  CHECK(w.width == 640);
  CHECK(w.target_width == 640);
  CHECK(w.client_hints == kHintWidth);
  CHECK_FALSE(parse("w=auto").width);  // no hints: the default (no width)
  CHECK_FALSE(parse("w=auto").target_width);
  CHECK(parse("width=auto&h=300", hints("w=1024")).target_height == 300);
  CHECK(parse("w=auto", headers_of({{"sec-ch-viewport-width", "412"}, {"sec-ch-dpr", "2.625"}})).width == 1280);

  const TransformSpec d = parse("w=100&dpr=auto", hints("dpr=3"));
  CHECK(d.dpr == 3);
  CHECK(d.target_width == 300);
  CHECK(d.client_hints == kHintDpr);
  CHECK(parse("w=100&dpr=auto").target_width == 100);

  const TransformSpec q = parse("w=100&q=auto", hints("sd=1"));
  CHECK(q.save_data);
  CHECK_FALSE(q.quality);
  CHECK_FALSE(parse("w=100&q=auto", hints("sd=0")).save_data);
  CHECK_FALSE(parse("w=100&quality=auto").save_data);
  CHECK(parse("w=100").client_hints == 0);

  // w=auto is device pixels: a dpr beside it would multiply them again.
  CHECK(error_of("w=auto&dpr=2", hints("w=640")).param == "dpr");
  CHECK(error_of("w=auto&dpr=auto", hints("dpr=2,w=640")).param == "dpr");
  CHECK(parse("w=auto&dpr=1", hints("w=640")).width == 640);
  // auto only where the table says so, and only spelt so.
  for (const char *qs : {"h=auto", "fit=auto", "blur=auto", "rect=auto", "w=AUTO", "w=auto1", "q=Auto", "dpr=auto2"}) {
    INFO(qs);
    CHECK(error_of(qs).status == 400);
  }
  // A hostile header is a 400 naming it, through the parser.
  const ApiError bad = error_of("w=auto", hints("w=641"));
  CHECK(bad.status == 400);
  CHECK(bad.code == "invalid_hints");
  CHECK(std::string(bad.what()).find("x-vips-edge-hints") != std::string::npos);
  // A rung allowedWidths does not hold is a 400 like any other width.
  Config allowed;
  allowed.allowed_widths = std::vector<int>{100, 640};
  CHECK(parse("w=auto", hints("w=640"), allowed).width == 640);
  CHECK(error_of("w=auto", hints("w=768"), allowed).param == "w");
}

TEST_CASE("save_data_quality: the step off the default, not below qualityFloor", "[hints]") {
  Config c;  // step 20, floor 30
  CHECK(save_data_quality(80, c) == 60);
  CHECK(save_data_quality(50, c) == 30);
  CHECK(save_data_quality(25, c) == 25);  // below the floor already: kept, not raised
  c.client_hints.save_data_quality_step = 0;
  CHECK(save_data_quality(80, c) == 80);
}

TEST_CASE("config clientHints: read strictly", "[hints][config]") {
  const Config c = parse_config(R"({"clientHints": {"widths": [100, 200], "dprs": [1, 1.5, 2.625], "saveDataQualityStep": 10}})");
  CHECK(c.client_hints.widths == std::vector<int>{100, 200});
  CHECK(c.client_hints.dprs == std::vector<double>{1, 1.5, 2.625});
  CHECK(c.client_hints.save_data_quality_step == 10);
  CHECK(parse_config("{}").client_hints == ClientHintsConfig{});
  CHECK(parse_config(R"({"clientHints": {}})").client_hints == ClientHintsConfig{});
  for (const char *bad : {R"({"clientHints": []})", R"({"clientHints": {"widths": []}})",
                          R"({"clientHints": {"widths": [200, 100]}})", R"({"clientHints": {"widths": [100, 100]}})",
                          R"({"clientHints": {"widths": [0]}})", R"({"clientHints": {"widths": [16384]}})",
                          R"({"clientHints": {"widths": ["640"]}})", R"({"clientHints": {"dprs": [0.5]}})",
                          R"({"clientHints": {"dprs": [4.5]}})", R"({"clientHints": {"dprs": [1.2345]}})",
                          R"({"clientHints": {"dprs": [2, 1]}})", R"({"clientHints": {"dprs": "2"}})",
                          R"({"clientHints": {"saveDataQualityStep": 100}})",
                          R"({"clientHints": {"saveDataQualityStep": -1}})", R"({"clientHints": {"width": [1]}})"}) {
    INFO(bad);
    CHECK(config_error(bad).find("clientHints") != std::string::npos);
  }
}

TEST_CASE("hints_vary / hints_accept_ch name exactly what the request used", "[hints]") {
  CHECK(hints_vary(0).empty());
  CHECK(hints_accept_ch(0).empty());
  CHECK(hints_vary(kHintWidth) == "sec-ch-width, width, sec-ch-viewport-width, sec-ch-dpr, dpr");
  CHECK(hints_vary(kHintDpr) == "sec-ch-dpr, dpr");
  CHECK(hints_vary(kHintSaveData) == "save-data");
  CHECK(hints_vary(kHintDpr | kHintSaveData) == "sec-ch-dpr, dpr, save-data");
  CHECK(hints_accept_ch(kHintWidth) == "Sec-CH-DPR, Sec-CH-Width, Sec-CH-Viewport-Width");
  CHECK(hints_accept_ch(kHintDpr) == "Sec-CH-DPR");
  CHECK(hints_accept_ch(kHintSaveData).empty());  // Save-Data is sent unasked
}

TEST_CASE("through the handler: the rung's pixels, Vary/Accept-CH, the folded log and ETag", "[hints][handler]") {
  const json w640 = answer("w=auto", {{"x-vips-edge-hints", "w=640"}});
  CHECK(image_of(w640).width() == 640);
  CHECK(header(w640, "vary") == "sec-ch-width, width, sec-ch-viewport-width, sec-ch-dpr, dpr");
  CHECK(header(w640, "accept-ch") == "Sec-CH-DPR, Sec-CH-Width, Sec-CH-Viewport-Width");
  CHECK(w640["log"]["spec"] == "w=640");
  const json w320 = answer("w=auto", {{"x-vips-edge-hints", "w=320"}});
  CHECK(image_of(w320).width() == 320);
  CHECK(header(w320, "etag") != header(w640, "etag"));  // the folded query is part of the derived ETag

  // A preset's auto: resolved too, and the ETag still tells the rungs apart.
  const Config presets = parse_config(R"({"presets": {"hero": "w=auto&q=auto"}})");
  const json hero640 = answer("preset=hero", {{"x-vips-edge-hints", "w=640,sd=0"}}, presets);
  const json hero320 = answer("preset=hero", {{"x-vips-edge-hints", "w=320,sd=0"}}, presets);
  CHECK(image_of(hero640).width() == 640);
  CHECK(image_of(hero320).width() == 320);
  CHECK(header(hero640, "etag") != header(hero320, "etag"));
  CHECK(header(hero640, "vary") == "sec-ch-width, width, sec-ch-viewport-width, sec-ch-dpr, dpr, save-data");

  // Raw hints without the Function; no hints at all: the source's width.
  CHECK(image_of(answer("w=auto", {{"sec-ch-width", "500"}})).width() == 640);
  const json none = answer("w=auto");
  CHECK(image_of(none).width() == 1600);  // the source's
  CHECK(none["log"]["spec"] == "");  // w=auto without a hint: nothing left to say

  const json dpr = answer("w=200&dpr=auto&format=auto", {{"x-vips-edge-hints", "dpr=2"}, {"x-vips-edge-accept", "webp"}});
  CHECK(image_of(dpr).width() == 400);
  CHECK(header(dpr, "vary") == "accept, sec-ch-dpr, dpr");
  CHECK(header(dpr, "accept-ch") == "Sec-CH-DPR");
  CHECK(dpr["log"]["spec"] == "w=200&dpr=2&format=auto");

  const json saver = answer("w=400&q=auto", {{"x-vips-edge-hints", "sd=1"}});
  const json normal = answer("w=400&q=auto", {{"x-vips-edge-hints", "sd=0"}});
  CHECK(saver["log"]["quality"] == Config{}.jpeg_quality - 20);
  CHECK(normal["log"]["quality"] == Config{}.jpeg_quality);
  CHECK(saver["response"]["body"].get<std::string>().size() < normal["response"]["body"].get<std::string>().size());
  CHECK(header(saver, "vary") == "save-data");
  CHECK(header(saver, "accept-ch") == "<absent>");
  CHECK(saver["log"]["spec"] == "w=400&q=auto-20");
  CHECK(normal["log"]["spec"] == "w=400");
  CHECK(header(saver, "etag") != header(normal, "etag"));

  // Without auto: neither header, whatever hints the viewer sent.
  const json plain = answer("w=400", {{"sec-ch-width", "700"}, {"save-data", "on"}, {"x-vips-edge-hints", "w=640"}});
  CHECK(image_of(plain).width() == 400);
  CHECK(header(plain, "vary") == "<absent>");
  CHECK(header(plain, "accept-ch") == "<absent>");

  // A hostile header: the JSON 400 with the error TTL.
  for (const char *bad : {"w=641", "w=640,sd=1", "w=%00", "dpr=2", "w=640;drop"}) {
    INFO(bad);
    const json r = answer("w=auto", {{"x-vips-edge-hints", bad}});
    CHECK(r["response"]["status"] == "400");
    CHECK(json::parse(r["response"]["body"].get<std::string>())["error"]["code"] == "invalid_hints");
    CHECK(header(r, "cache-control") == Config{}.error_cache_control.client);
    CHECK(header(r, "vary") == "<absent>");
  }
}
