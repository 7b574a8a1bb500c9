// The work budget (image/work_budget.hpp): its config keys, its arithmetic,
// and its 422 over_budget through the real entry point, before any decode.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/config.hpp"
#include "api/parse_spec.hpp"
#include "handler/handler.hpp"
#include "support/raw_source.hpp"
#include "support/text_handler.hpp"
#include "image/work_budget.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using vips_edge::test::config_error;
using nlohmann::json;

namespace {

TransformSpec spec_of(const std::string &query, const Config &config = {}) {
  auto spec = parse_spec(query, {}, config);
  REQUIRE(spec);
  return *spec;
}

// The bench's 8 MP photo's shape (3264x2448), opaque.
const SourceShape k8mp{3264, 2448, false, 1, false};

ApiError refusal(const std::string &query, const SourceShape &source = k8mp, const Config &config = {},
                 ImageFormat source_format = ImageFormat::Jpeg) {
  return test::api_error_of([&] { enforce_work_budget(spec_of(query, config), source, source_format, config); });
}

std::string event_with(const std::string &query) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  json event = json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  event["Records"][0]["cf"]["request"]["querystring"] = query;
  return event.dump();
}

}  // namespace

TEST_CASE("budget keys: defaults, read, and errors naming the key", "[budget][config]") {
  const Config d = parse_config("{}");
  CHECK(d.max_filter_work == 40'000'000);
  CHECK(d.max_smart_crop_pixels == 4'000'000);
  CHECK(d.max_trim_pixels == 20'000'000);
  CHECK(d.max_avif_pixels == 2'500'000);
  CHECK(d.max_working_memory == 136ull << 20);
  CHECK(d.memory_limit_mb == 0);
  const Config c = parse_config(R"({"maxFilterWork": 1, "maxSmartCropPixels": 2, "maxTrimPixels": 3,
                                    "maxAvifPixels": 4, "maxWorkingMemory": 33554432})");
  CHECK(c.max_filter_work == 1);
  CHECK(c.max_smart_crop_pixels == 2);
  CHECK(c.max_trim_pixels == 3);
  CHECK(c.max_avif_pixels == 4);
  CHECK(c.max_working_memory == 32ull << 20);
  CHECK_THAT(config_error(R"({"maxFilterWork": -1})"), Catch::Contains("maxFilterWork"));
  CHECK_THAT(config_error(R"({"maxSmartCropPixels": "4"})"), Catch::Contains("maxSmartCropPixels"));
  CHECK_THAT(config_error(R"({"maxTrimPixels": 1.5})"), Catch::Contains("maxTrimPixels"));
  CHECK_THAT(config_error(R"({"maxAvifPixels": true})"), Catch::Contains("maxAvifPixels"));
  CHECK_THAT(config_error(R"({"maxWorkingMemory": 1000})"), Catch::Contains("maxWorkingMemory"));
  CHECK_THAT(config_error(R"({"memoryLimitMb": 128})"), Catch::Contains("memoryLimitMb: unknown key"));
}

