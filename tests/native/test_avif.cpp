// AVIF through the core and the codec (src/codec/heif_codec.hpp, natively
// over Debian's libheif; the wasm build runs the same C++ against libheif
// 1.19 + aom + dav1d, tests/node/avif.test.mjs): the codec round trip, the
// render's encode/decode steps and their errors, format=auto's AVIF rule,
// and the 1 MB rule for AVIF. Fixtures (fixtures/make-images.sh): photo.avif
// (800x602), alpha-half-transparent.avif (400x301, left half transparent),
// photo-lying-size.avif (photo.avif declaring 8x6), photo.heic (HEVC: a HEIF
// we do not decode).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/parse_spec.hpp"
#include "codec/heif_codec.hpp"
#include "support/native_driver.hpp"
#include "support/text_handler.hpp"
#include "handler/handler.hpp"
#include "util/base64.hpp"
#include "codec_answer.hpp"
#include "image_helpers.hpp"

using namespace vips_edge;
using namespace vips_edge::test;
using nlohmann::json;

namespace {

TransformSpec spec_of(const std::string &query, bool accepts_avif = false, const Config &config = {}) {
  auto spec = parse_spec(query, {}, config);
  REQUIRE(spec);
  spec->accepts_webp = spec->accepts_avif = accepts_avif;
  return *spec;
}

Bytes noise_rgba(int width, int height) {
  Bytes pixels(std::size_t(width) * std::size_t(height) * 4);
  std::uint32_t x = 12345;
  for (auto &p : pixels) p = static_cast<std::uint8_t>((x = x * 1103515245u + 12345u) >> 24);
  return pixels;
}

// `file` with its ispe box (the declared size) rewritten to width x height.
Bytes with_ispe(Bytes file, std::uint32_t width, std::uint32_t height) {
  const auto ispe = std::search(file.begin(), file.end(), std::begin("ispe"), std::begin("ispe") + 4);
  REQUIRE(ispe != file.end());
  for (int i = 0; i < 4; ++i) {
    ispe[8 + i] = static_cast<std::uint8_t>(width >> (24 - 8 * i));
    ispe[12 + i] = static_cast<std::uint8_t>(height >> (24 - 8 * i));
  }
  return file;
}

}  // namespace

TEST_CASE("codec: RGB and RGBA round trip through AVIF", "[avif]") {
  for (int channels : {3, 4}) {
    Bytes pixels(64 * 48 * std::size_t(channels), 0);
    for (std::size_t i = 0; i < pixels.size(); i += std::size_t(channels)) {
      pixels[i] = 200;  // red
      if (channels == 4) pixels[i + 3] = (i / std::size_t(channels)) % 64 < 32 ? 0 : 255;  // left half transparent
    }
    const Bytes avif = codec::encode_avif(pixels, {64, 48, channels, 60, 8});
    REQUIRE(avif.size() > 12);
    CHECK(std::string(avif.begin() + 4, avif.begin() + 12) == "ftypavif");
    const codec::Decoded back = codec::decode_heif(avif, 1'000'000);
    CHECK(back.width == 64);
    CHECK(back.height == 48);
    CHECK(back.channels == channels);
    CHECK(std::abs(int(back.pixels[std::size_t(channels) * 40]) - 200) < 12);  // row 0, column 40: red
    if (channels == 4) {
      CHECK(back.pixels[3] < 8);                                // column 0: transparent
      CHECK(back.pixels[std::size_t(4 * 40) + 3] > 247);        // column 40: opaque
    }
  }
}

TEST_CASE("codec: every failure's name is the CodecError the core reads", "[avif]") {
  const std::pair<codec::Failure, msg::CodecError> pairs[] = {
      {codec::Failure::Corrupt, msg::CodecError::Corrupt},
      {codec::Failure::Unsupported, msg::CodecError::Unsupported},
      {codec::Failure::TooLarge, msg::CodecError::TooLarge},
      {codec::Failure::Internal, msg::CodecError::Internal}};
  for (const auto &[failure, error] : pairs) {
    const std::string name = codec::failure_name(failure);
    INFO(name);
    const auto outcome = msg::read_codec_outcome(R"({"error":")" + name + R"("})");
    REQUIRE(std::holds_alternative<msg::CodecFailed>(outcome));
    CHECK(std::get<msg::CodecFailed>(outcome).error == error);
  }
}

