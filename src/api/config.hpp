// Config: the function's settings, bundled as config.json in the zip
// (Lambda@Edge has no environment variables). Validated at load.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/param_table.hpp"

namespace vips_edge {

enum class OversizePolicy { Original, Error };

// signing: {"key": "..."} (one key, named "default") or {"keys": {"2026-12":
// "...", "2027-01": "..."}}: any of them verifies, so a key is rotated by
// adding the new one, signing with it (deploy/sign.mjs --key), then removing
// the old one once no live page carries its signatures.
struct SigningKey {
  std::string name;
  std::string secret;
  bool operator==(const SigningKey &) const = default;
};

// Whether the origin's Cache-Control/Expires shapes a 200's lifetime
// (http/caching.hpp): Honour lets it shorten the rule's max-age and pass on
// private/no-store/no-cache; Ignore answers the rule whatever the origin says.
enum class OriginCachePolicy { Honour, Ignore };

// A Cache-Control for generated images under a path prefix ("/avatars/"):
// the longest matching prefix wins over Config::cache_control.
struct CacheRule {
  std::string prefix;
  std::string cache_control;
};

// The Cache-Control of errors by status class: 4xx (a bad URL, a missing
// image) and 5xx (the origin or the function failing).
struct ErrorCacheControl {
  std::string client = "public, max-age=10";
  std::string server = "public, max-age=10";
  const std::string &for_status(int status) const { return status >= 500 ? server : client; }
};

// An image served instead of the JSON error when the origin has no such
// image (404/403/410) or its body is undecodable, unsupported or too large
// (handler/fallback.hpp): a path on the same origin or a file bundled in the
// zip, transformed with the request's parameters.
struct FallbackConfig {
  std::optional<std::string> path;  // "/img/missing.png": fetched from the request's origin
  std::optional<std::string> file;  // "missing.png": bundled next to config.json (make package)
  std::optional<int> status;        // the response's status; nullopt: the original error's
};

// An overlay composited on the output by wm=name (image/watermark.hpp),
// fetched once per container (handler/watermarks.hpp) from where a fallback
// image would be: a path on the request's origin or a file in the package.
struct WatermarkConfig {
  std::optional<std::string> path;  // "/brand/logo.png": fetched from the request's origin
  std::optional<std::string> file;  // "logo.png": bundled next to config.json (make package)
  Gravity gravity = Gravity::SouthEast;  // a compass direction or center
  int margin = 16;                  // output pixels between the overlay and the edges gravity names
  double size = 0.2;                // the overlay's width / the output's width (wms overrides)
  double opacity = 1.0;             // multiplies the overlay's alpha (wmo overrides)
};

// SVG sources are never rasterised (nor executed): Refuse answers 415;
// Passthrough returns the bytes unchanged under a sandboxing CSP (http/svg_response.hpp).
enum class SvgPolicy { Refuse, Passthrough };

// clientHints: the ladders w=auto and dpr=auto round up to (so the cache key
// splits only by rung) and the quality step q=auto takes off for Save-Data
// (api/client_hints.hpp). tools/params/generate.mjs copies the two lists'
// defaults into the CloudFront Function, which rounds before the cache;
// make deploy gives it the package's own lists (deploy/scripts/ladder.mjs).
struct ClientHintsConfig {
  std::vector<int> widths = {320, 480, 640, 768, 1024, 1280, 1536, 1920, 2560};
  std::vector<double> dprs = {1, 2, 3};
  int save_data_quality_step = 20;
  bool operator==(const ClientHintsConfig &) const = default;
};

struct SigningConfig {
  std::vector<SigningKey> keys;  // at least one
  bool required = true;
};

struct Config {
  int max_width = 4096;
  int max_height = 4096;
  std::uint64_t max_input_bytes = 32ull * 1024 * 1024;
  std::uint64_t max_input_pixels = 50'000'000;   // one frame
  int max_frames = 300;                            // an animated source's frames
  std::uint64_t max_frame_pixels = 100'000'000;    // an animation's frames together, source and output
  std::optional<std::vector<int>> allowed_widths;
  std::optional<std::vector<int>> allowed_heights;
  int jpeg_quality = 80;
  int webp_quality = 75;
  // AVIF (the codec module): quality on libheif's scale, aom's speed (0-9),
  // and the largest output format=auto sends as AVIF (beyond it WebP: an
  // AVIF encode costs ~0.5 s per megapixel at speed 8; bench/README.md "AVIF").
  int avif_quality = 50;
  int avif_speed = 8;
  std::uint64_t avif_auto_max_pixels = 2'500'000;
  std::string cache_control = "public, max-age=31536000";
  std::vector<CacheRule> cache_rules;
  OriginCachePolicy origin_cache_control = OriginCachePolicy::Honour;
  ErrorCacheControl error_cache_control;
  std::optional<FallbackConfig> fallback;
  std::map<std::string, WatermarkConfig> watermarks;  // wm=name
  SvgPolicy svg = SvgPolicy::Refuse;
  OversizePolicy oversize = OversizePolicy::Original;
  int quality_floor = 30;
  ClientHintsConfig client_hints;
  std::optional<SigningConfig> signing;
  // preset=name (api/presets.hpp): name -> a query of URL API parameters;
  // presetsOnly: a transform must name a preset and add nothing but exp/sig.
  std::map<std::string, std::string> presets;
  bool presets_only = false;
  std::optional<std::string> s3_endpoint;  // tests/local only: S3-compatible endpoint URL
  // The work budget per request (image/work_budget.hpp; README "Work budget").
  std::uint64_t max_filter_work = 40'000'000;        // blur/sharpen: output pixels x sigma
  std::uint64_t max_smart_crop_pixels = 4'000'000;   // pos=entropy/attention: pixels searched
  std::uint64_t max_trim_pixels = 20'000'000;        // trim: source pixels searched
  std::uint64_t max_avif_pixels = 2'500'000;         // AVIF output pixels (2.5 MP: peak RSS ~230 MiB)
  std::uint64_t max_working_memory = 136ull << 20;   // a request's estimated peak memory, bytes (+ kRuntimeBytes: 248 MiB)
  // Not a config.json key: the function's memory (the Lambda context's
  // memoryLimitInMB), set per request from the trigger's fetch outcome; 0: unknown.
  std::uint64_t memory_limit_mb = 0;
  // Not a config.json key: the longest a generated 200 may be cached, in
  // seconds (the URL's exp - now, api/expiry.hpp), set per request; nullopt: no limit.
  std::optional<std::int64_t> max_age_limit;

  // Not a key: FNV-1a of the config.json text, so a derived ETag (http/caching.hpp)
  // changes when the settings that made the bytes do; 0 for a default Config.
  std::uint64_t digest = 0;
};

// Parses and validates config JSON (camelCase keys as documented in the
// README). Unknown keys and out-of-range values throw std::invalid_argument
// with a message naming the key.
Config parse_config(std::string_view json);

}  // namespace vips_edge
