// The libvips pipeline end to end: fixture bytes -> prepare_image ->
// encode_image -> decoded again and inspected.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>

#include "image_helpers.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using vips::VImage;

namespace {

void check_size(const Output &out, int w, int h, int tolerance = 0) {
  INFO("output " << out.image.width() << "x" << out.image.height() << ", expected " << w << "x" << h);
  CHECK(std::abs(out.image.width() - w) <= tolerance);
  CHECK(std::abs(out.image.height() - h) <= tolerance);
  CHECK(out.encoded.width == out.image.width());
  CHECK(out.encoded.height == out.image.height());
}

void check_colour(const VImage &image, int x, int y, std::vector<double> rgb, double tolerance = 40) {
  auto p = image.getpoint(x, y);
  INFO("pixel (" << x << "," << y << ") = " << p[0] << "," << (p.size() > 1 ? p[1] : -1) << ","
                 << (p.size() > 2 ? p[2] : -1) << " expected " << rgb[0] << "," << rgb[1] << "," << rgb[2]);
  for (std::size_t b = 0; b < rgb.size(); ++b) CHECK(std::abs(p[b] - rgb[b]) <= tolerance);
}

const std::vector<double> kRed{255, 0, 0}, kGreen{0, 255, 0}, kBlue{0, 0, 255}, kYellow{255, 255, 0},
    kWhite{255, 255, 255};

// Mean of each band.
std::vector<double> band_means(const VImage &image) {
  std::vector<double> means;
  for (int b = 0; b < image.bands(); ++b) means.push_back(image.extract_band(b).avg());
  return means;
}

}  // namespace

// ------------------------------------------------------------ sniffing ---

TEST_CASE("sniff_format recognises the four decodable formats by magic bytes", "[image][sniff]") {
  CHECK(sniff_format(read_fixture("photo-baseline.jpg")) == ImageFormat::Jpeg);
  CHECK(sniff_format(read_fixture("palette.png")) == ImageFormat::Png);
  CHECK(sniff_format(read_fixture("photo.webp")) == ImageFormat::Webp);
  CHECK(sniff_format(read_fixture("photo.gif")) == ImageFormat::Gif);
}

