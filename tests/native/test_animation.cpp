// Animated GIF and WebP: every frame resized and finished alike, delays and
// loop kept, the limits' 413s, and the requests that take the first frame.
// Fixtures (fixtures/make-images.sh): animated-rgb.gif and animated-rgba.webp,
// 60x40 frames red, green, blue shown 100, 200, 300 ms; the WebP's top 10 rows
// are transparent.
#include <catch2/catch.hpp>

#include <cmath>

#include "api/parse_spec.hpp"
#include "handler/render.hpp"
#include "image/animation.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using vips::VImage;

namespace {

// Every frame of encoded bytes, as libvips reads them back.
VImage decode_all(const Bytes &bytes) {
  const bool paged = sniff_format(bytes) == ImageFormat::Gif || sniff_format(bytes) == ImageFormat::Webp;
  return VImage::new_from_buffer(bytes.data(), bytes.size(), paged ? "n=-1" : "").copy_memory();
}

TransformSpec spec_of(const std::string &query, bool accepts_webp = false) {
  auto spec = parse_spec(query, {}, Config{});
  REQUIRE(spec);
  spec->accepts_webp = accepts_webp;
  return *spec;
}

Output run_query(const std::string &fixture_name, const std::string &query, const Config &config = {}) {
  return run(read_fixture(fixture_name), spec_of(query), config);
}

std::vector<double> band_means(const VImage &image) {
  std::vector<double> means;
  for (int b = 0; b < 3; ++b) means.push_back(image.extract_band(b).avg());
  return means;
}

// Mean colour of frame `i` (colour bands only), over rows [top, bottom).
std::vector<double> frame_mean(const VImage &strip, int i, int top = 0, int bottom = -1) {
  const int h = frame_height(strip);
  if (bottom < 0) bottom = h;
  return band_means(strip.crop(0, i * h + top, strip.width(), bottom - top));
}

void check_rgb(const std::vector<double> &got, const std::vector<double> &want, double tolerance = 12) {
  INFO("got " << got[0] << "," << got[1] << "," << got[2] << " want " << want[0] << "," << want[1] << "," << want[2]);
  for (int b = 0; b < 3; ++b) CHECK(std::abs(got[b] - want[b]) <= tolerance);
}

const std::vector<std::vector<double>> kFrames{{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};

}  // namespace

TEST_CASE("an animated GIF stays animated: every frame resized, delays and loop kept", "[animation]") {
  const VImage source = decode_all(read_fixture("animated-rgb.gif"));
  REQUIRE(source.get_int(VIPS_META_N_PAGES) == 3);
  for (const char *query : {"w=30", "w=30&format=webp"}) {
    INFO(query);
    Output out = run_query("animated-rgb.gif", query);
    CHECK(out.encoded.format == ImageFormat::Webp);  // an animated GIF's family is animated WebP
    CHECK(out.encoded.width == 30);
    CHECK(out.encoded.height == 20);  // one frame's height
    const VImage back = decode_all(out.encoded.bytes);
    REQUIRE(back.get_int(VIPS_META_N_PAGES) == 3);
    CHECK(back.width() == 30);
    CHECK(frame_height(back) == 20);
    CHECK(back.get_array_int("delay") == std::vector<int>{100, 200, 300});
    CHECK(back.get_int("loop") == source.get_int("loop"));
    for (int i = 0; i < 3; ++i) check_rgb(frame_mean(back, i), kFrames[i]);
  }
}

TEST_CASE("an animated WebP keeps its alpha in every frame; cover, rot and flip apply per frame", "[animation]") {
  // fit=cover 20x30 after rot=90: each 60x40 frame becomes 40x60 upright, covered to 20x30.
  Output out = run_query("animated-rgba.webp", "w=20&h=30&rot=90&flip=h");
  CHECK(out.encoded.format == ImageFormat::Webp);
  const VImage back = decode_all(out.encoded.bytes);
  REQUIRE(back.get_int(VIPS_META_N_PAGES) == 3);
  CHECK(back.width() == 20);
  CHECK(frame_height(back) == 30);
  CHECK(back.get_array_int("delay") == std::vector<int>{100, 200, 300});
  CHECK(back.get_int("loop") == 2);
  REQUIRE(back.bands() == 4);
  for (int i = 0; i < 3; ++i) {
    const VImage frame = back.crop(0, i * 30, 20, 30);
    // The transparent top rows of the source are the right-hand columns after
    // rot=90, and flip=h moves them to the left.
    CHECK(frame.extract_band(3).crop(0, 0, 3, 30).max() <= 5);
    CHECK(frame.extract_band(3).crop(8, 0, 12, 30).min() >= 250);
    check_rgb(band_means(frame.crop(8, 0, 12, 30)), kFrames[i]);
  }
}

TEST_CASE("rect, trim, blur and padding work frame by frame", "[animation]") {
  // rect picks the same 30x20 region of every frame.
  Output rect = run_query("animated-rgb.gif", "rect=10,10,30,20");
  CHECK(rect.encoded.width == 30);
  CHECK(rect.encoded.height == 20);
  CHECK(decode_all(rect.encoded.bytes).get_int(VIPS_META_N_PAGES) == 3);
  // contain pads every frame to the box (transparent, so alpha appears).
  Output padded = run_query("animated-rgb.gif", "w=60&h=60&fit=contain&blur=1");
  const VImage back = decode_all(padded.encoded.bytes);
  REQUIRE(back.get_int(VIPS_META_N_PAGES) == 3);
  CHECK(back.width() == 60);
  CHECK(frame_height(back) == 60);
  REQUIRE(back.bands() == 4);
  for (int i = 0; i < 3; ++i) {
    CHECK(back.extract_band(3).crop(0, i * 60, 60, 5).max() <= 5);            // padding above
    CHECK(back.extract_band(3).crop(0, i * 60 + 25, 60, 10).min() >= 250);   // the frame
    check_rgb(frame_mean(back, i, 25, 35), kFrames[i]);
  }
}

TEST_CASE("JPEG or PNG output, anim=0, and auto without WebP take the first frame", "[animation]") {
  struct Case {
    const char *query;
    bool webp;
    ImageFormat format;
  };
  for (const Case &c : {Case{"w=30&format=png", false, ImageFormat::Png}, Case{"w=30&format=jpeg", false, ImageFormat::Jpeg},
                        Case{"w=30&anim=0", false, ImageFormat::Png}, Case{"w=30&format=webp&anim=0", false, ImageFormat::Webp},
                        Case{"w=30&format=auto", false, ImageFormat::Jpeg}}) {  // opaque: JPEG
    INFO(c.query);
    Output out = run(read_fixture("animated-rgb.gif"), spec_of(c.query, c.webp));
    CHECK(out.encoded.format == c.format);
    CHECK(out.encoded.height == 20);
    const VImage back = decode_all(out.encoded.bytes);
    CHECK(vips_image_get_n_pages(back.get_image()) == 1);
    CHECK(back.height() == 20);
    check_rgb(frame_mean(back, 0), kFrames[0]);
  }
  // format=auto for a viewer that takes WebP animates.
  Output out = run(read_fixture("animated-rgb.gif"), spec_of("w=30&format=auto", true));
  CHECK(out.encoded.format == ImageFormat::Webp);
  CHECK(decode_all(out.encoded.bytes).get_int(VIPS_META_N_PAGES) == 3);
}

TEST_CASE("frame limits are 413s before decoding; anim=0 is not limited by them", "[animation][errors]") {
  Config few_frames;
  few_frames.max_frames = 2;
  ApiError e = api_error_of([&] { run_query("animated-rgb.gif", "w=30", few_frames); });
  CHECK(e.status == 413);
  CHECK(e.code == "source_too_large");
  CHECK(std::string(e.what()).find("maxFrames") != std::string::npos);
  CHECK(run_query("animated-rgb.gif", "w=30&anim=0", few_frames).encoded.format == ImageFormat::Png);

  Config few_pixels;
  few_pixels.max_frame_pixels = 60 * 40 * 3 - 1;
  e = api_error_of([&] { run_query("animated-rgba.webp", "w=30", few_pixels); });
  CHECK(e.status == 413);
  CHECK(std::string(e.what()).find("maxFramePixels") != std::string::npos);

  // The output's frames count too: enlarging 3 frames to 120x80 is 28,800 pixels.
  few_pixels.max_frame_pixels = 60 * 40 * 3;
  CHECK(run_query("animated-rgb.gif", "w=60", few_pixels).encoded.width == 60);
  e = api_error_of([&] { run_query("animated-rgb.gif", "w=120&enlarge=1", few_pixels); });
  CHECK(e.status == 413);
  CHECK(e.code == "output_too_large");
}

TEST_CASE("format=json on an animation reports its frames and describes the first", "[animation][json]") {
  const Bytes gif = read_fixture("animated-rgb.gif");
  const RenderOutcome outcome = std::get<RenderOutcome>(render(gif, spec_of("w=30&format=json"), {}, Config{}));
  REQUIRE(outcome.response);
  REQUIRE(outcome.response->body);
  const auto body = nlohmann::json::parse(*outcome.response->body);
  CHECK(body["source"]["frames"] == 3);
  CHECK(body["output"] == nlohmann::json{{"width", 30}, {"height", 20}, {"format", "webp"}, {"frames", 3}});
  CHECK(body["dominant"] == "#ff0000");  // the first frame
  const auto still = nlohmann::json::parse(*std::get<RenderOutcome>(render(gif, spec_of("w=30&format=json&anim=0"), {}, Config{})).response->body);
  CHECK(still["output"] == nlohmann::json{{"width", 30}, {"height", 20}, {"format", "png"}, {"frames", 1}});
}

// WebP's demuxer refuses an animation cut short. (A GIF cut short keeps the
// frames libnsgif can still read, as browsers show it: libvips' rule, and
// tests/native/test_hostile_input.cpp cuts both fixtures everywhere.)
TEST_CASE("a truncated animated WebP is a 422", "[animation][errors]") {
  for (std::size_t cut : {10, 60, 120}) {
    INFO(cut);
    Bytes bytes = read_fixture("animated-rgba.webp");
    bytes.resize(bytes.size() - cut);
    const ApiError e = api_error_of([&] { run(bytes, spec_of("w=30")); });
    CHECK(e.status == 422);
  }
}
