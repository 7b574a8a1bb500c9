// plan_resize: the thumbnail arguments for each fit mode (pure arithmetic).
#include <catch2/catch.hpp>

#include "image/resize_plan.hpp"

using namespace vips_edge;

namespace {
TransformSpec spec(std::optional<int> w, std::optional<int> h, Fit fit, bool enlarge = false,
                   Gravity gravity = Gravity::Center) {
  TransformSpec s;
  s.target_width = w;
  s.target_height = h;
  s.fit = fit;
  s.enlarge = enlarge;
  s.gravity = gravity;
  return s;
}
}  // namespace

TEST_CASE("plan_resize: one side or none leaves the other to the config maximum", "[image][plan]") {
  ResizePlan p = plan_resize(1600, 1200, spec(400, std::nullopt, Fit::Cover));
  CHECK(p.width == 400);
  CHECK(p.height == TransformSpec{}.max_width);
  CHECK(p.crop == ThumbCrop::None);
  CHECK(p.size == ThumbSize::Down);
  p = plan_resize(1600, 1200, spec(std::nullopt, 300, Fit::Fill, true));
  CHECK(p.width == TransformSpec{}.max_width);
  CHECK(p.height == 300);
  CHECK(p.size == ThumbSize::Both);
  p = plan_resize(1600, 1200, spec(std::nullopt, std::nullopt, Fit::Inside, true));
  CHECK(p.width == TransformSpec{}.max_width);
  CHECK(p.size == ThumbSize::Down);  // nothing to enlarge to
}

TEST_CASE("plan_resize: a free side is capped by the config maximum (thin sources enlarged)", "[image][plan]") {
  // fuzz_image_spec: a 48x5888 (upright) GIF with w=106&enlarge=1 came out 106x13003; with w=4096 it
  // asked libvips for 3.7 GB. The free side is now capped and thumbnail scales both sides down.
  TransformSpec s = spec(4096, std::nullopt, Fit::Inside, true);
  s.max_width = 1024;
  s.max_height = 2000;
  ResizePlan p = plan_resize(48, 5888, s);
  CHECK(p.width == 4096);
  CHECK(p.height == 2000);
  s = spec(100, 100, Fit::Outside, true);
  s.max_width = 3000;
  s.max_height = 3000;
  p = plan_resize(5888, 48, s);
  CHECK(p.width == 3000);  // height drives; the width it would give (12266) is capped
  CHECK(p.height == 100);
}

TEST_CASE("plan_resize: fit modes", "[image][plan]") {
  CHECK(plan_resize(1600, 1200, spec(400, 400, Fit::Inside)).crop == ThumbCrop::None);
  ResizePlan outside = plan_resize(1600, 1200, spec(400, 400, Fit::Outside));
  CHECK(outside.width == TransformSpec{}.max_width);  // height drives (400/1200 > 400/1600)
  CHECK(outside.height == 400);
  outside = plan_resize(1600, 1200, spec(800, 100, Fit::Outside));
  CHECK(outside.width == 800);
  CHECK(outside.height == TransformSpec{}.max_width);
  ResizePlan fill = plan_resize(1600, 1200, spec(2000, 100, Fit::Fill));
  CHECK(fill.size == ThumbSize::Force);
  CHECK(fill.width == 1600);  // clamped without enlarge
  CHECK(fill.height == 100);
  CHECK(plan_resize(1600, 1200, spec(2000, 100, Fit::Fill, true)).width == 2000);
  ResizePlan contain = plan_resize(1600, 1200, spec(400, 300, Fit::Contain));
  CHECK(contain.pad);
  CHECK(contain.pad_width == 400);
  CHECK(contain.pad_height == 300);
}

TEST_CASE("plan_resize: cover gravity maps onto the cropped axis", "[image][plan]") {
  // landscape source into a square: horizontal crop
  CHECK(plan_resize(1600, 1200, spec(400, 400, Fit::Cover, false, Gravity::West)).crop == ThumbCrop::Low);
  CHECK(plan_resize(1600, 1200, spec(400, 400, Fit::Cover, false, Gravity::SouthEast)).crop == ThumbCrop::High);
  CHECK(plan_resize(1600, 1200, spec(400, 400, Fit::Cover, false, Gravity::North)).crop == ThumbCrop::Centre);
  // landscape source into a wide strip: vertical crop
  CHECK(plan_resize(1600, 1200, spec(800, 100, Fit::Cover, false, Gravity::North)).crop == ThumbCrop::Low);
  CHECK(plan_resize(1600, 1200, spec(800, 100, Fit::Cover, false, Gravity::SouthWest)).crop == ThumbCrop::High);
  CHECK(plan_resize(1600, 1200, spec(800, 100, Fit::Cover, false, Gravity::East)).crop == ThumbCrop::Centre);
  CHECK(plan_resize(1600, 1200, spec(800, 100, Fit::Cover, false, Gravity::Entropy)).crop == ThumbCrop::Entropy);
  CHECK(plan_resize(1600, 1200, spec(800, 100, Fit::Cover, false, Gravity::Attention)).crop == ThumbCrop::Attention);
}
