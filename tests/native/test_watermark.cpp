// wm=name (image/watermark.hpp, handler/watermarks.hpp): the config and URL
// checks, the overlay's place, size, opacity and alpha on real outputs, and
// the handler fetching the overlay once per container.
// The overlay is fixtures/images/logo-alpha.png: 64x32, a 4 px transparent
// border around a 56x24 block of (0,160,255), its left half opaque, its
// right half alpha 128. The base is split-left-red-right-blue.png (400x200).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "api/parse_spec.hpp"
#include "handler/handler.hpp"
#include "image/watermark.hpp"
#include "image/work_budget.hpp"
#include "image_helpers.hpp"
#include "support/response_body.hpp"
#include "support/text_handler.hpp"
#include "util/base64.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using vips::VImage;

namespace {

const char *kConfig = R"({"watermarks": {
  "logo": {"path": "/brand/logo.png", "gravity": "southeast", "margin": 10, "size": 0.32},
  "corner": {"file": "logo.png", "gravity": "northwest", "margin": 0, "size": 0.32},
  "middle": {"file": "logo.png", "gravity": "center", "margin": 0, "size": 0.32, "opacity": 0.5}}})";

const Config &config() {
  static const Config c = parse_config(kConfig);
  return c;
}

std::shared_ptr<const std::vector<std::uint8_t>> logo() {
  static const auto bytes = std::make_shared<const std::vector<std::uint8_t>>(read_fixture("logo-alpha.png"));
  return bytes;
}

// The spec of `query` with the logo attached, as the handler attaches it.
TransformSpec wm_spec(const std::string &query) {
  auto spec = parse_spec(query, {}, config());
  REQUIRE(spec);
  if (spec->watermark) spec->watermark->overlay = logo();
  return *spec;
}

Output render_split(const std::string &query, const std::string &fixture = "split-left-red-right-blue.png") {
  return run(read_fixture(fixture), wm_spec(query), config());
}

// Pixel (x, y)'s first three bands within `tolerance` of rgb.
void check_rgb(const VImage &image, int x, int y, std::array<double, 3> rgb, double tolerance = 2) {
  const std::vector<double> p = image.getpoint(x, y);
  INFO("pixel " << x << "," << y << ": " << p[0] << " " << p[1] << " " << p[2]);
  for (int b = 0; b < 3; ++b) CHECK(std::abs(p[static_cast<std::size_t>(b)] - rgb[static_cast<std::size_t>(b)]) <= tolerance);
}

constexpr std::array<double, 3> kRed{255, 0, 0}, kBlue{0, 0, 255}, kLogo{0, 160, 255};
// The logo's half-transparent half (alpha 128) over blue and over red.
constexpr std::array<double, 3> kHalfOnBlue{0, 80, 255}, kHalfOnRed{127, 80, 128};

}  // namespace

TEST_CASE("watermarks config: validated strictly, naming the key", "[watermark][config]") {
  const Config c = parse_config(kConfig);
  REQUIRE(c.watermarks.size() == 3);
  CHECK(c.watermarks.at("logo").path == "/brand/logo.png");
  CHECK(c.watermarks.at("logo").gravity == Gravity::SouthEast);
  CHECK(c.watermarks.at("corner").file == "logo.png");
  CHECK(c.watermarks.at("middle").opacity == 0.5);
  const WatermarkConfig defaults = parse_config(R"({"watermarks": {"a": {"file": "a.png"}}})").watermarks.at("a");
  CHECK(defaults.gravity == Gravity::SouthEast);
  CHECK(defaults.margin == 16);
  CHECK(defaults.size == 0.2);
  CHECK(defaults.opacity == 1.0);

  using Catch::Matchers::Contains;
  CHECK_THAT(config_error(R"({"watermarks": []})"), Contains("watermarks: expected an object"));
  CHECK_THAT(config_error(R"({"watermarks": {"a b": {"file": "a.png"}}})"), Contains("watermark name \"a b\""));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {}}})"), Contains("watermarks.a: needs exactly one of"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"path": "/a.png", "file": "a.png"}}})"),
             Contains("watermarks.a: needs exactly one of"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"file": "../a.png"}}})"), Contains("watermarks.a.file: must be a plain"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"path": "a.png"}}})"), Contains("watermarks.a.path: must start with '/'"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"file": "a.png", "gravity": "attention"}}})"),
             Contains("watermarks.a.gravity: expected center, north"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"file": "a.png", "margin": -1}}})"),
             Contains("watermarks.a.margin: must be between 0 and 1000"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"file": "a.png", "size": 0}}})"),
             Contains("watermarks.a.size: must be between 0.01 and 1"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"file": "a.png", "size": "big"}}})"),
             Contains("watermarks.a.size: expected a number"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"file": "a.png", "opacity": 1.5}}})"),
             Contains("watermarks.a.opacity: must be between 0 and 1"));
  CHECK_THAT(config_error(R"({"watermarks": {"a": {"file": "a.png", "alpha": 1}}})"), Contains("watermarks.a.alpha: unknown key"));
}