TEST_CASE("codec: hostile and unsupported files fail with their reason", "[avif]") {
  const Bytes avif = read_fixture("photo.avif");
  auto failure = [](const Bytes &file, std::uint64_t max_pixels = 100'000'000) {
    return decode_failure(codec::decode_heif, file, max_pixels);
  };
  CHECK(failure(avif, 800 * 602 - 1) == codec::Failure::TooLarge);
  // A header claiming 65535x65535 (the ispe box rewritten): refused before any
  // decode, by libheif's own limit or ours, as too large.
  const Bytes huge = with_ispe(avif, 65535, 65535);
  CHECK(failure(huge) == codec::Failure::TooLarge);
  CHECK(failure(huge, 1ull << 40) == codec::Failure::TooLarge);
  // A header claiming 8x6 over the 800x602 AV1 frame, under and over
  // max_pixels: refused by libheif >= 1.19's limits before the frame is
  // decoded, and here (Debian 12's libheif 1.15, no limits) by the decoded
  // size's check.
  const Bytes small = read_fixture("photo-lying-size.avif");
  CHECK(failure(small, 1'000) == codec::Failure::Corrupt);
  CHECK(failure(small) == codec::Failure::Corrupt);
  CHECK(codec::decode_heif(avif, 800 * 602).width == 800);  // the limits are per decode
  CHECK(failure(read_fixture("photo.heic")) == codec::Failure::Unsupported);
  CHECK(failure(Bytes(avif.begin(), avif.begin() + std::ptrdiff_t(avif.size() / 2))) == codec::Failure::Corrupt);
  CHECK(failure(Bytes(avif.begin(), avif.begin() + 40)) == codec::Failure::Corrupt);
  Bytes garbled = avif;
  for (std::size_t i = 400; i < garbled.size(); i += 7) garbled[i] ^= 0x5a;
  CHECK(failure(garbled) == codec::Failure::Corrupt);
  CHECK_THROWS_AS(codec::encode_avif(Bytes(10), {64, 48, 3, 50, 8}), codec::CodecError);
}

TEST_CASE("AVIF output: format=avif, and format=auto within its pixel budget", "[avif]") {
  const Bytes jpeg = read_fixture("photo-baseline.jpg");
  const json avif = answer(jpeg, "w=400&format=avif");
  CHECK(content_type(avif) == "image/avif");
  const codec::Decoded out = codec::decode_heif(body_of(avif), 1'000'000);
  CHECK(out.width == 400);
  CHECK(out.height == 301);
  CHECK(avif["log"]["format"] == "image/avif");
  CHECK(avif["log"]["quality"] == Config{}.avif_quality);

  const std::string chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
  CHECK(content_type(answer(jpeg, "w=200&format=auto", {}, chrome)) == "image/avif");
  CHECK(answer(jpeg, "w=200&format=auto", {}, chrome)["response"]["headers"]["vary"][0]["value"] == "accept");
  CHECK(content_type(answer(jpeg, "w=200&format=auto", {}, "image/webp,*/*")) == "image/webp");
  // Over the budget: WebP (200x150 = 30,000 pixels).
  Config budget;
  budget.avif_auto_max_pixels = 29'999;
  CHECK(content_type(answer(jpeg, "w=200&format=auto", budget, chrome)) == "image/webp");
  budget.avif_auto_max_pixels = 30'000;
  CHECK(content_type(answer(jpeg, "w=200&format=auto", budget, chrome)) == "image/avif");
  // q and the config's quality reach the encoder.
  CHECK(answer(jpeg, "w=200&format=avif&q=30", {})["log"]["quality"] == 30);
  Config quality;
  quality.avif_quality = 70;
  CHECK(answer(jpeg, "w=200&format=avif", quality)["log"]["quality"] == 70);
}

TEST_CASE("AVIF input: decoded by the codec, then the usual pipeline", "[avif]") {
  const json webp = answer(read_fixture("alpha-half-transparent.avif"), "w=100&h=100&fit=cover&format=webp");
  CHECK(content_type(webp) == "image/webp");
  const vips::VImage image = decode(body_of(webp));
  CHECK(image.width() == 100);
  CHECK(image.height() == 100);
  CHECK(image.bands() == 4);
  CHECK(image.extract_area(0, 0, 20, 100).extract_band(3).max() < 10);     // left: transparent
  CHECK(image.extract_area(80, 0, 20, 100).extract_band(3).min() > 245);   // right: opaque

  // No format: the source's family, AVIF.
  CHECK(content_type(answer(read_fixture("photo.avif"), "w=300")) == "image/avif");
  const json described = answer(read_fixture("photo.avif"), "format=json");
  const json body = json::parse(described["response"]["body"].get<std::string>());
  CHECK(body["source"]["format"] == "avif");
  CHECK(body["source"]["width"] == 800);
}

TEST_CASE("AVIF input errors: 415 HEIC, 422 truncated, 413 over maxInputPixels", "[avif]") {
  CHECK(answer(read_fixture("photo.heic"), "w=100")["response"]["status"] == "415");
  const Bytes avif = read_fixture("photo.avif");
  const json truncated = answer(Bytes(avif.begin(), avif.begin() + std::ptrdiff_t(avif.size() * 2 / 3)), "w=100");
  CHECK(truncated["response"]["status"] == "422");
  CHECK(truncated["response"]["headers"]["cache-control"][0]["value"] == Config{}.error_cache_control.client);
  Config small;
  small.max_input_pixels = 100'000;
  const json big = answer(avif, "w=100", small);
  CHECK(big["response"]["status"] == "413");
  CHECK(big["log"]["code"] == "source_too_large");
}

TEST_CASE("resume: the codec module unavailable is a 500; unknown and dropped handles", "[avif]") {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  json event = json::parse(in);
  event["Records"][0]["cf"]["request"]["querystring"] = "w=100&format=avif";
  Handler handler{Config{}};
  const Job job = std::get<Job>(handler.prepare(event.dump(), test::kTestNow));
  const Bytes jpeg = read_fixture("photo-baseline.jpg");

  msg::FinishReply reply = handler.finish(job, msg::OriginAnswered{200, {}}, jpeg);
  REQUIRE(std::holds_alternative<msg::Encode>(reply));
  const msg::Encode encode = std::get<msg::Encode>(reply);
  CHECK(encode.width == 100);
  CHECK(encode.channels == 3);
  // One job table: a render's handle is never a plan() handle, and neither
  // kind is taken for the other.
  const std::uint32_t planned = handler.keep(job);
  CHECK(encode.job != planned);
  CHECK_FALSE(handler.take_job(encode.job));
  CHECK(handler.take_job(planned));
  CHECK(handler.pending_count() == 1);
  const json failed = json::parse(msg::to_text(
      handler.resume(encode.job, msg::CodecFailed{msg::CodecError::Unavailable, "trapped"}, {})));
  CHECK(failed["response"]["status"] == "500");
  CHECK(handler.pending_count() == 0);
  CHECK(json::parse(msg::to_text(handler.resume(encode.job, msg::CodecDone{}, {})))["response"]["status"] == "500");

  reply = handler.finish(job, msg::OriginAnswered{200, {}}, jpeg);
  handler.drop(std::get<msg::Encode>(reply).job);
  CHECK(handler.pending_count() == 0);
  // A malformed outcome also ends the pending render.
  reply = handler.finish(job, msg::OriginAnswered{200, {}}, jpeg);
  const std::uint8_t none = 0;
  CHECK(json::parse(msg::to_text(handler.resume(std::get<msg::Encode>(reply).job, "{\"bytes\":\"x\"}", {&none, 0})))
            ["response"]["status"] == "500");
  CHECK(handler.pending_count() == 0);
}

TEST_CASE("AVIF 1 MB rule: quality steps down, then the oversize policy", "[avif]") {
  const TransformSpec spec = spec_of("w=100&format=avif");
  PendingEncode pending{{Bytes(100 * 100 * 3), 100, 100, 3}, 60, 8, 30, 0};
  const Bytes too_big(900'000, 0x55);  // base64 1.2 MB: over the 1 MB body

  RenderStep step = render_encoded(pending, too_big, spec, {}, Config{});
  REQUIRE(std::holds_alternative<PendingEncode>(step));
  const int lower = std::get<PendingEncode>(step).quality;
  CHECK(lower <= 55);
  CHECK(lower >= 30);
  CHECK(std::get<PendingEncode>(step).encodes == 1);

  pending.quality = 30;  // at the floor: nothing left to try
  step = render_encoded(pending, too_big, spec, {}, Config{});
  REQUIRE(std::holds_alternative<RenderOutcome>(step));
  CHECK_FALSE(std::get<RenderOutcome>(step).response);  // "original": the request goes on unchanged
  Config strict;
  strict.oversize = OversizePolicy::Error;
  CHECK_THROWS_AS(render_encoded(pending, too_big, spec, {}, strict), ApiError);

  step = render_encoded(pending, Bytes(5000, 1), spec, {}, Config{});
  REQUIRE(std::holds_alternative<RenderOutcome>(step));
  CHECK(std::get<RenderOutcome>(step).response->status == "200");
}

TEST_CASE("AVIF output of noise fits the 1 MB body by stepping quality down", "[avif][slow]") {
  // 1000x1000 noise at q=100 is ~2 MB of AVIF: the size rule must bring it under.
  vips::VImage noise = vips::VImage::bandjoin(std::vector<vips::VImage>{
      vips::VImage::gaussnoise(1000, 1000, vips::VImage::option()->set("sigma", 80.0)->set("mean", 128.0)),
      vips::VImage::gaussnoise(1000, 1000, vips::VImage::option()->set("sigma", 80.0)->set("mean", 128.0)),
      vips::VImage::gaussnoise(1000, 1000, vips::VImage::option()->set("sigma", 80.0)->set("mean", 128.0))});
  const Bytes png = to_bytes(noise.cast(VIPS_FORMAT_UCHAR).pngsave_buffer(vips::VImage::option()->set("compression", 1)));
  Config fast;
  fast.avif_speed = 9;
  const json reply = answer(png, "format=avif&q=100", fast);
  CHECK(reply["response"]["status"] == "200");
  CHECK(reply["log"]["encodes"].get<int>() >= 2);
  CHECK(reply["log"]["quality"].get<int>() < 100);
  CHECK(reply["log"]["bytesOut"].get<int>() < 786'432);
}