TEST_CASE("non-images are 415 unsupported_format", "[image][sniff][errors]") {
  const Bytes riff_wave = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E', 0, 0, 0, 0};
  const Bytes bmp = {'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const Bytes gif_short = {'G', 'I', 'F', '8'};
  for (const Bytes &bytes : {read_fixture("not-an-image.html"), Bytes{}, riff_wave, bmp, gif_short}) {
    ApiError e = api_error_of([&] { prepare_image(bytes, box(100, 100), Config{}); });
    CHECK(e.status == 415);
    CHECK(e.code == "unsupported_format");
  }
}

TEST_CASE("valid magic bytes followed by garbage are 422 undecodable_image", "[image][errors]") {
  Bytes jpeg = {0xFF, 0xD8, 0xFF, 0xE0};
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Bytes gif = {'G', 'I', 'F', '8', '9', 'a'};
  Bytes webp = {'R', 'I', 'F', 'F', 0x40, 0, 0, 0, 'W', 'E', 'B', 'P'};
  std::uint32_t x = 12345;
  for (Bytes *b : {&jpeg, &png, &gif, &webp})
    for (int i = 0; i < 4096; ++i) {
      x = x * 1103515245u + 12345u;
      b->push_back(static_cast<std::uint8_t>(x >> 16));
    }
  for (const Bytes *bytes : {&jpeg, &png, &gif, &webp}) {
    ApiError e = api_error_of([&] { prepare_image(*bytes, box(100, 100), Config{}); });
    CHECK(e.status == 422);
    CHECK(e.code == "undecodable_image");
  }
}

// ------------------------------------------------------------ fit modes ---
// photo-baseline.jpg is 1600x1203.

TEST_CASE("fit modes give sharp's output sizes", "[image][fit]") {
  const Bytes photo = read_fixture("photo-baseline.jpg");
  SECTION("inside fits within the box") { check_size(run(photo, box(400, 400, Fit::Inside)), 400, 301, 1); }
  SECTION("cover fills the box exactly") { check_size(run(photo, box(400, 400, Fit::Cover)), 400, 400); }
  SECTION("cover, wide box") { check_size(run(photo, box(600, 100, Fit::Cover)), 600, 100); }
  SECTION("fill ignores the aspect ratio") { check_size(run(photo, box(400, 100, Fit::Fill)), 400, 100); }
  SECTION("outside covers the box without cropping") {
    check_size(run(photo, box(400, 400, Fit::Outside)), 532, 400, 1);
    check_size(run(photo, box(800, 100, Fit::Outside)), 800, 602, 1);
  }
  SECTION("contain pads to the box") { check_size(run(photo, box(400, 400, Fit::Contain)), 400, 400); }
  SECTION("width only keeps the aspect ratio, whatever the fit") {
    for (Fit fit : {Fit::Inside, Fit::Cover, Fit::Contain, Fit::Fill, Fit::Outside})
      check_size(run(photo, box(800, std::nullopt, fit)), 800, 602, 1);
  }
  SECTION("height only keeps the aspect ratio") { check_size(run(photo, box(std::nullopt, 300)), 399, 300, 1); }
  SECTION("no box keeps the source size") { check_size(run(photo, box(std::nullopt, std::nullopt)), 1600, 1203); }
}

TEST_CASE("enlarge=0 never scales the image up", "[image][fit][enlarge]") {
  const Bytes photo = read_fixture("photo-baseline.jpg");  // 1600x1203
  SECTION("inside: source size") { check_size(run(photo, box(3200, 3200, Fit::Inside)), 1600, 1203); }
  SECTION("outside: source size") { check_size(run(photo, box(3200, 100, Fit::Outside)), 1600, 1203); }
  SECTION("cover: crops to min(box, source) per side") {
    check_size(run(photo, box(2000, 1000, Fit::Cover)), 1600, 1000);
    check_size(run(photo, box(1000, 3000, Fit::Cover)), 1000, 1203);
    check_size(run(photo, box(3000, 3000, Fit::Cover)), 1600, 1203);
  }
  SECTION("fill: each side clamped to the source") {
    check_size(run(photo, box(2000, 1000, Fit::Fill)), 1600, 1000);
    check_size(run(photo, box(800, 3000, Fit::Fill)), 800, 1203);
  }
  SECTION("contain: the exact box, the unscaled image padded") {
    Output out = run(photo, box(2000, 1400, Fit::Contain));
    check_size(out, 2000, 1400);
    check_colour(out.image, 100, 700, kWhite, 3);   // left padding (200 px)
    check_colour(out.image, 1000, 50, kWhite, 3);   // top padding (98 px)
    auto centre = out.image.getpoint(1000, 700);    // photo: orange, not white
    CHECK(centre[2] < 200);
  }
  SECTION("width only: source width") { check_size(run(photo, box(2000, std::nullopt)), 1600, 1203); }
}

TEST_CASE("enlarge=1 scales up", "[image][fit][enlarge]") {
  const Bytes photo = read_fixture("photo-baseline.jpg");
  check_size(run(photo, box(3200, 3200, Fit::Inside, true)), 3200, 2406, 1);
  check_size(run(photo, box(2000, 1000, Fit::Cover, true)), 2000, 1000);
  check_size(run(photo, box(2000, 1000, Fit::Fill, true)), 2000, 1000);
  check_size(run(photo, box(2000, 100, Fit::Outside, true)), 2000, 1504, 1);
  check_size(run(photo, box(2000, std::nullopt, Fit::Inside, true)), 2000, 1504, 1);
  Output contain = run(photo, box(2000, 2000, Fit::Contain, true));
  check_size(contain, 2000, 2000);
  check_colour(contain.image, 1000, 20, kWhite, 3);
}

TEST_CASE("contain padding: white for JPEG, transparent for PNG/WebP, bg when given, placed by gravity",
          "[image][fit][contain]") {
  const Bytes photo = read_fixture("photo-baseline.jpg");  // landscape: pads top and bottom
  SECTION("JPEG pads white by default") {
    Output out = run(photo, box(400, 400, Fit::Contain));
    CHECK(out.encoded.format == ImageFormat::Jpeg);
    CHECK(out.image.bands() == 3);
    check_colour(out.image, 200, 10, kWhite, 3);
    check_colour(out.image, 200, 390, kWhite, 3);
  }
  SECTION("PNG pads transparent") {
    TransformSpec spec = box(400, 400, Fit::Contain);
    spec.format = RequestedFormat::Png;
    Output out = run(photo, spec);
    REQUIRE(out.image.bands() == 4);
    CHECK(channel(out.image, 200, 10, 3) == 0);
    CHECK(channel(out.image, 200, 200, 3) == 255);
  }
  SECTION("WebP pads transparent") {
    TransformSpec spec = box(400, 400, Fit::Contain);
    spec.format = RequestedFormat::Webp;
    Output out = run(photo, spec);
    REQUIRE(out.image.bands() == 4);
    CHECK(channel(out.image, 200, 10, 3) == 0);
  }
  SECTION("bg colours the padding") {
    TransformSpec spec = box(400, 400, Fit::Contain);
    spec.background = Rgb{0, 0, 255};
    Output out = run(photo, spec);
    check_colour(out.image, 200, 10, kBlue, 20);
    spec.format = RequestedFormat::Png;
    Output png = run(photo, spec);
    CHECK(png.image.bands() == 3);
    check_colour(png.image, 200, 10, kBlue, 0);
  }
  SECTION("gravity north puts the image at the top") {
    TransformSpec spec = box(400, 400, Fit::Contain);
    spec.gravity = Gravity::North;
    Output out = run(photo, spec);
    CHECK(channel(out.image, 200, 5, 2) < 200);  // photo
    check_colour(out.image, 200, 395, kWhite, 3);  // padding
  }
  SECTION("grey source with a colour bg becomes sRGB") {
    TransformSpec spec = box(900, 900, Fit::Contain);
    spec.background = Rgb{255, 0, 0};
    Output out = run(read_fixture("photo-gray.jpg"), spec);
    CHECK(out.image.bands() == 3);
    check_colour(out.image, 450, 10, kRed, 30);
  }
}

// ------------------------------------------------------------- gravity ---

TEST_CASE("cover crops by gravity", "[image][fit][gravity]") {
  const Bytes lr = read_fixture("split-left-red-right-blue.png");  // 400x200
  const Bytes tb = read_fixture("split-top-red-bottom-blue.png");  // 200x400
  auto cover = [](const Bytes &src, Gravity g) {
    TransformSpec spec = box(100, 100, Fit::Cover);
    spec.gravity = g;
    Output out = run(src, spec);
    check_size(out, 100, 100);
    return out.image;
  };
  check_colour(cover(lr, Gravity::West), 50, 50, kRed, 5);
  check_colour(cover(lr, Gravity::NorthWest), 95, 50, kRed, 5);
  check_colour(cover(lr, Gravity::East), 50, 50, kBlue, 5);
  check_colour(cover(lr, Gravity::SouthEast), 5, 50, kBlue, 5);
  VImage centre = cover(lr, Gravity::Center);
  check_colour(centre, 10, 50, kRed, 5);
  check_colour(centre, 90, 50, kBlue, 5);
  VImage north_on_wide = cover(lr, Gravity::North);  // vertical gravity on a horizontal crop: centred
  check_colour(north_on_wide, 10, 50, kRed, 5);
  check_colour(north_on_wide, 90, 50, kBlue, 5);

  check_colour(cover(tb, Gravity::North), 50, 50, kRed, 5);
  check_colour(cover(tb, Gravity::NorthEast), 50, 95, kRed, 5);
  check_colour(cover(tb, Gravity::South), 50, 50, kBlue, 5);
  check_colour(cover(tb, Gravity::SouthWest), 50, 5, kBlue, 5);
  VImage middle = cover(tb, Gravity::Center);
  check_colour(middle, 50, 10, kRed, 5);
  check_colour(middle, 50, 90, kBlue, 5);
}

TEST_CASE("smart crop (entropy, attention) picks the busy part", "[image][fit][gravity]") {
  // 600x200: flat grey except a noisy, saturated 150x200 block on the right.
  VImage flat = VImage::black(450, 200, VImage::option()->set("bands", 3)) + 128;
  VImage noise = VImage::gaussnoise(150, 200, VImage::option()->set("sigma", 60.0)->set("mean", 128.0));
  VImage busy = VImage::bandjoin(std::vector<VImage>{noise, noise * 0.2, noise.rot180() * 0.5});
  VImage card = flat.join(busy, VIPS_DIRECTION_HORIZONTAL).cast(VIPS_FORMAT_UCHAR);
  // PNG: libvips' thumbnail path. JPEG at a 100x100 box: the fast
  // shrink-on-load path (decoded at 1/2), which must analyse the same way.
  const Bytes png = to_bytes(card.pngsave_buffer());
  const Bytes jpeg = to_bytes(card.jpegsave_buffer(VImage::option()->set("Q", 95)));
  for (const auto &[source, side] : {std::pair{&png, 200}, std::pair{&jpeg, 100}}) {
    for (Gravity g : {Gravity::Entropy, Gravity::Attention}) {
      TransformSpec spec = box(side, side, Fit::Cover);
      spec.gravity = g;
      spec.format = RequestedFormat::Png;
      Output out = run(*source, spec);
      check_size(out, side, side);
      INFO("gravity " << static_cast<int>(g) << ", box " << side);
      CHECK(out.image.extract_band(0).deviate() > 20);  // sees the noise
      TransformSpec centre = spec;
      centre.gravity = Gravity::Center;
      CHECK(run(*source, centre).image.extract_band(0).deviate() < 3);  // the centre is flat
    }
  }
}

// ---------------------------------------------------------- orientation ---

TEST_CASE("EXIF orientations 1-8 are applied and the tag removed", "[image][exif]") {
  const int n = GENERATE(1, 2, 3, 4, 5, 6, 7, 8);
  INFO("orientation " << n);
  const Bytes source = read_fixture("orientation-" + std::to_string(n) + ".jpg");
  TransformSpec spec = box(std::nullopt, std::nullopt);
  spec.format = RequestedFormat::Png;
  Output out = run(source, spec);
  check_size(out, 300, 200);
  check_colour(out.image, 10, 10, kRed);
  check_colour(out.image, 289, 10, kGreen);
  check_colour(out.image, 10, 189, kBlue);
  check_colour(out.image, 289, 189, kYellow);
  CHECK(out.image.get_typeof(VIPS_META_ORIENTATION) == 0);
  CHECK(out.image.get_typeof(VIPS_META_EXIF_NAME) == 0);

  Output small = run(source, box(150, std::nullopt));  // resized after rotation, JPEG out
  check_size(small, 150, 100);
  check_colour(small.image, 5, 5, kRed, 60);
  check_colour(small.image, 144, 94, kYellow, 60);
  CHECK(small.image.get_typeof(VIPS_META_EXIF_NAME) == 0);
}

TEST_CASE("every output format carries no metadata: no EXIF, XMP, IPTC or ICC", "[image][exif]") {
  // A source with all four: EXIF (GPS and camera tags), XMP, IPTC and an ICC profile.
  VImage source = decode(read_fixture("photo-adobergb.jpg")).copy_memory();
  source.set("exif-ifd0-Make", "vips-edge test camera");
  source.set("exif-ifd3-GPSLatitudeRef", "N");
  const std::string xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'>secret</x:xmpmeta>";
  source.set(VIPS_META_XMP_NAME, nullptr, (void *)xmp.data(), xmp.size());
  const std::string iptc = "\x1c\x02\x00\x00\x02\x00\x04";
  source.set(VIPS_META_IPTC_NAME, nullptr, (void *)iptc.data(), iptc.size());
  const Bytes bytes = to_bytes(source.jpegsave_buffer(VImage::option()->set("keep", VIPS_FOREIGN_KEEP_ALL)));
  {
    const VImage check = decode(bytes);
    REQUIRE(check.get_typeof(VIPS_META_EXIF_NAME) != 0);
    REQUIRE(check.get_typeof(VIPS_META_XMP_NAME) != 0);
    REQUIRE(check.get_typeof(VIPS_META_ICC_NAME) != 0);
  }
  for (RequestedFormat format : {RequestedFormat::Jpeg, RequestedFormat::Png, RequestedFormat::Webp}) {
    TransformSpec spec = box(200, std::nullopt);
    spec.format = format;
    const Output out = run(bytes, spec);
    INFO("output " << mime_type(out.encoded.format));
    for (const char *field : {VIPS_META_EXIF_NAME, VIPS_META_XMP_NAME, VIPS_META_IPTC_NAME, VIPS_META_ICC_NAME}) {
      INFO(field);
      CHECK(out.image.get_typeof(field) == 0);
    }
  }
}

// --------------------------------------------------------------- colour ---

TEST_CASE("CMYK JPEGs come out as 3-band sRGB", "[image][colour]") {
  const Bytes baseline = read_fixture("photo-baseline.jpg");
  auto check_converted = [&](const Bytes &cmyk) {
    Output out = run(cmyk, box(800, std::nullopt));
    CHECK(out.encoded.format == ImageFormat::Jpeg);
    CHECK(out.image.bands() == 3);
    CHECK(out.image.interpretation() == VIPS_INTERPRETATION_sRGB);
    // libvips' own lcms CMYK -> sRGB conversion of the same file, as Photoshop
    // makes it (relative colorimetric, black-point compensation: test_colour.cpp)
    VImage expected = decode(cmyk).icc_transform("srgb", VImage::option()
                                                             ->set("embedded", true)
                                                             ->set("input_profile", "cmyk")
                                                             ->set("intent", VIPS_INTENT_RELATIVE)
                                                             ->set("black_point_compensation", true));
    auto means = band_means(out.image), reference = band_means(expected);
    // versus the CMY numbers taken as RGB (what skipping the conversion gives)
    auto naive = band_means(decode(cmyk).extract_band(0, VImage::option()->set("n", 3)));
    double error = 0, naive_error = 0;
    for (int b = 0; b < 3; ++b) {
      error += std::abs(means[b] - reference[b]);
      naive_error += std::abs(naive[b] - reference[b]);
    }
    INFO("error " << error << ", naive error " << naive_error);
    CHECK(error < 8);  // JPEG re-encoding moves the means a little
    CHECK(naive_error > 100);
  };
  SECTION("without an embedded profile") {
    const Bytes cmyk = read_fixture("photo-cmyk.jpg");
    REQUIRE(decode(cmyk).interpretation() == VIPS_INTERPRETATION_CMYK);
    REQUIRE(decode(cmyk).get_typeof(VIPS_META_ICC_NAME) == 0);
    check_converted(cmyk);
  }
  SECTION("with an embedded CMYK profile") {
    VImage rgb = decode(baseline);
    const Bytes cmyk = to_bytes(rgb.icc_export(VImage::option()->set("output_profile", "cmyk"))
                                    .jpegsave_buffer(VImage::option()->set("Q", 90)));
    REQUIRE(decode(cmyk).get_typeof(VIPS_META_ICC_NAME) != 0);
    check_converted(cmyk);
  }
}

TEST_CASE("an Adobe RGB JPEG is converted to sRGB and its profile stripped", "[image][colour]") {
  const Bytes adobe = read_fixture("photo-adobergb.jpg");
  const Bytes srgb = read_fixture("photo-baseline.jpg");
  REQUIRE(decode(adobe).get_typeof(VIPS_META_ICC_NAME) != 0);
  Output out = run(adobe, box(400, std::nullopt));
  CHECK(out.image.bands() == 3);
  CHECK(out.image.interpretation() == VIPS_INTERPRETATION_sRGB);
  CHECK(out.image.get_typeof(VIPS_META_ICC_NAME) == 0);
  // The converted pixels match the sRGB original; the raw Adobe RGB numbers
  // do not (that is what a missing conversion would produce).
  auto converted = band_means(out.image);
  auto reference = band_means(run(srgb, box(400, std::nullopt)).image);
  auto raw = band_means(decode(adobe).resize(0.25));
  double converted_error = 0, raw_error = 0;
  for (int b = 0; b < 3; ++b) {
    converted_error += std::abs(converted[b] - reference[b]);
    raw_error += std::abs(raw[b] - reference[b]);
  }
  INFO("converted " << converted[0] << "," << converted[1] << "," << converted[2] << " ref " << reference[0] << "," << reference[1] << "," << reference[2] << " raw " << raw[0] << "," << raw[1] << "," << raw[2]);
  INFO("converted error " << converted_error << ", raw error " << raw_error);
  CHECK(converted_error < 6);
  CHECK(raw_error > 3 * converted_error);
}

TEST_CASE("grayscale JPEG stays a sensible grey JPEG", "[image][colour]") {
  Output out = run(read_fixture("photo-gray.jpg"), box(400, std::nullopt));
  check_size(out, 400, 301, 1);
  CHECK(out.encoded.format == ImageFormat::Jpeg);
  CHECK(out.image.bands() == 1);
  CHECK(out.image.interpretation() == VIPS_INTERPRETATION_B_W);
  TransformSpec webp = box(400, std::nullopt);
  webp.format = RequestedFormat::Webp;
  CHECK(run(read_fixture("photo-gray.jpg"), webp).encoded.format == ImageFormat::Webp);
}

TEST_CASE("palette, 16-bit and interlaced PNGs become 8-bit sRGB PNGs", "[image][png]") {
  const std::string name = GENERATE(as<std::string>{}, "palette.png", "rgb16.png", "interlaced.png");
  INFO(name);
  Output out = run(read_fixture(name), box(200, std::nullopt));
  check_size(out, 200, 151, 1);
  CHECK(out.encoded.format == ImageFormat::Png);
  CHECK(out.image.bands() == 3);
  CHECK(out.image.format() == VIPS_FORMAT_UCHAR);
  CHECK(out.image.interpretation() == VIPS_INTERPRETATION_sRGB);
  // Same picture as the 8-bit source: 16-bit values were scaled, not clipped.
  auto means = band_means(out.image);
  auto reference = band_means(run(read_fixture("interlaced.png"), box(200, std::nullopt)).image);
  for (int b = 0; b < 3; ++b) CHECK(std::abs(means[b] - reference[b]) < 4);
}

// ---------------------------------------------------------------- alpha ---
// alpha-half-transparent.png: 400x301, left half alpha 0, right half opaque.

TEST_CASE("alpha is flattened onto bg for JPEG and kept for PNG/WebP", "[image][alpha]") {
  const Bytes png = read_fixture("alpha-half-transparent.png");
  SECTION("JPEG: white by default") {
    TransformSpec spec = box(200, std::nullopt);
    spec.format = RequestedFormat::Jpeg;
    Output out = run(png, spec);
    CHECK(out.image.bands() == 3);
    check_colour(out.image, 40, 75, kWhite, 3);
    CHECK(channel(out.image, 160, 75, 2) < 200);  // the photo
  }
  SECTION("JPEG: bg when given") {
    TransformSpec spec = box(200, std::nullopt);
    spec.format = RequestedFormat::Jpeg;
    spec.background = Rgb{0, 255, 0};
    check_colour(run(png, spec).image, 40, 75, kGreen, 20);
  }
  SECTION("PNG keeps alpha") {
    Output out = run(png, box(200, std::nullopt));
    REQUIRE(out.image.bands() == 4);
    CHECK(channel(out.image, 40, 75, 3) == 0);
    CHECK(channel(out.image, 160, 75, 3) == 255);
  }
  SECTION("WebP keeps alpha, in and out") {
    Output out = run(read_fixture("alpha-half-transparent.webp"), box(200, std::nullopt));
    CHECK(out.encoded.format == ImageFormat::Webp);
    REQUIRE(out.image.bands() == 4);
    CHECK(channel(out.image, 40, 75, 3) < 5);
    CHECK(channel(out.image, 160, 75, 3) > 250);
  }
}

// -------------------------------------------------------- other inputs ---

// pipeline.cpp decodes JPEGs at 1/2, 1/4 or 1/8 scale where libvips 8.14's
// thumbnail would decode at twice that size. Sizes must not move by a pixel
// (cache keys and layouts depend on them) and the look must stay the same.
namespace {
// libvips' own thumbnail of `bytes`, before encoding: the reference for the
// fast shrink-on-load path.
// A CMYK source is converted first, as Photoshop does (black-point
// compensation, which thumbnail's own conversion lacks: test_colour.cpp).
VImage libvips_thumbnail(const Bytes &bytes, int width, int height, VipsInteresting crop, bool to_srgb) {
  auto *options = VImage::option()->set("height", height)->set("size", VIPS_SIZE_DOWN)->set("crop", crop);
  const VImage source = decode(bytes);
  if (source.interpretation() == VIPS_INTERPRETATION_CMYK)
    return source
        .icc_transform("srgb", VImage::option()
                                   ->set("embedded", true)
                                   ->set("input_profile", "cmyk")
                                   ->set("intent", VIPS_INTENT_RELATIVE)
                                   ->set("black_point_compensation", true))
        .thumbnail_image(width, options)
        .copy_memory();
  VipsBlob *blob = vips_blob_new(nullptr, bytes.data(), bytes.size());
  if (to_srgb) options->set("export_profile", "srgb")->set("intent", VIPS_INTENT_RELATIVE);
  VImage image = VImage::thumbnail_buffer(blob, width, options).copy_memory();
  vips_area_unref(VIPS_AREA(blob));
  return image;
}

void check_like_libvips(const Bytes &bytes, int width, int height, Fit fit, bool to_srgb = false) {
  const VImage reference = libvips_thumbnail(
      bytes, width, height, fit == Fit::Cover ? VIPS_INTERESTING_CENTRE : VIPS_INTERESTING_NONE, to_srgb);
  // Before encoding, so JPEG loss does not count.
  const VImage prepared = prepare_image(bytes, box(width, height, fit), Config{}).image;
  REQUIRE(prepared.width() == reference.width());
  REQUIRE(prepared.height() == reference.height());
  const double difference = (prepared.cast(VIPS_FORMAT_FLOAT) - reference.cast(VIPS_FORMAT_FLOAT)).abs().avg();
  INFO("mean |fast - libvips| = " << difference);
  CHECK(difference < 1.5);
}
}  // namespace

// pipeline.cpp decodes JPEGs at 1/2, 1/4 or 1/8 scale where libvips 8.14's
// thumbnail would decode at twice that size. Sizes must not move by a pixel
// (cache keys and layouts depend on them) and the look must stay the same.
TEST_CASE("fast JPEG shrink-on-load keeps libvips' output size and look", "[image][jpeg][shrink]") {
  const Bytes photo = read_fixture("photo-baseline.jpg");  // 1600x1203
  // Reduction factors 2.3, 4, 5.3, 8, 16, 1.1: shrink 2, 4, 4, 8, none, none.
  const std::vector<int> widths{700, 400, 300, 200, 100, 1500};
  SECTION("inside and cover look like libvips' thumbnail") {
    for (int width : widths) {
      INFO("w=" << width << " h=" << width * 3 / 5);
      check_like_libvips(photo, width, width * 3 / 5, Fit::Inside);
      check_like_libvips(photo, width, width * 3 / 5, Fit::Cover);
    }
  }
  SECTION("the other fits keep their sizes") {
    for (int width : widths) {
      const int height = width * 3 / 5;
      INFO("w=" << width << " h=" << height);
      check_size(run(photo, box(width, height, Fit::Fill)), width, height);
      check_size(run(photo, box(width, height, Fit::Contain)), width, height);
      // The box is wider than the photo: width drives.
      check_size(run(photo, box(width, height, Fit::Outside)), width, int(std::lround(1203.0 * width / 1600)), 1);
    }
  }
  SECTION("EXIF-rotated JPEGs: the box is applied upright") {
    for (int orientation = 1; orientation <= 8; ++orientation) {
      INFO("orientation " << orientation);
      const Bytes rotated = read_fixture("orientation-" + std::to_string(orientation) + ".jpg");
      check_like_libvips(rotated, 90, 40, Fit::Inside);  // shrink 2
      check_like_libvips(rotated, 40, 40, Fit::Cover);   // shrink 4
    }
  }
  SECTION("CMYK and Adobe RGB JPEGs are colour-managed the same way") {
    check_like_libvips(read_fixture("photo-cmyk.jpg"), 200, 200, Fit::Inside, true);
    check_like_libvips(read_fixture("photo-adobergb.jpg"), 200, 200, Fit::Inside, true);
  }
}

TEST_CASE("progressive JPEG decodes like the baseline one", "[image][jpeg]") {
  Output progressive = run(read_fixture("photo-progressive.jpg"), box(400, std::nullopt));
  Output baseline = run(read_fixture("photo-baseline.jpg"), box(400, std::nullopt));
  check_size(progressive, 400, 301, 1);
  auto a = band_means(progressive.image), b = band_means(baseline.image);
  for (int i = 0; i < 3; ++i) CHECK(std::abs(a[i] - b[i]) < 1.5);
}

TEST_CASE("WebP in, WebP out", "[image][webp]") {
  Output out = run(read_fixture("photo.webp"), box(400, 300, Fit::Cover));
  check_size(out, 400, 300);
  CHECK(out.encoded.format == ImageFormat::Webp);
  CHECK(out.image.bands() == 3);
  CHECK(std::string(out.image.get_string("vips-loader")) == "webpload_buffer");
}

TEST_CASE("GIF in becomes PNG (first frame)", "[image][gif]") {
  Output out = run(read_fixture("photo.gif"), box(200, std::nullopt));
  check_size(out, 200, 151, 1);
  CHECK(out.encoded.format == ImageFormat::Png);
  CHECK(out.image.bands() == 3);
  TransformSpec jpeg = box(200, std::nullopt);
  jpeg.format = RequestedFormat::Jpeg;
  CHECK(run(read_fixture("photo.gif"), jpeg).encoded.format == ImageFormat::Jpeg);
}

TEST_CASE("an animated GIF with anim=0 gives its first frame", "[image][gif]") {
  const Bytes gif = read_fixture("animated-red-blue.gif");  // two 40x30 frames: red then blue
  REQUIRE(decode(gif).get_int(VIPS_META_N_PAGES) == 2);
  TransformSpec spec = box(std::nullopt, std::nullopt);
  spec.animate = false;
  Output out = run(gif, spec);
  check_size(out, 40, 30);
  CHECK(out.encoded.format == ImageFormat::Png);
  check_colour(out.image, 20, 15, kRed, 10);
}

// ------------------------------------------------------------ format ---

TEST_CASE("output format decisions", "[image][format]") {
  const Bytes jpeg = read_fixture("photo-baseline.jpg");
  const Bytes alpha = read_fixture("alpha-half-transparent.png");
  auto format_of = [](const Bytes &src, RequestedFormat f, bool webp) {
    TransformSpec spec = box(100, std::nullopt);
    spec.format = f;
    spec.accepts_webp = webp;
    Output out = run(src, spec);
    // the bytes really are that format
    std::string loader = out.image.get_string("vips-loader");
    const char *expected = out.encoded.format == ImageFormat::Jpeg  ? "jpegload_buffer"
                           : out.encoded.format == ImageFormat::Png ? "pngload_buffer"
                                                                     : "webpload_buffer";
    CHECK(loader == expected);
    return out.encoded.format;
  };
  CHECK(format_of(jpeg, RequestedFormat::Source, true) == ImageFormat::Jpeg);
  CHECK(format_of(alpha, RequestedFormat::Source, true) == ImageFormat::Png);
  CHECK(format_of(read_fixture("photo.webp"), RequestedFormat::Source, false) == ImageFormat::Webp);
  CHECK(format_of(read_fixture("photo.gif"), RequestedFormat::Source, false) == ImageFormat::Png);
  CHECK(format_of(jpeg, RequestedFormat::Png, false) == ImageFormat::Png);
  CHECK(format_of(jpeg, RequestedFormat::Webp, false) == ImageFormat::Webp);
  CHECK(format_of(alpha, RequestedFormat::Jpeg, true) == ImageFormat::Jpeg);
  // auto: WebP when accepted, else JPEG, or PNG when there is alpha
  CHECK(format_of(jpeg, RequestedFormat::Auto, true) == ImageFormat::Webp);
  CHECK(format_of(alpha, RequestedFormat::Auto, true) == ImageFormat::Webp);
  CHECK(format_of(jpeg, RequestedFormat::Auto, false) == ImageFormat::Jpeg);
  CHECK(format_of(alpha, RequestedFormat::Auto, false) == ImageFormat::Png);
  CHECK(format_of(read_fixture("palette.png"), RequestedFormat::Auto, false) == ImageFormat::Jpeg);
  // an alpha band that is fully opaque does not count as alpha
  VImage opaque = decode(read_fixture("interlaced.png")).bandjoin_const({255});
  const Bytes rgba = to_bytes(opaque.pngsave_buffer());
  REQUIRE(decode(rgba).bands() == 4);
  CHECK(format_of(rgba, RequestedFormat::Auto, false) == ImageFormat::Jpeg);
}

// ------------------------------------------------------------ quality ---

TEST_CASE("quality: defaults from config, lower quality gives fewer bytes", "[image][quality]") {
  const Bytes jpeg = read_fixture("photo-baseline.jpg");
  Config config;
  config.jpeg_quality = 70;
  config.webp_quality = 60;
  TransformSpec spec = box(600, std::nullopt);
  PreparedImage prepared = prepare_image(jpeg, spec, config);
  CHECK(prepared.default_quality == 70);
  spec.format = RequestedFormat::Webp;
  CHECK(prepare_image(jpeg, spec, config).default_quality == 60);
  spec.quality = 33;
  CHECK(prepare_image(jpeg, spec, config).default_quality == 33);

  // Re-encoding the same prepared image at several qualities.
  EncodedImage q90 = encode_image(prepared, 90), q50 = encode_image(prepared, 50), q20 = encode_image(prepared, 20);
  CHECK(q90.quality == 90);
  CHECK(q20.quality == 20);
  CHECK(q90.bytes.size() > q50.bytes.size());
  CHECK(q50.bytes.size() > q20.bytes.size());
  CHECK(q20.width == 600);

  spec.quality.reset();
  PreparedImage webp = prepare_image(jpeg, spec, config);
  CHECK(encode_image(webp, 90).bytes.size() > encode_image(webp, 30).bytes.size());
  CHECK(encode_image(webp, 0).quality == 1);  // clamped
}

TEST_CASE("incompressible noise PNG exceeds a Lambda@Edge body at any PNG setting", "[image][quality]") {
  const Bytes noise = make_noise_png(1500, 1500);
  TransformSpec spec = box(std::nullopt, std::nullopt);
  Output out = run(noise, spec);
  check_size(out, 1500, 1500);
  CHECK(out.image.bands() == 3);
  CHECK(out.encoded.format == ImageFormat::Png);
  CHECK(out.encoded.bytes.size() > 1'048'576 / 4 * 3);  // > 1 MiB once base64-encoded
}

// ------------------------------------------------------------- limits ---

TEST_CASE("max_input_pixels is checked from the header, before decoding", "[image][limits]") {
  const Bytes huge = make_huge_header_png(30000, 30000);  // 900 MP, ~90 bytes
  REQUIRE(huge.size() < 200);
  auto start = std::chrono::steady_clock::now();
  ApiError e = api_error_of([&] { prepare_image(huge, box(100, 100), Config{}); });
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(e.status == 413);
  CHECK(e.code == "source_too_large");
  CHECK(elapsed < std::chrono::seconds(1));

  Config small;
  small.max_input_pixels = 1600 * 1203 - 1;
  CHECK(api_error_of([&] { prepare_image(read_fixture("photo-baseline.jpg"), box(100, 100), small); }).status == 413);
  small.max_input_pixels = 1600 * 1203;
  CHECK_NOTHROW(prepare_image(read_fixture("photo-baseline.jpg"), box(100, 100), small));
  Config bytes;
  bytes.max_input_bytes = 1000;
  CHECK(api_error_of([&] { prepare_image(read_fixture("photo-baseline.jpg"), box(100, 100), bytes); }).status == 413);
}

// ------------------------------------------------------------ truncation ---

TEST_CASE("truncated input policy", "[image][errors][truncated]") {
  SECTION("a JPEG cut at 60% is 422") {
    ApiError e = api_error_of([&] { prepare_image(read_fixture("photo-truncated.jpg"), box(400, 400), Config{}); });
    CHECK(e.status == 422);
    CHECK(e.code == "undecodable_image");
  }
  SECTION("a JPEG missing only its EOI marker decodes") {
    Output out = run(read_fixture("photo-missing-eoi.jpg"), box(400, std::nullopt));
    check_size(out, 400, 301, 1);
    auto a = band_means(out.image);
    auto b = band_means(run(read_fixture("photo-baseline.jpg"), box(400, std::nullopt)).image);
    for (int i = 0; i < 3; ++i) CHECK(std::abs(a[i] - b[i]) < 0.5);
  }
  SECTION("truncated PNG and WebP are 422") {
    for (const char *name : {"interlaced.png", "photo.webp", "photo-progressive.jpg", "photo.gif"}) {
      Bytes bytes = read_fixture(name);
      bytes.resize(bytes.size() * 6 / 10);
      INFO(name);
      CHECK(api_error_of([&] { prepare_image(bytes, box(100, 100), Config{}); }).status == 422);
    }
  }
}