TEST_CASE("wm, wms, wmo: the config's placement, overridden by the URL; bad values are 400s naming them", "[watermark][params]") {
  const auto spec = parse_spec("w=200&wm=logo&wms=0.5&wmo=0.25", {}, config());
  REQUIRE(spec);
  REQUIRE(spec->watermark);
  CHECK(spec->watermark->name == "logo");
  CHECK(spec->watermark->gravity == Gravity::SouthEast);
  CHECK(spec->watermark->margin == 10);
  CHECK(spec->watermark->size == 0.5);
  CHECK(spec->watermark->opacity == 0.25);
  CHECK(spec->watermark->overlay == nullptr);
  const auto plain = parse_spec("wm=middle", {}, config());
  REQUIRE(plain);
  CHECK(plain->watermark->size == 0.32);
  CHECK(plain->watermark->opacity == 0.5);
  CHECK_FALSE(parse_spec("w=200", {}, config())->watermark);

  struct Case {
    const char *query;
    const char *param;
  };
  for (const Case &c : {Case{"wm=nope", "wm"}, Case{"wm=", "wm"}, Case{"wm=logo&wm=logo", "wm"}, Case{"wms=0.5", "wms"},
                        Case{"w=10&wmo=0.5", "wmo"}, Case{"wm=logo&wms=0", "wms"}, Case{"wm=logo&wms=1.01", "wms"},
                        Case{"wm=logo&wmo=2", "wmo"}, Case{"wm=logo&wmo=-0.5", "wmo"}}) {
    INFO(c.query);
    const ApiError e = api_error_of([&] { parse_spec(c.query, {}, config()); });
    CHECK(e.status == 400);
    CHECK(e.param == c.param);
  }
  // Without any watermark configured, every name is unknown.
  CHECK(api_error_of([] { parse_spec("wm=logo", {}, Config{}); }).param == "wm");
}

TEST_CASE("the overlay sits at gravity + margin, at its size, its alpha composited over the image", "[watermark][pipeline]") {
  // w=200: a 200x100 PNG, left red, right blue; size 0.32 = 64 px, the logo's own size.
  const Output out = render_split("w=200&format=png&wm=logo");
  REQUIRE(out.image.width() == 200);
  REQUIRE(out.image.height() == 100);
  CHECK(out.image.bands() == 3);  // an opaque image stays opaque
  const int x = 200 - 64 - 10, y = 100 - 32 - 10;  // southeast, margin 10
  check_rgb(out.image, x + 10, y + 10, kLogo);        // the opaque half
  check_rgb(out.image, x + 45, y + 20, kHalfOnBlue);  // alpha 128 over blue
  check_rgb(out.image, x + 1, y + 1, kBlue);          // the transparent border shows the image
  check_rgb(out.image, x - 2, y + 10, kBlue);         // beside it, untouched
  check_rgb(out.image, 190, 95, kBlue);               // the margin
  check_rgb(out.image, 10, 10, kRed);

  const Output corner = render_split("w=200&format=png&wm=corner");
  check_rgb(corner.image, 10, 10, kLogo);  // northwest, margin 0: the block starts at 4,4
  check_rgb(corner.image, 2, 2, kRed);
  check_rgb(corner.image, 45, 20, kHalfOnRed);
  check_rgb(corner.image, 190, 95, kBlue);
}

TEST_CASE("opacity multiplies the overlay's alpha (config and wmo)", "[watermark][pipeline]") {
  // center: the logo at (68, 34); its opaque half at half opacity over red.
  const Output half = render_split("w=200&format=png&wm=middle");
  check_rgb(half.image, 68 + 10, 34 + 10, kHalfOnRed);
  const Output quarter = render_split("w=200&format=png&wm=corner&wmo=0.25");
  check_rgb(quarter.image, 10, 10, {191, 40, 64}, 3);  // 25 % of (0,160,255) over red
  const Output none = render_split("w=200&format=png&wm=corner&wmo=0");
  check_rgb(none.image, 10, 10, kRed);
}

