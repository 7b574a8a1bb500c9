// An animation resized as one strip (image/strip_resize.hpp): the same sizes
// as frame by frame, pixels within the rounding of the other axis order, no
// frame reading another's pixels, and the requests that stay frame by frame.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "api/parse_spec.hpp"
#include "image/animation.hpp"
#include "image/decode.hpp"
#include "image/orientation.hpp"
#include "image/strip_resize.hpp"
#include "image/work_budget.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using vips::VImage;

namespace {

TransformSpec spec_of(const std::string &query) {
  auto spec = parse_spec(query, {}, Config{});
  REQUIRE(spec);
  return *spec;
}

ResizePlan plan_for(const TransformSpec &spec, int width, int height) {
  return plan_resize(width, height, in_source_frame(spec));
}

// `frames` frames of width x height, each a different noisy picture with
// sharp edges at its top and bottom rows (what a reducer reading across a
// frame boundary would smear), optionally with a varying alpha. `clipped`:
// noise that saturates at 0 and 255 (hard edges, as a GIF's palette has).
VImage noisy_strip(int width, int height, int frames, bool alpha, bool clipped) {
  std::vector<VImage> stack;
  for (int i = 0; i < frames; ++i) {
    const double mean = clipped ? 40.0 + 60 * i : 100.0 + 10 * i, sigma = clipped ? 30.0 : 15.0;
    VImage frame = VImage::gaussnoise(width, height, VImage::option()->set("mean", mean)->set("sigma", sigma)->set("seed", i));
    std::vector<VImage> bands{frame, VImage::xyz(width, height)[0] * (255.0 / width), frame.rot180()};
    if (alpha) bands.push_back(VImage::xyz(width, height)[1] * (255.0 / height));
    frame = VImage::bandjoin(bands);
    frame = frame.cast(VIPS_FORMAT_UCHAR).copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    stack.push_back(frame);
  }
  return VImage::arrayjoin(stack, VImage::option()->set("across", 1)).copy_memory();
}

// The frames one by one through thumbnail (resize_decoded), stacked.
VImage per_frame(const VImage &strip, int height, int frames, const ResizePlan &plan) {
  std::vector<VImage> out;
  for (int i = 0; i < frames; ++i) out.push_back(resize_decoded(strip.crop(0, i * height, strip.width(), height), plan));
  return VImage::arrayjoin(out, VImage::option()->set("across", 1)).copy_memory();
}

// The difference as seen: colour weighted by its alpha (a colour under
// alpha 0 shows nothing, and 8-bit unpremultiply makes it anything).
VImage seen_difference(VImage a, VImage b) {
  if (a.has_alpha()) {
    a = a.premultiply();
    b = b.premultiply();
  }
  return (a.cast(VIPS_FORMAT_DOUBLE) - b.cast(VIPS_FORMAT_DOUBLE)).abs();
}

}  // namespace

TEST_CASE("the strip resize gives the per-frame sizes and pixels", "[animation][strip]") {
  struct Case {
    const char *query;
    int width, height;
    bool alpha;
  };
  for (const Case &c : {Case{"w=240", 480, 270, false}, Case{"w=240", 480, 270, true}, Case{"w=37", 101, 67, true},
                        Case{"h=50", 101, 67, false}, Case{"w=30&h=20&fit=fill", 101, 67, true},
                        Case{"w=101", 101, 67, true}, Case{"w=3", 101, 67, false}})
    for (const bool clipped : {false, true}) {
      INFO(c.query << " on " << c.width << "x" << c.height << (c.alpha ? " RGBA" : " RGB") << (clipped ? " clipped" : ""));
      const int frames = 5;
      const VImage strip = noisy_strip(c.width, c.height, frames, c.alpha, clipped);
      const TransformSpec spec = spec_of(c.query);
      const ResizePlan plan = plan_for(spec, c.width, c.height);
      const auto shrink = strip_shrink(spec, plan, c.width, c.height, strip.bands(), frames);
      REQUIRE(shrink);
      const VImage want = per_frame(strip, c.height, frames, plan);
      const VImage got = resize_strip(strip, c.height, frames, *shrink).copy_memory();
      CHECK(got.width() == want.width());
      CHECK(got.height() == want.height());
      CHECK(got.width() == shrink->width);
      CHECK(got.height() == shrink->frame_height * frames);
      CHECK(got.bands() == want.bands());
      CHECK(got.format() == VIPS_FORMAT_UCHAR);
      // libvips reduces vertically first, the strip horizontally first (the
      // decoder streams rows), each pass rounding to 8 bits: within 2 levels.
      // Where the first pass's lanczos overshoot saturates (hard edges), the
      // clipping differs with the order too: a few samples further apart.
      const VImage diff = seen_difference(got, want);
      const double far = (diff > 2.0).avg() / 255.0;  // the share of samples more than 2 levels apart
      CHECK(diff.avg() < 0.3);
      if (clipped) CHECK(far < 0.01);
      else CHECK(diff.max() <= 2);
    }
}