TEST_CASE("the estimate follows thumbnail's geometry", "[budget]") {
  SECTION("fill enlarged: the box") {
    const WorkEstimate e = estimate_work(spec_of("w=4096&h=4096&fit=fill&enlarge=1&sharpen=10"), k8mp, ImageFormat::Jpeg, Config{});
    CHECK(e.width == 4096);
    CHECK(e.height == 4096);
    CHECK(e.filter_work == Approx(4096.0 * 4096 * (4 + 10)));
    CHECK(e.search_pixels == 0);
    CHECK(e.whole_pixels == 0);
  }
  SECTION("inside, shrunk: the aspect kept") {
    const WorkEstimate e = estimate_work(spec_of("w=800"), k8mp, ImageFormat::Jpeg, Config{});
    CHECK(e.width == 800);
    CHECK(e.height == 600);
    CHECK(e.filter_work == 0);
  }
  SECTION("a smart crop searches the covering image") {
    const WorkEstimate e = estimate_work(spec_of("w=4096&h=4096&pos=attention&enlarge=1"), k8mp, ImageFormat::Jpeg, Config{});
    CHECK(e.width == 4096);
    CHECK(e.height == 4096);
    CHECK(e.search_pixels == 5461ull * 4096);
  }
  SECTION("without enlarge a cover is at most the source") {
    const WorkEstimate e = estimate_work(spec_of("w=4096&h=4096&pos=entropy"), k8mp, ImageFormat::Jpeg, Config{});
    CHECK(e.search_pixels == 3264ull * 2448);
    CHECK(e.width == 3264);  // the box is larger than the source on both sides: nothing to crop
    CHECK(e.height == 2448);
  }
  SECTION("rot turns the box back") {
    const WorkEstimate e = estimate_work(spec_of("w=600&h=800&fit=fill&rot=90"), k8mp, ImageFormat::Jpeg, Config{});
    CHECK(e.width == 800);
    CHECK(e.height == 600);
  }
  SECTION("rect: the part; trim searches it whole") {
    const WorkEstimate e = estimate_work(spec_of("rect=0,0,1000,500&trim=10"), k8mp, ImageFormat::Jpeg, Config{});
    CHECK(e.width == 1000);
    CHECK(e.height == 500);
    CHECK(e.trim_pixels == 500'000);
    CHECK(e.whole_pixels == 3264ull * 2448);  // rect decodes the whole source
  }
  SECTION("contain pads to the box; blur runs on the image inside") {
    const WorkEstimate e = estimate_work(spec_of("w=1000&h=1000&fit=contain&blur=2"), k8mp, ImageFormat::Jpeg, Config{});
    CHECK(e.width == 1000);
    CHECK(e.height == 1000);
    CHECK(e.filter_work == Approx(1000.0 * 750 * 2));
  }
  SECTION("a large blur costs as sigma 8") {
    const WorkEstimate e = estimate_work(spec_of("w=1000&blur=100"), k8mp, ImageFormat::Jpeg, Config{});
    CHECK(e.filter_work == Approx(1000.0 * 750 * 8));
  }
  SECTION("an animation counts every frame") {
    const WorkEstimate e = estimate_work(spec_of("w=240&sharpen=1"), SourceShape{480, 270, false, 60, false}, ImageFormat::Gif, Config{});
    CHECK(e.output_pixels == 240ull * 135 * 60);
    CHECK(e.filter_work == Approx(240.0 * 135 * 60 * (4 + 1)));
  }
}

TEST_CASE("the issue's four requests are over the default budget", "[budget]") {
  ApiError e = refusal("w=4096&h=4096&fit=fill&enlarge=1&sharpen=10&format=webp&q=100");
  CHECK(e.status == 422);
  CHECK(e.code == "over_budget");
  CHECK(e.param == "sharpen");
  CHECK_THAT(e.what(), Catch::Contains("maxFilterWork"));

  e = refusal("w=4096&h=4096&fit=fill&enlarge=1&blur=100&format=png");
  CHECK(e.code == "over_budget");
  CHECK(e.param == "blur");

  e = refusal("w=4096&h=4096&fit=cover&pos=attention&enlarge=1&format=jpeg&q=100");
  CHECK(e.code == "over_budget");
  CHECK(e.param == "pos");
  CHECK_THAT(e.what(), Catch::Contains("maxSmartCropPixels"));

  e = refusal("w=4096&enlarge=1&trim=1&format=avif");
  CHECK(e.code == "over_budget");
  CHECK(e.param == "format");
  CHECK_THAT(e.what(), Catch::Contains("maxAvifPixels"));
}

TEST_CASE("ordinary requests are within the default budget", "[budget]") {
  for (const char *query : {"w=800", "w=400&format=webp", "w=200&h=200", "w=1600&sharpen=1", "w=1200&blur=20",
                            "w=800&h=600&pos=attention", "w=1000&trim=10", "w=1200&format=avif",
                            "w=4096&h=4096&fit=fill&enlarge=1&format=jpeg", "rect=0,0,2000,2000&w=500"}) {
    INFO(query);
    CHECK(refusal(query).code == "no_error");
  }
  // 50 MP (maxInputPixels) resized by shrink-on-load: fine.
  CHECK(refusal("w=1000", SourceShape{8660, 5773, false, 1, false}).code == "no_error");
}

TEST_CASE("memory: the whole-source paths and the function's memory", "[budget]") {
  const SourceShape big{8660, 5773, true, 1, false};  // 50 MP with alpha
  // trim decodes the whole source (8 bytes a pixel with its copy): over maxWorkingMemory.
  ApiError e = refusal("w=1000&trim=5", big, [] {
    Config c;
    c.max_trim_pixels = 100'000'000;
    return c;
  }());
  CHECK(e.code == "over_budget");
  CHECK_FALSE(e.param);
  CHECK_THAT(e.what(), Catch::Contains("maxWorkingMemory"));
  // The largest WebP: libwebp's ARGB + YUV copies on top of the output.
  e = refusal("w=4096&h=4096&fit=fill&enlarge=1&format=webp");
  CHECK(e.code == "over_budget");
  CHECK_THAT(e.what(), Catch::Contains("maxWorkingMemory"));
  // A small function: what fits the default budget is refused when the function's memory cannot hold it.
  Config small;
  small.memory_limit_mb = 192;
  CHECK(refusal("w=1000", k8mp, small).code == "no_error");
  CHECK(refusal("w=3500&h=3500&fit=fill&enlarge=1&format=jpeg").code == "no_error");
  e = refusal("w=3500&h=3500&fit=fill&enlarge=1&format=jpeg", k8mp, small);
  CHECK(e.code == "over_budget");
  CHECK_THAT(e.what(), Catch::Contains("the function has 192 MB"));
}

TEST_CASE("memory: a PNG's IDAT stream inflated whole counts while it is under 16 MiB", "[budget]") {
  const Config config;
  const auto memory = [&](const SourceShape &source, ImageFormat format) {
    return estimate_work(spec_of("w=400"), source, format, config).memory_bytes;
  };
  // The bench's PNG α: 1200 rows of a filter byte and 1920 RGBA pixels (9,217,200 bytes) held while the
  // small output is made; the same request from a JPEG peaks on less than that output's encode.
  const SourceShape alpha{1920, 1200, true, 1, false};
  const std::uint64_t added = memory(alpha, ImageFormat::Png) - memory(alpha, ImageFormat::Jpeg);
  CHECK(added > 8'500'000);
  CHECK(added <= 1200 * (1 + 1920 * 4));
  // The IDAT stream gathered for it counts too: at most the file (the bench's is 1,543,704 bytes).
  const SourceShape alpha_file{1920, 1200, true, 1, false, 1'543'704};
  CHECK(memory(alpha_file, ImageFormat::Png) - memory(alpha_file, ImageFormat::Jpeg) == added + 1'543'704);
  // 8 MP RGB needs 23 MiB of scanlines: libspng streams it, nothing is added.
  CHECK(memory(k8mp, ImageFormat::Png) == memory(k8mp, ImageFormat::Jpeg));
  // Decoded by the codec module already (decoded_whole): no PNG decode at all.
  const SourceShape decoded{1920, 1200, true, 1, true};
  CHECK(memory(decoded, ImageFormat::Png) == memory(decoded, ImageFormat::Jpeg));
}

TEST_CASE("AVIF: format=avif and an AVIF source kept; format=auto has its own limit", "[budget]") {
  CHECK(refusal("w=1800", k8mp, {}, ImageFormat::Avif).code == "no_error");           // 1800x1350: under 2.5 MP
  CHECK(refusal("w=1900", k8mp, {}, ImageFormat::Avif).param == "format");            // 1900x1425: 2.7 MP
  CHECK(refusal("w=3000", k8mp, {}, ImageFormat::Avif).param == "format");            // kept AVIF, 6.7 MP
  CHECK(refusal("w=3000&format=jpeg", k8mp, {}, ImageFormat::Avif).code == "no_error");
  CHECK(refusal("w=3000&format=auto").code == "no_error");
}

TEST_CASE("over budget through the handler: a 422 JSON error with the error TTL, before decoding", "[budget]") {
  Handler handler{Config{}};
  // Only the header is read: a 60000x60000... no: a real header of a huge-but-allowed image.
  const test::Bytes source = test::read_fixture("photo-baseline.jpg");  // 1600x1203
  const json result = json::parse(test::finish_text(handler, event_with("w=4096&h=4096&fit=fill&enlarge=1&sharpen=10"),
                                                 R"({"status":200,"headers":{}})", source));
  REQUIRE(result["action"] == "respond");
  const json &response = result["response"];
  CHECK(response["status"] == "422");
  CHECK(response["headers"]["cache-control"][0]["value"] == "public, max-age=10");
  const json error = json::parse(response["body"].get<std::string>())["error"];
  CHECK(error["code"] == "over_budget");
  CHECK(error["param"] == "sharpen");
  CHECK(result["log"]["code"] == "over_budget");
}

TEST_CASE("the trigger's memoryLimitMb reaches the budget", "[budget]") {
  Handler handler{Config{}};
  const test::Bytes source = test::read_fixture("photo-baseline.jpg");
  const std::string event = event_with("w=3500&h=3500&fit=fill&enlarge=1");
  json result = json::parse(test::finish_text(handler, event, R"({"status":200,"headers":{},"memoryLimitMb":192})", source));
  REQUIRE(result["action"] == "respond");
  CHECK(result["response"]["status"] == "422");
  CHECK_THAT(result["log"]["message"].get<std::string>(), Catch::Contains("the function has 192 MB"));
  // Without it, or with a large function, the same request is served.
  result = json::parse(test::finish_text(handler, event, R"({"status":200,"headers":{},"memoryLimitMb":1769})", source));
  CHECK(result["response"]["status"] == "200");
}
