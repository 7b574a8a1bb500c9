// The body of every fuzz target, shared by the libFuzzer mains (fuzz/*.cpp)
// and tests/native/test_regressions.cpp, so a kept crasher goes through
// exactly the code path that found it.
//
// Each *_one function takes one input and throws InvariantFailure when an
// invariant breaks; in a fuzzer that exception is uncaught, i.e. a crash
// that libFuzzer records. Expected failures (ApiError 4xx, EventError,
// std::invalid_argument from parse_config) are caught inside.
#pragma once

#include <cstdint>
#include <fstream>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/canonical.hpp"
#include "api/config.hpp"
#include "api/params.hpp"
#include "api/parse_spec.hpp"
#include "api/query.hpp"
#include "api/signing.hpp"
#include "events/cloudfront.hpp"
#include "events/cloudfront_schema.hpp"
#include "codec/decode.hpp"
#include "support/native_driver.hpp"
#include "support/spec_text.hpp"
#include "handler/handler.hpp"
#include "image/pipeline.hpp"
#include "support/text_handler.hpp"

namespace vips_edge::fuzz {

struct InvariantFailure : std::logic_error {
  using std::logic_error::logic_error;
};

#define VIPS_EDGE_FUZZ_CHECK(cond)                                                             \
  do {                                                                                         \
    if (!(cond))                                                                               \
      throw ::vips_edge::fuzz::InvariantFailure(std::string("invariant failed: ") + #cond + " (" + \
                                                __FILE__ + ":" + std::to_string(__LINE__) + ")"); \
  } while (0)
#define CHECK_INV VIPS_EDGE_FUZZ_CHECK

// ------------------------------------------------------------------ query ---
// Input: query string, optionally followed by '\n' and an Accept value. Run
// under a strict config (signing required, allowedWidths, small max) and a
// loose one (signing optional, defaults).
inline Config query_config(bool strict) {
  Config c;
  if (strict) {
    c.max_width = 2000;
    c.max_height = 1500;
    c.allowed_widths = std::vector<int>{100, 200, 400, 800, 1600};
    c.signing = SigningConfig{{{"default", "secret"}}, true};
  } else {
    c.signing = SigningConfig{{{"default", "k\x01\xff key"}}, false};
  }
  return c;
}

inline void query_run(std::string_view query, const cf::Headers &headers, const Config &config) {
  const std::string uri = "/photos/cat.jpg";
  bool collected = false, transform = false, has_sig = false;
  try {
    UrlParams params = collect_params(query);
    collected = true;
    transform = params.is_transform();
    has_sig = params.get(Param::Sig) != nullptr;
  } catch (const ApiError &e) {
    CHECK_INV(e.status == 400);
  }

  try {
    auto spec = parse_spec(query, headers, config);
    CHECK_INV(collected);
    CHECK_INV(spec.has_value() == transform);
    if (spec) {
      CHECK_INV(spec->dpr >= 1.0 && spec->dpr <= 4.0);
      if (spec->width) CHECK_INV(*spec->width >= 1 && *spec->width <= config.max_width);
      if (spec->height) CHECK_INV(*spec->height >= 1 && *spec->height <= config.max_height);
      CHECK_INV(spec->width.has_value() == spec->target_width.has_value());
      CHECK_INV(spec->height.has_value() == spec->target_height.has_value());
      if (spec->target_width) CHECK_INV(*spec->target_width >= 1 && *spec->target_width <= config.max_width);
      if (spec->target_height) CHECK_INV(*spec->target_height >= 1 && *spec->target_height <= config.max_height);
      if (spec->quality) CHECK_INV(*spec->quality >= 1 && *spec->quality <= 100);
      CHECK_INV(!test::spec_text(*spec).empty());
      CHECK_INV(spec->rotate == 0 || spec->rotate == 90 || spec->rotate == 180 || spec->rotate == 270);
      if (spec->rect) CHECK_INV(spec->rect->x >= 0 && spec->rect->y >= 0 && spec->rect->width >= 1 && spec->rect->height >= 1);
      if (spec->focal) CHECK_INV(spec->fit == Fit::Cover && spec->width && spec->height && spec->focal->x >= 0 &&
                                 spec->focal->x <= 1 && spec->focal->y >= 0 && spec->focal->y <= 1);
      if (spec->trim) CHECK_INV(*spec->trim >= 1 && *spec->trim <= 100);
      if (spec->blur) CHECK_INV(*spec->blur >= 0.3 && *spec->blur <= 100);
      if (spec->sharpen) CHECK_INV(*spec->sharpen >= 0.3 && *spec->sharpen <= 10);
    }
  } catch (const ApiError &e) {
    CHECK_INV(e.status == 400);
    CHECK_INV(e.param.has_value() || !collected);
  }

  // The canonical query (what the CloudFront Function forwards) is collectable,
  // a fixed point, and means what the query meant: the same spec, the same
  // passthrough, or a 400 both times.
  if (collected) {
    const UrlParams params = collect_params(query);
    const std::string canonical = canonical_query(params);
    if (canonical.size() <= kMaxQueryLength) {
      UrlParams again;
      try {
        again = collect_params(canonical);
      } catch (const ApiError &) {
        CHECK_INV(!"the canonical query does not collect");
      }
      CHECK_INV(canonical_query(again) == canonical);
      auto outcome = [&](const UrlParams &p) -> std::pair<bool, std::optional<TransformSpec>> {
        try {
          return {false, parse_spec(p, headers, config)};
        } catch (const ApiError &) {
          return {true, std::nullopt};
        }
      };
      CHECK_INV(outcome(params) == outcome(again));
    }
  }

  try {
    verify_signature(uri, query, config);
    CHECK_INV(collected);
  } catch (const ApiError &e) {
    CHECK_INV(e.status == 400 || e.status == 403);
    if (e.status == 403) CHECK_INV(collected && transform);
  }

  // Signing round trip: sign, append sig, and the result must verify.
  if (collected && transform && !has_sig) {
    std::string sig = compute_signature(config.signing->keys.back().secret, uri, query);
    CHECK_INV(sig.size() == 43);
    std::string signed_query = std::string(query) + "&sig=" + sig;
    bool fits = true;
    try {
      collect_params(signed_query);
    } catch (const ApiError &) {
      fits = false;  // over the length / count limit now
    }
    if (fits) {
      try {
        verify_signature(uri, signed_query, config);
      } catch (const ApiError &e) {
        CHECK_INV(!"a correctly signed query was refused");
      }
    }
  }
}

inline void query_one(std::string_view input) {
  static const Config strict = query_config(true);
  static const Config loose = query_config(false);
  std::string_view query = input;
  cf::Headers headers;
  if (auto nl = input.find('\n'); nl != std::string_view::npos) {
    query = input.substr(0, nl);
    headers.entries["accept"].push_back({"Accept", std::string(input.substr(nl + 1)), {}});
  }
  query_run(query, headers, strict);
  query_run(query, headers, loose);
}

// ----------------------------------------------------------------- config ---
inline bool clean_header_value(const std::string &s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

inline void config_one(std::string_view text) {
  Config c;
  try {
    c = parse_config(text);
  } catch (const std::invalid_argument &e) {
    CHECK_INV(std::string_view(e.what()).substr(0, 8) == "config: ");
    return;
  }
  CHECK_INV(c.max_width >= 1 && c.max_width <= 16383);
  CHECK_INV(c.max_height >= 1 && c.max_height <= 16383);
  CHECK_INV(c.max_input_bytes >= 1 && c.max_input_pixels >= 1);
  CHECK_INV(c.jpeg_quality >= 1 && c.jpeg_quality <= 100);
  CHECK_INV(c.webp_quality >= 1 && c.webp_quality <= 100);
  CHECK_INV(c.quality_floor >= 1 && c.quality_floor <= 100);
  if (c.allowed_widths) {
    CHECK_INV(!c.allowed_widths->empty());
    for (int w : *c.allowed_widths) CHECK_INV(w >= 1 && w <= c.max_width);
  }
  if (c.allowed_heights) {
    CHECK_INV(!c.allowed_heights->empty());
    for (int h : *c.allowed_heights) CHECK_INV(h >= 1 && h <= c.max_height);
  }
  CHECK_INV(clean_header_value(c.cache_control));
  CHECK_INV(clean_header_value(c.error_cache_control.client));
  CHECK_INV(clean_header_value(c.error_cache_control.server));
  for (const auto &rule : c.cache_rules) CHECK_INV(clean_header_value(rule.cache_control) && rule.prefix[0] == '/');
  if (c.fallback) CHECK_INV(c.fallback->path.has_value() != c.fallback->file.has_value());
  if (c.signing) {
    CHECK_INV(!c.signing->keys.empty());
    for (const SigningKey &k : c.signing->keys) CHECK_INV(!k.name.empty() && !k.secret.empty());
  }
  if (c.s3_endpoint) CHECK_INV(clean_header_value(*c.s3_endpoint));
}

// ------------------------------------------------------------------ event ---
// A Handler result: valid JSON, a known action, a parsable response for
// "respond", the request unchanged for "passthrough". Returns the result.
inline nlohmann::json check_handler_result(const std::string &out, const cf::Event *event) {
  nlohmann::json result;
  try {
    result = nlohmann::json::parse(out);
  } catch (const nlohmann::json::exception &) {
    CHECK_INV(!"handler result is not valid JSON");
  }
  CHECK_INV(result.is_object() && result.contains("action") && result["action"].is_string());
  const std::string action = result["action"].get<std::string>();
  if (action == "respond") {
    CHECK_INV(result.contains("response"));
    try {
      cf::Response r = test::parse_response(result["response"].dump());
      CHECK_INV(cf::is_valid_status(r.status));
    } catch (const cf::EventError &) {
      CHECK_INV(!"handler response does not parse as a CloudFront response");
    }
  } else if (action == "passthrough") {
    if (event) CHECK_INV(result["request"] == schema::write(event->request));
  } else {
    CHECK_INV(action == "fetch");
    CHECK_INV(result.contains("origin") && result["origin"].is_object());
  }
  return result;
}

inline void event_one(std::string_view text) {
  static const Handler handler{Config{}};
  bool parsed = false;
  cf::Event event;
  try {
    event = cf::parse_event(text);
    parsed = true;
  } catch (const cf::EventError &) {
  }
  if (parsed) {  // parse(serialise(x)) == x
    nlohmann::json j1 = event;
    nlohmann::json j2;
    try {
      j2 = cf::parse_event(j1.dump());
    } catch (const cf::EventError &) {
      CHECK_INV(!"a serialised event does not parse again");
    }
    CHECK_INV(j1 == j2);
  }
  try {
    cf::Response r = test::parse_response(text);
    nlohmann::json j1 = r;
    nlohmann::json j2 = test::parse_response(j1.dump());
    CHECK_INV(j1 == j2);
  } catch (const cf::EventError &) {
  }
  check_handler_result(test::plan_text(handler, text), parsed ? &event : nullptr);
  check_handler_result(test::finish_text(handler, text, R"({"status":404})", {}), parsed ? &event : nullptr);
}

// ------------------------------------------------------------------ image ---
// maxInputPixels lowered to 4 MP so one input cannot spend the whole
// -timeout on a legitimately large decode; the check is the same code.
inline Config image_config() {
  Config c;
  // 300 k pixels: every code path (trim's reduced-copy search starts at 250 k)
  // at a pace that lets millions of runs fit; over it is a header-only 413.
  // (At 4 MP the corpus drifted to 64799x21-style images and 16 runs/s under
  // ASan.)
  c.max_input_pixels = 300'000;
  c.max_width = 1024;
  c.max_height = 1024;
  // Animations: a GIF that claims thousands of frames is refused from its
  // header; what passes stays small enough for ASan's pace. All frames
  // together get the still image's 300 k: at 2 M the GIF corpus grew to
  // frames that ran at ~36 inputs a second.
  c.max_frames = 64;
  c.max_frame_pixels = 300'000;
  return c;
}

inline std::string image_event(const std::string &querystring) {
  std::ifstream in(VIPS_EDGE_FIXTURES "/events/origin-request-custom.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str());
  j["Records"][0]["cf"]["request"]["querystring"] = querystring;
  return j.dump();
}

// Handler::finish, the production path, fixed spec w=64&h=48: a 200 image,
// a 4xx error or (oversize policy "original") a passthrough; never 5xx. An
// AVIF/HEIF or TIFF body takes the codec steps too (the native codec driver answers
// the Decode and Encode replies, as the trigger does with the codec module).
inline void image_one(std::span<const std::uint8_t> bytes) {
  static const Handler handler(image_config());
  static const Job job = std::get<Job>(handler.prepare(image_event("w=64&h=48"), vips_edge::test::kTestNow));
  std::string out = msg::to_text(test::finish_all(handler, job, msg::OriginAnswered{200, {}}, bytes));
  CHECK_INV(handler.pending_count() == 0);
  nlohmann::json result = check_handler_result(out, nullptr);
  if (result["action"] == "respond") {
    int status = std::stoi(result["response"]["status"].get<std::string>());
    if (status >= 500) throw InvariantFailure("5xx for an image body: " + out.substr(0, 1000));
  }
}

// prepare_image, or for an AVIF/HEIF or TIFF source the codec's decode (its refusals
// mapped to the 4xx the handler answers) then prepare_decoded.
inline PreparedImage prepare_spec_image(std::span<const std::uint8_t> source, const TransformSpec &spec,
                                        const Config &config) {
  const Source checked = check_source(source, config);
  if (!format_info(checked.format).codec) return prepare_image(checked, spec, config);
  codec::Decoded decoded;
  try {
    decoded = codec::decode_image(source, config.max_input_pixels);
  } catch (const codec::CodecError &e) {
    CHECK_INV(e.failure != codec::Failure::Internal);
    throw ApiError::undecodable_image(e.what());
  }
  return prepare_decoded({checked.format, decoded.width, decoded.height, decoded.channels, decoded.pixels, decoded.icc,
                          source.size()},
                         spec, config);
}

// encode_image, or the codec's AVIF encode (speed 9: the fuzzer's pace).
inline EncodedImage encode_spec_image(const PreparedImage &prepared) {
  if (prepared.format != ImageFormat::Avif) return encode_image(prepared, prepared.default_quality);
  const Pixels pixels = image_pixels(prepared);
  CHECK_INV(pixels.data.size() == std::size_t(pixels.width) * std::size_t(pixels.height) * std::size_t(pixels.channels));
  std::vector<std::uint8_t> avif;
  try {
    avif = codec::encode_avif(pixels.data, {pixels.width, pixels.height, pixels.channels, prepared.default_quality, 9});
  } catch (const codec::CodecError &e) {
    // Unsupported: the fuzz build's decode-only libheif refuses AVIF output.
    CHECK_INV(e.failure == codec::Failure::Unsupported);
    throw ApiError::unsupported_format(e.what());
  }
  return {std::move(avif), ImageFormat::Avif, pixels.width, pixels.height, prepared.default_quality};
}

// The first 6 bytes pick the spec (v1 fields, then the v2 operations), the
// rest is the image; prepare_image + encode_image may only throw ApiError 4xx.
inline void image_spec_one(std::span<const std::uint8_t> data) {
  static const Config config = image_config();
  if (data.size() < 6) return;
  TransformSpec spec;
  const std::uint8_t a = data[0], b = data[1], c = data[2], d = data[3], e = data[4], f = data[5];
  // Boxes up to 128 px (×dpr) and sigmas up to ~7: every code path, at the
  // hundreds of executions a second under ASan that millions of runs need;
  // large outputs are the Catch2 suites' business.
  if (a & 0x80) spec.width = 1 + (a & 0x7f);
  if (b & 0x80) spec.height = 1 + (b & 0x7f);
  spec.fit = static_cast<Fit>((a >> 4 & 7) % 5);
  spec.gravity = static_cast<Gravity>(c % 11);
  spec.format = static_cast<RequestedFormat>((c >> 4) % 7);
  spec.enlarge = d & 1;
  if (d & 2) spec.background = Rgb{d, static_cast<std::uint8_t>(d * 7), static_cast<std::uint8_t>(d * 13)};
  if (d & 4) spec.quality = 1 + (d >> 3) * 3;
  spec.accepts_webp = d & 0x80;
  spec.accepts_avif = spec.accepts_webp && (b & 0x40);
  spec.dpr = 1.0 + (b & 3) * 0.5;
  if (spec.width) spec.target_width = std::min(config.max_width, static_cast<int>(*spec.width * spec.dpr));
  if (spec.height) spec.target_height = std::min(config.max_height, static_cast<int>(*spec.height * spec.dpr));
  spec.max_width = config.max_width;
  spec.max_height = config.max_height;
  spec.rotate = (e & 3) * 90;
  spec.flip_h = e & 4;
  spec.flip_v = e & 8;
  if (e >> 4) spec.trim = (e >> 4) * 6;
  if (f & 7) spec.blur = 0.3 + (f & 7);
  if ((f >> 3) & 3) spec.sharpen = 0.3 * ((f >> 3) & 3) * 3;
  if (f & 0x20) spec.rect = Rect{a, b, 1 + c * 3, 1 + d * 3};
  if ((f & 0x40) && spec.fit == Fit::Cover && spec.width && spec.height) spec.focal = Point{a / 255.0, c / 255.0};
  spec.animate = !(f & 0x80);
  try {
    PreparedImage prepared = prepare_spec_image(data.subspan(6), spec, config);
    EncodedImage encoded = encode_spec_image(prepared);
    CHECK_INV(!encoded.bytes.empty());
    CHECK_INV(encoded.width >= 1 && encoded.height >= 1);
    // An animation is whole frames of one size, and only ever WebP.
    CHECK_INV(prepared.image.height() % encoded.height == 0);
    CHECK_INV(prepared.image.height() == encoded.height || encoded.format == ImageFormat::Webp);
    // Never over the configured maximum, on either side, whatever the source's shape.
    CHECK_INV(encoded.width <= std::max(config.max_width, config.max_height) &&
              encoded.height <= std::max(config.max_width, config.max_height));
    // The box describes the output, rot included.
    if (spec.target_width && spec.target_height && spec.fit != Fit::Outside)
      CHECK_INV(encoded.width <= *spec.target_width && encoded.height <= *spec.target_height);
  } catch (const ApiError &e) {
    if (e.status >= 500)
      throw InvariantFailure("ApiError " + std::to_string(e.status) + " " + e.code + ": " + e.what());
  }
}

// ----------------------------------------------------------------- decode ---
// One decoder per target (fuzz_decode_<format>: the per-decoder accounting of
// fuzz/run.sh): the input's magic bytes are overwritten with FORMAT's, so
// every execution reaches that decoder, then decode + a 48x48 thumbnail
// (shrink-on-load, EXIF orientation, ICC to sRGB; every frame of an
// animation) and the pixels out. No encode: that is fuzz_image*'s business,
// and decoding alone runs several times faster. May only throw ApiError 4xx.
inline std::vector<std::uint8_t> with_magic(std::span<const std::uint8_t> data, ImageFormat format) {
  std::vector<std::uint8_t> bytes(data.begin(), data.end());
  auto put = [&](std::size_t at, std::string_view magic) {
    if (bytes.size() < at + magic.size()) bytes.resize(at + magic.size());
    std::copy(magic.begin(), magic.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
  };
  switch (format) {
    case ImageFormat::Jpeg: put(0, "\xff\xd8\xff"); break;
    case ImageFormat::Png: put(0, "\x89PNG\r\n\x1a\n"); break;
    case ImageFormat::Webp: put(0, "RIFF"); put(8, "WEBP"); break;
    case ImageFormat::Gif:  // GIF87a stays, anything else becomes GIF89a
      if (!(bytes.size() >= 6 && std::string_view(reinterpret_cast<const char *>(bytes.data()), 6) == "GIF87a"))
        put(0, "GIF89a");
      break;
    case ImageFormat::Avif:  // the major brand; the sniffer wants 16 bytes of ftyp box, and a
      put(4, "ftypavif");    // box size under 16 MiB keeps another format's magic off byte 0
      if (bytes.size() < 16) bytes.resize(16);
      bytes[0] = 0;
      break;
    case ImageFormat::Tiff:  // any of TIFF's four byte orders/containers stays, anything else becomes II*;
      if (!format_info(ImageFormat::Tiff).sniff(bytes)) put(0, std::string_view("II*\0", 4));
      if (bytes.size() >= 8 && std::string_view(reinterpret_cast<const char *>(bytes.data()) + 4, 4) == "ftyp")
        bytes[4] ^= 0x80;  // an IFD offset spelling "ftyp" is an ISO box to the sniffer (AVIF), fairly
      break;
  }
  return bytes;
}

// Returns whether the input decoded (false: a clean 4xx refusal).
inline bool decode_one(std::span<const std::uint8_t> data, ImageFormat format) {
  static const Config config = image_config();
  const std::vector<std::uint8_t> bytes = with_magic(data, format);
  TransformSpec spec;
  spec.width = spec.target_width = 48;
  spec.height = spec.target_height = 48;
  spec.max_width = config.max_width;
  spec.max_height = config.max_height;
  try {
    CHECK_INV(check_source(bytes, config).format == format);
    const PreparedImage prepared = prepare_spec_image(bytes, spec, config);
    const Pixels pixels = image_pixels(prepared);
    CHECK_INV(pixels.width >= 1 && pixels.width <= 48 && pixels.height >= 1);
    CHECK_INV(pixels.data.size() == std::size_t(pixels.width) * std::size_t(pixels.height) * std::size_t(pixels.channels));
    return true;
  } catch (const ApiError &e) {
    if (e.status >= 500)
      throw InvariantFailure("ApiError " + std::to_string(e.status) + " " + e.code + ": " + e.what());
    return false;
  }
}

#undef CHECK_INV

}  // namespace vips_edge::fuzz