TEST_CASE("no frame of the strip reads another's pixels", "[animation][strip]") {
  // Solid frames, red, green, blue, white: any mixing at a boundary shows.
  const int width = 90, height = 61;
  std::vector<VImage> stack;
  for (std::vector<double> colour : {std::vector<double>{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}})
    stack.push_back((VImage::black(width, height, VImage::option()->set("bands", 3)) + colour)
                        .cast(VIPS_FORMAT_UCHAR)
                        .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB)));
  const VImage strip = VImage::arrayjoin(stack, VImage::option()->set("across", 1)).copy_memory();
  for (const char *query : {"w=40", "w=13", "w=30&h=7&fit=fill"}) {
    INFO(query);
    const TransformSpec spec = spec_of(query);
    const auto shrink = strip_shrink(spec, plan_for(spec, width, height), width, height, 3, 4);
    REQUIRE(shrink);
    const VImage got = resize_strip(strip, height, 4, *shrink).copy_memory();
    const int h = shrink->frame_height;
    REQUIRE(got.height() == 4 * h);
    for (int i = 0; i < 4; ++i) {
      const VImage frame = got.crop(0, i * h, got.width(), h);
      for (int b = 0; b < 3; ++b) {
        INFO("frame " << i << " band " << b);
        CHECK(frame.extract_band(b).min() == stack[i].extract_band(b).min());
        CHECK(frame.extract_band(b).max() == stack[i].extract_band(b).max());
      }
    }
  }
}

TEST_CASE("the strip is taken only where it equals the frames one by one", "[animation][strip]") {
  auto takes = [](const char *query, int frames = 60, int bands = 3) {
    const TransformSpec spec = spec_of(query);
    return strip_shrink(spec, plan_for(spec, 480, 270), 480, 270, bands, frames).has_value();
  };
  CHECK(takes("w=240"));
  CHECK(takes("h=100&format=webp"));
  CHECK(takes("w=200&h=200&fit=inside"));
  CHECK(takes("w=200&h=200&fit=fill"));
  CHECK(takes("w=480"));  // no resize at all
  for (const char *query : {"w=240&rect=0,0,200,200", "w=240&trim=10", "w=200&h=200", "w=200&h=200&fit=cover&fp=0.2,0.3",
                            "w=200&h=200&fit=contain", "w=240&blur=1", "w=240&sharpen=1", "w=240&rot=90",
                            "w=240&flip=h", "w=960&enlarge=1", "w=600&h=200&fit=fill&enlarge=1"}) {
    INFO(query);
    CHECK_FALSE(takes(query));
  }
  // Its horizontally reduced strip is held whole: over kMaxStripBytes, frame by frame.
  const std::uint64_t per_frame_bytes = 240ull * 270 * 4;
  CHECK(takes("w=240", int(kMaxStripBytes / per_frame_bytes), 4));
  CHECK_FALSE(takes("w=240", int(kMaxStripBytes / per_frame_bytes) + 1, 4));
}

TEST_CASE("the work budget counts the strip the animation is resized through", "[animation][strip][budget]") {
  const SourceShape gif{480, 270, false, 60, false, 100'000};
  const WorkEstimate strip = estimate_work(spec_of("w=48"), gif, ImageFormat::Gif, Config{});
  const WorkEstimate frames = estimate_work(spec_of("w=48&flip=h"), gif, ImageFormat::Gif, Config{});  // per frame
  CHECK(strip.width == frames.width);
  CHECK(strip.output_pixels == frames.output_pixels);
  // A small output, so that the decode phase is the peak of both: the strip
  // 48x270x60 RGB held instead of one 480x270 frame.
  CHECK(strip.memory_bytes - frames.memory_bytes == 48ull * 270 * 60 * 3 - 480ull * 270 * 3);
}
