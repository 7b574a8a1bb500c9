// URL API v2 operations through the pipeline (prepare_image + encode_image,
// decoded again): output size and a pixel property for each.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "api/parse_spec.hpp"
#include "image/operations.hpp"
#include "image/orientation.hpp"
#include "cases.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using vips::VImage;

namespace {

// Grey Gaussian noise as an 8-bit sRGB image: content that trim must keep.
VImage noise_rgb(int width, int height, double mean, double sigma) {
  VImage grey = VImage::gaussnoise(width, height, VImage::option()->set("mean", mean)->set("sigma", sigma));
  return VImage::bandjoin(std::vector<VImage>{grey, grey, grey})
      .cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

// The spec the URL gives (parse_spec: defaults, target box).
TransformSpec url(const std::string &query) {
  auto spec = parse_spec(query, {}, Config{});
  REQUIRE(spec);
  return *spec;
}

Output run_url(const std::string &image, const std::string &query) { return run(read_fixture(image), url(query)); }

// Mean absolute difference of two images of one size, over every band.
double difference(const VImage &a, const VImage &b) {
  REQUIRE(a.width() == b.width());
  REQUIRE(a.height() == b.height());
  return (a.cast(VIPS_FORMAT_FLOAT) - b.cast(VIPS_FORMAT_FLOAT)).abs().avg();
}

// Edge energy: mean absolute Laplacian of the luminance.
double edge_energy(const VImage &image) {
  VImage grey = image.colourspace(VIPS_INTERPRETATION_B_W).extract_band(0).cast(VIPS_FORMAT_FLOAT);
  VImage laplacian = VImage::new_matrixv(3, 3, 0.0, 1.0, 0.0, 1.0, -4.0, 1.0, 0.0, 1.0, 0.0);
  return grey.conv(laplacian, VImage::option()->set("precision", VIPS_PRECISION_FLOAT)).abs().avg();
}

void check_colour(const VImage &image, int x, int y, std::vector<double> rgb, double tolerance = 40) {
  auto p = image.getpoint(x, y);
  INFO("pixel (" << x << "," << y << ") = " << p[0] << "," << p[1] << "," << p[2]);
  for (std::size_t b = 0; b < rgb.size(); ++b) CHECK(std::abs(p[b] - rgb[b]) <= tolerance);
}

const std::vector<double> kRed{255, 0, 0}, kGreen{0, 255, 0}, kBlue{0, 0, 255}, kYellow{255, 255, 0};

// The orientation card, 300x200 upright: red top-left, green top-right, blue
// bottom-left, yellow bottom-right. Checks the four quadrants of `image`.
void check_quadrants(const VImage &image, std::vector<double> tl, std::vector<double> tr, std::vector<double> bl,
                     std::vector<double> br) {
  const int w = image.width(), h = image.height();
  check_colour(image, w / 4, h / 4, tl);
  check_colour(image, 3 * w / 4, h / 4, tr);
  check_colour(image, w / 4, 3 * h / 4, bl);
  check_colour(image, 3 * w / 4, 3 * h / 4, br);
}

}  // namespace

TEST_CASE("rot turns the output clockwise, after EXIF orientation; w/h are the rotated sides", "[v2][rot]") {
  Output plain = run_url("photo-baseline.jpg", "format=png");
  Output turned = run_url("photo-baseline.jpg", "rot=90&format=png");
  CHECK(turned.image.width() == plain.image.height());  // the sides swap
  CHECK(turned.image.height() == plain.image.width());
  CHECK(difference(turned.image, plain.image.rot(VIPS_ANGLE_D90)) < 0.5);
  CHECK(difference(run_url("photo-baseline.jpg", "rot=180&format=png").image, plain.image.rot(VIPS_ANGLE_D180)) < 0.5);
  CHECK(difference(run_url("photo-baseline.jpg", "rot=270&format=png").image, plain.image.rot(VIPS_ANGLE_D270)) < 0.5);

  // w refers to the rotated image: 200 wide, 1600/1203 times as tall.
  Output narrow = run_url("photo-baseline.jpg", "w=200&rot=90");
  CHECK(narrow.image.width() == 200);
  CHECK(std::abs(narrow.image.height() - 266) <= 1);

  for (int orientation : {1, 6, 8}) {  // the card is the same upright card in every file
    INFO("orientation " << orientation);
    Output card = run_url("orientation-" + std::to_string(orientation) + ".jpg", "rot=90&format=png");
    CHECK(card.image.width() == 200);
    CHECK(card.image.height() == 300);
    check_quadrants(card.image, kBlue, kRed, kYellow, kGreen);
  }
}

TEST_CASE("flip mirrors after rot", "[v2][flip]") {
  Output plain = run_url("photo-baseline.jpg", "w=300&format=png");
  Output h = run_url("photo-baseline.jpg", "w=300&flip=h&format=png");
  Output v = run_url("photo-baseline.jpg", "w=300&flip=v&format=png");
  Output hv = run_url("photo-baseline.jpg", "w=300&flip=hv&format=png");
  CHECK(h.image.width() == 300);
  CHECK(h.image.height() == plain.image.height());
  CHECK(difference(h.image, plain.image.flip(VIPS_DIRECTION_HORIZONTAL)) < 0.5);
  CHECK(difference(v.image, plain.image.flip(VIPS_DIRECTION_VERTICAL)) < 0.5);
  CHECK(difference(hv.image, plain.image.rot(VIPS_ANGLE_D180)) < 0.5);
  CHECK(difference(h.image, plain.image) > 5);  // a photo is not symmetric

  check_quadrants(run_url("orientation-1.jpg", "flip=h&format=png").image, kGreen, kRed, kYellow, kBlue);
  check_quadrants(run_url("orientation-1.jpg", "flip=v&format=png").image, kBlue, kYellow, kRed, kGreen);
  // rot first (blue red / yellow green), then the mirror.
  check_quadrants(run_url("orientation-1.jpg", "rot=90&flip=h&format=png").image, kRed, kBlue, kGreen, kYellow);
}

TEST_CASE("pos and fp describe the rotated, mirrored output", "[v2][rot][flip]") {
  // Left red, right blue, 400x200. Turned by 90: top red, bottom blue.
  Output north = run_url("split-left-red-right-blue.png", "w=50&h=50&rot=90&pos=north&format=png");
  CHECK(north.image.width() == 50);
  check_colour(north.image, 25, 25, kRed, 10);
  Output south = run_url("split-left-red-right-blue.png", "w=50&h=50&rot=90&pos=south&format=png");
  check_colour(south.image, 25, 25, kBlue, 10);
  // Mirrored: east is now red.
  check_colour(run_url("split-left-red-right-blue.png", "w=50&h=50&flip=h&pos=east&format=png").image, 25, 25, kRed, 10);
  // A focal point low in the rotated image is the blue half.
  check_colour(run_url("split-left-red-right-blue.png", "w=50&h=50&rot=90&fp=0.5,0.9&format=png").image, 25, 25, kBlue,
               10);
}

TEST_CASE("rect crops the upright source before resizing; clipped; nothing left is a 400", "[v2][rect]") {
  Output left = run_url("split-left-red-right-blue.png", "rect=0,0,200,200&format=png");
  CHECK(left.image.width() == 200);
  CHECK(left.image.height() == 200);
  CHECK(left.image.extract_band(0).min() > 240);  // all red
  CHECK(left.image.extract_band(2).max() < 15);
  Output right = run_url("split-left-red-right-blue.png", "rect=250,20,100,60&format=png");
  CHECK(right.image.width() == 100);
  CHECK(right.image.height() == 60);
  CHECK(right.image.extract_band(2).min() > 240);  // all blue
  CHECK(right.image.extract_band(0).max() < 15);

  // Then resized: w refers to the crop.
  Output resized = run_url("photo-baseline.jpg", "rect=100,100,800,400&w=200");
  CHECK(resized.image.width() == 200);
  CHECK(resized.image.height() == 100);
  // The region, not the whole photo: compare with a crop of the plain decode.
  Output region = run_url("photo-baseline.jpg", "rect=100,100,800,400&format=png");
  VImage reference = decode(read_fixture("photo-baseline.jpg")).extract_area(100, 100, 800, 400);
  CHECK(difference(region.image, reference) < 3);

  // Clipped to the image.
  Output clipped = run_url("split-left-red-right-blue.png", "rect=300,150,500,500&format=png");
  CHECK(clipped.image.width() == 100);
  CHECK(clipped.image.height() == 50);
  // Upright: the card's red quadrant is top-left whatever the EXIF orientation.
  Output card = run_url("orientation-6.jpg", "rect=0,0,150,100&format=png");
  CHECK(card.image.width() == 150);
  check_colour(card.image, 75, 50, kRed);

  ApiError e = api_error_of([&] { run_url("split-left-red-right-blue.png", "rect=400,0,10,10"); });
  CHECK(e.status == 400);
  CHECK(e.param == "rect");
  CHECK(std::string(e.what()) == "rect=400,0,10,10: outside the 400x200 image");
}

TEST_CASE("trim removes a known uniform border before resizing", "[v2][trim]") {
  // 160x60 of noise inside a 20 px white border: 200x100.
  const VImage content = noise_rgb(160, 60, 100.0, 30.0);
  VImage framed = content.embed(20, 20, 200, 100,
                                VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", 255.0));
  const Bytes png = to_bytes(framed.pngsave_buffer());
  Output out = run(png, url("trim=10&format=png"));
  CHECK(std::abs(out.image.width() - 160) <= 2);
  CHECK(std::abs(out.image.height() - 60) <= 2);
  CHECK(out.image.extract_band(0).avg() < 140);  // the white is gone
  // Then resized: w refers to the trimmed image.
  Output resized = run(png, url("trim=10&w=80&format=png"));
  CHECK(resized.image.width() == 80);
  CHECK(std::abs(resized.image.height() - 30) <= 1);

  // A coloured border (the top-left pixel decides) and a transparent one.
  VImage red_frame = content.embed(10, 5, 180, 70, VImage::option()
                                                       ->set("extend", VIPS_EXTEND_BACKGROUND)
                                                       ->set("background", std::vector<double>{255, 0, 0}));
  Output red = run(to_bytes(red_frame.pngsave_buffer()), url("trim=20&format=png"));
  CHECK(std::abs(red.image.width() - 160) <= 2);
  VImage alpha = content.bandjoin_const({255.0}).embed(
      30, 10, 220, 80, VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", 0.0));
  Output transparent = run(to_bytes(alpha.pngsave_buffer()), url("trim=10&format=png"));
  CHECK(std::abs(transparent.image.width() - 160) <= 2);
  CHECK(std::abs(transparent.image.height() - 60) <= 2);

  // All border: left whole.
  VImage white = VImage::black(120, 80, VImage::option()->set("bands", 3)) + 255;
  Output whole = run(to_bytes(white.cast(VIPS_FORMAT_UCHAR).pngsave_buffer()), url("trim=10&format=png"));
  CHECK(whole.image.width() == 120);
  CHECK(whole.image.height() == 80);
  // No border: nothing trimmed.
  CHECK(run_url("photo-baseline.jpg", "trim=5&w=400").image.width() == 400);
}

TEST_CASE("trim on images over a megapixel (coarse search, exact edges) matches find_trim itself", "[v2][trim]") {
  auto exact = [](const VImage &image, int threshold) {
    int top = 0, width = 0, height = 0;
    const int left = image.find_trim(&top, &width, &height,
                                     VImage::option()->set("threshold", double(threshold))->set("background", image.getpoint(0, 0)));
    return std::array<int, 4>{left, top, width, height};
  };
  auto trimmed = [](const VImage &image, int threshold) {
    VImage t = trim_border(image, threshold);
    return std::array<int, 2>{t.width(), t.height()};
  };
  // Noise inside an uneven white border: 1700x1200 = 2 MP.
  const VImage noise = noise_rgb(1600, 1100, 90.0, 40.0);
  VImage framed = noise.embed(37, 53, 1700, 1200,
                              VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", 255.0))
                      .copy_memory();
  const auto e = exact(framed, 10);
  CHECK(e == std::array<int, 4>{37, 53, 1600, 1100});
  CHECK(trimmed(framed, 10) == std::array<int, 2>{1600, 1100});
  // A faint object far from the main one still counts.
  VImage dot = (VImage::black(12, 12, VImage::option()->set("bands", 3)) + 180).cast(VIPS_FORMAT_UCHAR);
  VImage two = framed.insert(dot, 5, 1180).copy_memory();
  const auto e2 = exact(two, 10);
  CHECK(trimmed(two, 10) == std::array<int, 2>{e2[2], e2[3]});
  // The photo (1.9 MP) and its EXIF-free decode: same box as find_trim.
  VImage photo = decode(read_fixture("photo-baseline.jpg"));
  for (int threshold : {5, 10, 40}) {
    INFO("threshold " << threshold);
    const auto p = exact(photo, threshold);
    CHECK(trimmed(photo, threshold) == std::array<int, 2>{p[2], p[3]});
  }
  // All border.
  VImage white = (VImage::black(1500, 1000, VImage::option()->set("bands", 3)) + 255).cast(VIPS_FORMAT_UCHAR);
  CHECK(trimmed(white, 10) == std::array<int, 2>{1500, 1000});
  // A thin image (taken straight to find_trim: edge strips would cover it
  // several times): 40000x24 with a white border, as found by fuzzing.
  const VImage band = noise_rgb(39000, 20, 90.0, 40.0);
  VImage thin = band.embed(400, 2, 40000, 24,
                           VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", 255.0))
                    .copy_memory();
  CHECK(exact(thin, 10) == std::array<int, 4>{400, 2, 39000, 20});
  CHECK(trimmed(thin, 10) == std::array<int, 2>{39000, 20});
}

TEST_CASE("trim leaves an image under 3 px on a side whole (find_trim's median cannot run)", "[v2][trim]") {
  // Found by fuzz_image_spec as a 500 ("rank: window too large") on a 2 px tall GIF frame.
  const VImage thin = noise_rgb(50, 2, 90.0, 40.0).copy_memory();
  CHECK(find_trim_box(thin, 10).empty());
  CHECK(trim_border(thin, 10).width() == 50);
  Output out = run(to_bytes(thin.pngsave_buffer()), url("trim=10&format=png"));
  CHECK(out.image.width() == 50);
  CHECK(out.image.height() == 2);
}

TEST_CASE("an absurd source resolution is replaced by 72 dpi, a sane one kept", "[v2][resolution]") {
  // fuzz_image_spec: a PNG whose EXIF claims 2.7e8 px/mm made libvips' PNG
  // saver convert 2.7e11 to an unsigned int (undefined behaviour; the wasm
  // build wrote 0). The input is the fuzzer's, minus its 6 spec bytes.
  const std::string found = read_repo_file("tests/regressions/image_spec/png-phys-2.7e8-ppmm-spngsave-ub.bin");
  const Bytes absurd(found.begin() + 6, found.end());
  REQUIRE(decode(absurd).xres() > 1e6);
  // What reaches the savers (their output cannot tell: the readers fall back
  // to 72 dpi on a value they cannot use).
  for (const char *query : {"w=20&format=png", "w=20&format=jpeg", "w=20&format=webp"}) {
    INFO(query);
    const VImage prepared = prepare_image(absurd, url(query), Config{}).image;
    CHECK(prepared.xres() == Approx(72 / 25.4).epsilon(0.01));
    CHECK(prepared.yres() == Approx(72 / 25.4).epsilon(0.01));
    CHECK(run(absurd, url(query)).image.width() == 20);
  }
  const VImage photo = noise_rgb(40, 30, 90.0, 40.0);
  const Bytes dpi300 = to_bytes(photo.copy(VImage::option()->set("xres", 300 / 25.4)->set("yres", 300 / 25.4)).pngsave_buffer());
  CHECK(prepare_image(dpi300, url("w=20&format=png"), Config{}).image.xres() == Approx(300 / 25.4).epsilon(0.01));
  CHECK(run(dpi300, url("w=20&format=png")).image.xres() == Approx(300 / 25.4).epsilon(0.01));
}

TEST_CASE("blur lowers and sharpen raises edge energy, after resizing", "[v2][blur][sharpen]") {
  Output plain = run_url("photo-baseline.jpg", "w=400&format=png");
  Output blurred = run_url("photo-baseline.jpg", "w=400&blur=2&format=png");
  Output sharpened = run_url("photo-baseline.jpg", "w=400&sharpen=2&format=png");
  for (const Output *o : {&blurred, &sharpened}) {
    CHECK(o->image.width() == plain.image.width());
    CHECK(o->image.height() == plain.image.height());
    CHECK(o->image.bands() == 3);
  }
  const double e_plain = edge_energy(plain.image), e_blur = edge_energy(blurred.image),
               e_sharp = edge_energy(sharpened.image);
  INFO("edge energy: plain " << e_plain << ", blur " << e_blur << ", sharpen " << e_sharp);
  CHECK(e_blur < 0.5 * e_plain);
  CHECK(e_sharp > 1.2 * e_plain);
  // The colours stay: same mean.
  CHECK(std::abs(blurred.image.avg() - plain.image.avg()) < 2);
  CHECK(std::abs(sharpened.image.avg() - plain.image.avg()) < 3);

  // A large sigma takes the reduced path: same size, close to the exact blur.
  Output huge = run_url("photo-baseline.jpg", "w=400&blur=100&format=png");
  CHECK(huge.image.width() == 400);
  CHECK(huge.image.height() == plain.image.height());
  const VImage exact = plain.image.gaussblur(100);
  INFO("reduced path vs exact gaussblur(100): " << difference(huge.image, exact));
  CHECK(difference(huge.image, exact) < 3);
  CHECK(edge_energy(huge.image) < 0.15 * e_plain);

  // Alpha: blurred premultiplied, so the transparent half keeps alpha 0 far from the edge.
  Output alpha = run_url("alpha-half-transparent.png", "w=200&blur=3&format=png");
  REQUIRE(alpha.image.bands() == 4);
  CHECK(alpha.image.getpoint(10, 75)[3] == 0);
  CHECK(alpha.image.getpoint(190, 75)[3] == 255);
  Output alpha_sharp = run_url("alpha-half-transparent.png", "w=200&sharpen=2&format=png");
  REQUIRE(alpha_sharp.image.bands() == 4);
  CHECK(alpha_sharp.image.getpoint(10, 75)[3] == 0);
  // Grey stays grey.
  CHECK(run_url("photo-gray.jpg", "w=200&sharpen=1&blur=1").image.bands() == 1);
}

TEST_CASE("fp centres the cover crop on the focal point as far as the box allows", "[v2][fp]") {
  // 400x200 -> cover 100x100 scales to 200x100 and keeps a 100x100 window.
  Output left = run_url("split-left-red-right-blue.png", "w=100&h=100&fp=0,0.5&format=png");
  CHECK(left.image.width() == 100);
  CHECK(left.image.height() == 100);
  CHECK(left.image.extract_band(0).min() > 240);  // window at the far left: all red
  Output right = run_url("split-left-red-right-blue.png", "w=100&h=100&fp=1,0.5&format=png");
  CHECK(right.image.extract_band(2).min() > 240);  // far right: all blue
  Output centre = run_url("split-left-red-right-blue.png", "w=100&h=100&fp=0.5,0.5&format=png");
  check_colour(centre.image, 25, 50, kRed, 10);  // centred: half and half
  check_colour(centre.image, 75, 50, kBlue, 10);
  // 0.6: the window's centre at 120 of 200 px, so 70..170: the red/blue edge at 100 is 30 px in.
  Output off = run_url("split-left-red-right-blue.png", "w=100&h=100&fp=0.6,0.5&format=png");
  check_colour(off.image, 20, 50, kRed, 10);
  check_colour(off.image, 40, 50, kBlue, 10);
  // enlarge=0 and a box larger than the source: at most the source.
  Output small = run_url("split-left-red-right-blue.png", "w=300&h=300&fp=0.9,0.5&format=png");
  CHECK(small.image.width() == 300);
  CHECK(small.image.height() == 200);
}

TEST_CASE("to_source_frame turns anchors and focal points back", "[v2][orientation]") {
  const Orientation r90{90, false, false}, r180{180, false, false}, r270{270, false, false}, h{0, true, false},
      v{0, false, true};
  CHECK(to_source_frame(Gravity::North, r90) == Gravity::West);
  CHECK(to_source_frame(Gravity::East, r90) == Gravity::North);
  CHECK(to_source_frame(Gravity::NorthEast, r90) == Gravity::NorthWest);
  CHECK(to_source_frame(Gravity::North, r180) == Gravity::South);
  CHECK(to_source_frame(Gravity::North, r270) == Gravity::East);
  CHECK(to_source_frame(Gravity::East, h) == Gravity::West);
  CHECK(to_source_frame(Gravity::NorthEast, v) == Gravity::SouthEast);
  CHECK(to_source_frame(Gravity::Center, r90) == Gravity::Center);
  CHECK(to_source_frame(Gravity::Attention, r90) == Gravity::Attention);
  // rot 90 then flip h: the output's north-east was the turned image's north-west, the source's south-west.
  CHECK(to_source_frame(Gravity::NorthEast, Orientation{90, true, false}) == Gravity::SouthWest);
  const Point p = to_source_frame(Point{0.9, 0.2}, r90);  // near the output's top right
  CHECK(std::abs(p.x - 0.2) < 1e-12);
  CHECK(std::abs(p.y - 0.1) < 1e-12);
  TransformSpec s = url("w=300&h=100&rot=90&pos=north");
  TransformSpec upright = in_source_frame(s);
  CHECK(upright.target_width == 100);
  CHECK(upright.target_height == 300);
  CHECK(upright.gravity == Gravity::West);
  CHECK(upright.rotate == 0);
}