TEST_CASE("wms: the overlay's width as a fraction of the output's, never larger than the output", "[watermark][pipeline]") {
  // 400 px wide, wms=0.5: the logo scaled to 200x100 at the top-left corner.
  const Output big = render_split("w=400&format=png&wm=corner&wms=0.5");
  REQUIRE(big.image.width() == 400);
  check_rgb(big.image, 50, 50, kLogo);
  check_rgb(big.image, 150, 50, kHalfOnRed);
  check_rgb(big.image, 2, 2, kRed);      // the border, scaled to 12.5 px
  check_rgb(big.image, 215, 50, kBlue);  // past its 200 px
  // A 400x10 strip: wms=1 asks for 400 px, the height allows 20x10.
  const Output strip = render_split("w=400&h=10&fit=fill&format=png&wm=corner&wms=1");
  REQUIRE(strip.image.height() == 10);
  check_rgb(strip.image, 5, 5, kLogo, 40);
  check_rgb(strip.image, 30, 5, kRed);
}

TEST_CASE("JPEG output is flattened after compositing; an output with alpha keeps its transparency", "[watermark][pipeline]") {
  const Output jpeg = render_split("w=200&format=jpeg&q=95&wm=corner");
  CHECK(jpeg.image.bands() == 3);
  check_rgb(jpeg.image, 12, 12, kLogo, 12);
  check_rgb(jpeg.image, 150, 60, kBlue, 12);

  // alpha-half-transparent.png: left half alpha 0. At 200x150 the logo covers 4..60 x 4..28.
  const Output alpha = render_split("w=200&format=png&wm=corner", "alpha-half-transparent.png");
  REQUIRE(alpha.image.bands() == 4);
  CHECK(channel(alpha.image, 10, 10, 3) == 255);  // the opaque half: opaque
  check_rgb(alpha.image, 10, 10, kLogo);
  CHECK(std::abs(channel(alpha.image, 45, 20, 3) - 128) <= 1);  // alpha 128 over nothing stays 128
  check_rgb(alpha.image, 45, 20, kLogo);                         // ... and keeps its colour (premultiplied right)
  CHECK(channel(alpha.image, 2, 2, 3) == 0);                     // the logo's border over nothing
  CHECK(channel(alpha.image, 80, 100, 3) == 0);                  // the image's own transparency
  CHECK(channel(alpha.image, 150, 100, 3) == 255);
}

TEST_CASE("the overlay is placed on the output as seen: after rot, flip and padding", "[watermark][pipeline]") {
  // rot=90: 100x200; the logo upright at the top-left, its opaque half on the left.
  const Output rotated = render_split("w=100&rot=90&format=png&wm=corner&wms=0.64");
  REQUIRE(rotated.image.width() == 100);
  check_rgb(rotated.image, 10, 10, kLogo);
  check_rgb(rotated.image, 45, 20, kHalfOnRed);  // rot=90 puts the red half on top
  // contain's padding belongs to the output: northwest is its corner.
  const Output padded = render_split("w=200&h=200&fit=contain&bg=00ff00&format=png&wm=corner");
  check_rgb(padded.image, 10, 10, kLogo);
  check_rgb(padded.image, 45, 20, {0, 207, 128}, 3);  // alpha 128 over the green padding
}

TEST_CASE("an animation is watermarked in every frame", "[watermark][pipeline][animation]") {
  // animated-red-blue.gif: 40x30, red then blue. wms=1: the logo at 40x20, top-left.
  const Output out = render_split("format=webp&q=100&wm=corner&wms=1", "animated-red-blue.gif");
  const Bytes &bytes = out.encoded.bytes;
  const VImage frames = VImage::new_from_buffer(bytes.data(), bytes.size(), "n=-1").copy_memory();
  REQUIRE(frames.height() == 60);
  check_rgb(frames, 8, 8, kLogo, 24);       // frame 1
  check_rgb(frames, 8, 30 + 8, kLogo, 24);  // frame 2
  check_rgb(frames, 20, 25, kRed, 24);
  check_rgb(frames, 20, 30 + 25, kBlue, 24);
}

TEST_CASE("the work budget counts the overlay and the composited frame", "[watermark][budget]") {
  const SourceShape photo{3264, 2448, false, 1, false};
  auto memory = [&](const std::string &query) {
    return estimate_work(*parse_spec(query, {}, config()), photo, ImageFormat::Jpeg, config()).memory_bytes;
  };
  // 3500 x 2625 output (the finish phase is the peak): two RGBA frames more.
  CHECK(memory("w=3500&enlarge=1&wm=logo") - memory("w=3500&enlarge=1") == 2ull * 3500 * 2625 * 4);
  CHECK(api_error_of([&] {
          enforce_work_budget(*parse_spec("w=4096&h=4096&fit=fill&enlarge=1&format=jpeg&wm=logo", {}, config()), photo,
                              ImageFormat::Jpeg, config());
        }).code == "over_budget");
  CHECK_NOTHROW(enforce_work_budget(*parse_spec("w=4096&h=4096&fit=fill&enlarge=1&format=jpeg", {}, config()), photo,
                                    ImageFormat::Jpeg, config()));
}

TEST_CASE("check_overlay: only a decodable image within the limits is kept", "[watermark][errors]") {
  CHECK_NOTHROW(check_overlay(*logo(), Config{}));
  auto refused = [](const Bytes &bytes, const Config &c = {}) {
    const ApiError e = api_error_of([&] { check_overlay(bytes, c); });
    CHECK(e.status == 500);
    CHECK(e.code == "watermark_unavailable");
    return std::string(e.what());
  };
  using Catch::Matchers::Contains;
  CHECK_THAT(refused(read_fixture("not-an-image.html")), Contains("not an image"));
  CHECK_THAT(refused(read_fixture("photo.avif")), Contains("must be PNG, WebP, JPEG or GIF"));
  CHECK_THAT(refused(read_fixture("photo-truncated.jpg")), Contains("cannot decode the overlay"));
  CHECK_THAT(refused(make_huge_header_png(2000, 1001)), Contains("more than 2000000 pixels"));
  Config tiny;
  tiny.max_input_bytes = 100;
  CHECK_THAT(refused(*logo(), tiny), Contains("maxInputBytes"));
  // An overlay the handler never attached: the same clear error, not a crash.
  TransformSpec spec = *parse_spec("w=20&wm=corner", {}, config());
  CHECK(api_error_of([&] { run(read_fixture("split-left-red-right-blue.png"), spec, config()); }).code ==
        "watermark_unavailable");
}

namespace {

std::string event_for(const std::string &uri, const std::string &query) {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  nlohmann::json event = nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  event["Records"][0]["cf"]["request"]["uri"] = uri;
  event["Records"][0]["cf"]["request"]["querystring"] = query;
  return event.dump();
}

const msg::Fetch &as_fetch(const msg::PlanReply &reply) {
  REQUIRE(std::holds_alternative<msg::Fetch>(reply));
  return std::get<msg::Fetch>(reply);
}

// The Fetch a plan answers, its job kept as the wasm ABI keeps it.
msg::Fetch plan(const Handler &handler, const std::string &event) {
  Prepared prepared = handler.prepare(event, kTestNow);
  REQUIRE(std::holds_alternative<Job>(prepared));
  const std::uint32_t handle = handler.keep(std::get<Job>(prepared));
  return as_fetch(plan_reply(std::move(prepared), handle));
}

msg::FinishReply finish(const Handler &handler, const msg::Fetch &fetch, int status, const Bytes &bytes) {
  std::optional<Job> job = handler.take_job(fetch.job);
  REQUIRE(job);
  return with_body(handler.finish(*job, msg::OriginAnswered{status, {}, std::nullopt}, bytes));
}

std::string url_of(const msg::Fetch &fetch) {
  REQUIRE(std::holds_alternative<HttpTarget>(fetch.origin));
  return std::get<HttpTarget>(fetch.origin).url;
}

const cf::Response &response_of(const msg::FinishReply &reply) {
  REQUIRE(std::holds_alternative<msg::Respond>(reply));
  return std::get<msg::Respond>(reply).response;
}

VImage image_of(const cf::Response &r) {
  REQUIRE(r.body);
  const auto bytes = base64_decode(*r.body);
  return decode(Bytes(bytes.begin(), bytes.end()));
}

}  // namespace

TEST_CASE("handler: the overlay is fetched once, before the first source, then kept", "[watermark][handler]") {
  const Handler handler{parse_config(kConfig)};
  const Bytes source = read_fixture("split-left-red-right-blue.png");
  const msg::Fetch overlay = plan(handler, event_for("/a.png", "w=200&format=png&wm=logo"));
  CHECK(overlay.log.outcome == "watermark");
  CHECK_THAT(url_of(overlay), Catch::Matchers::EndsWith("/brand/logo.png"));
  const msg::FinishReply next = finish(handler, overlay, 200, *logo());
  REQUIRE(std::holds_alternative<msg::Fetch>(next));
  const msg::Fetch &source_fetch = std::get<msg::Fetch>(next);
  CHECK_THAT(url_of(source_fetch), Catch::Matchers::EndsWith("/a.png"));
  const msg::FinishReply reply = finish(handler, source_fetch, 200, source);
  const cf::Response &first = response_of(reply);
  CHECK(first.status == "200");
  check_rgb(image_of(first), 126 + 10, 58 + 10, kLogo);

  // Every later request, any size, fetches its source only.
  for (const char *query : {"w=200&format=png&wm=logo", "w=100&format=png&wm=logo&wms=0.5"}) {
    const msg::Fetch direct = plan(handler, event_for("/b.png", query));
    CHECK(direct.log.outcome == "fetch");
    CHECK_THAT(url_of(direct), Catch::Matchers::EndsWith("/b.png"));
    CHECK(response_of(finish(handler, direct, 200, source)).status == "200");
  }
  CHECK(handler.pending_count() == 0);
}

TEST_CASE("handler: a bundled overlay is read from the package; a fallback image is watermarked too", "[watermark][handler]") {
  const Handler handler{parse_config(std::string(R"({"fallback": {"file": "missing.png", "status": 200},)") +
                                     std::string(kConfig).substr(1))};
  const msg::Fetch overlay = plan(handler, event_for("/gone.png", "w=200&format=png&wm=corner"));
  REQUIRE(std::holds_alternative<FileTarget>(overlay.origin));
  CHECK(std::get<FileTarget>(overlay.origin).file == "logo.png");
  const msg::FinishReply source = finish(handler, overlay, 200, *logo());
  const msg::FinishReply fallback = finish(handler, std::get<msg::Fetch>(source), 404, {});
  REQUIRE(std::holds_alternative<msg::Fetch>(fallback));
  const msg::FinishReply reply =
      finish(handler, std::get<msg::Fetch>(fallback), 200, read_fixture("split-left-red-right-blue.png"));
  const cf::Response &r = response_of(reply);
  CHECK(r.status == "200");
  check_rgb(image_of(r), 10, 10, kLogo);
}

TEST_CASE("handler: a missing or bad overlay is a 500 watermark_unavailable, retried on the next request", "[watermark][handler][errors]") {
  const Handler handler{parse_config(std::string(R"({"errorCacheControl": {"5xx": "public, max-age=5"},)") +
                                     std::string(kConfig).substr(1))};
  const std::string event = event_for("/a.png", "w=200&wm=logo");
  struct Case {
    int status;
    Bytes bytes;
    const char *message;
  };
  for (const Case &c : {Case{404, {}, "HTTP 404"}, Case{503, {}, "HTTP 503"},
                        Case{200, read_fixture("not-an-image.html"), "not an image"},
                        Case{200, read_fixture("photo-truncated.jpg"), "cannot decode"}}) {
    INFO(c.message);
    const msg::Fetch overlay = plan(handler, event);
    CHECK(overlay.log.outcome == "watermark");  // not kept: fetched again every time
    const msg::FinishReply reply = finish(handler, overlay, c.status, c.bytes);
    const cf::Response &r = response_of(reply);
    CHECK(r.status == "500");
    REQUIRE(r.body);
    const auto body = nlohmann::json::parse(*r.body);
    CHECK(body["error"]["code"] == "watermark_unavailable");
    CHECK(body["error"]["param"] == "wm");
    CHECK_THAT(body["error"]["message"].get<std::string>(), Catch::Matchers::Contains(c.message));
    REQUIRE(r.headers);
    CHECK(*r.headers->first("cache-control") == "public, max-age=5");
    CHECK(*r.headers->first("content-type") == "application/json");
  }
  // A timeout or an unreachable origin alike.
  const msg::Fetch overlay = plan(handler, event);
  std::optional<Job> job = handler.take_job(overlay.job);
  REQUIRE(job);
  const auto timeout = handler.finish(*job, msg::FetchFailed{msg::FetchError::Timeout, "slow"}, {});
  CHECK(response_of(timeout).status == "500");
  // Once it can be fetched, it is kept.
  CHECK(std::holds_alternative<msg::Fetch>(finish(handler, plan(handler, event), 200, *logo())));
  CHECK(plan(handler, event).log.outcome == "fetch");
}
