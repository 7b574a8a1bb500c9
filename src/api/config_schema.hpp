// config.json as schema tables (util/json_schema.hpp, the idiom the events
// and messages use): each key's JSON name, member and value reader (a range,
// a syntax) in one row. Every key may be left out (defaults: the member's
// initialiser in config.hpp); an unknown key is refused; a check is a rule
// over a whole object, run once its keys are read. parse_config
// (config.cpp) reads Config through these and words a FieldError as
// "config: <path>: <why>".
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "api/config.hpp"
#include "api/config_delivery.hpp"
#include "api/config_fields.hpp"
#include "api/config_watermarks.hpp"
#include "util/json_schema.hpp"

namespace vips_edge::config_fields {

// "signing" as written: one "key" (named "default") or several "keys".
struct SigningJson {
  std::optional<std::string> key;
  std::optional<std::map<std::string, std::string>> keys;
  std::optional<bool> required;
};
SigningConfig signing(const nlohmann::json &v);
// signing.keys: {"name": "secret", ...}, at least one; names are what
// deploy/sign.mjs --key chooses.
std::map<std::string, std::string> signing_keys(const nlohmann::json &v);
// clientHints' ladders: strictly ascending (rounding up takes the first rung
// that fits), at most 32 widths; 1 to 8 dprs within the URL's dpr range,
// with at most 3 decimals.
std::vector<int> ladder_widths(const nlohmann::json &v);
std::vector<double> ladder_dprs(const nlohmann::json &v);
// presets: {"name": "w=200&h=200&fit=cover", ...}; what each says is checked
// by check_presets (api/presets.hpp) once every key is read.
std::map<std::string, std::string> presets(const nlohmann::json &v);
// The rules across keys (a list within its maximum, the presets).
void check_config(const Config &c);

constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();
using Bytes = IntIn<std::uint64_t>;  // sizes and pixel counts: 64-bit, JSON's signed range

}  // namespace vips_edge::config_fields

namespace vips_edge::schema {

template <>
struct Describe<OversizePolicy> {
  static constexpr const char *name = "OversizePolicy";
  static constexpr std::array values{value("original", OversizePolicy::Original), value("error", OversizePolicy::Error)};
};
template <>
struct Describe<OriginCachePolicy> {
  static constexpr const char *name = "OriginCachePolicy";
  static constexpr std::array values{value("honour", OriginCachePolicy::Honour),
                                     value("ignore", OriginCachePolicy::Ignore)};
};
template <>
struct Describe<SvgPolicy> {
  static constexpr const char *name = "SvgPolicy";
  static constexpr std::array values{value("refuse", SvgPolicy::Refuse), value("passthrough", SvgPolicy::Passthrough)};
};

// What every config object shares: keys may be left out, unknown ones are refused.
struct ConfigObject {
  static constexpr bool defaults = true;
  static constexpr const char *unknown = "unknown key";
};

template <>
struct Describe<CacheRule> {  // both keys required
  static constexpr const char *name = "CacheRule";
  static constexpr const char *unknown = "unknown key";
  static constexpr std::tuple fields{field("prefix", &CacheRule::prefix, &config_fields::cache_prefix),
                                     field("cacheControl", &CacheRule::cache_control, &config_fields::cache_control)};
};

template <>
struct Describe<ErrorCacheControl> : ConfigObject {
  static constexpr const char *name = "ErrorCacheControl";
  static constexpr std::tuple fields{field("4xx", &ErrorCacheControl::client, &config_fields::cache_control),
                                     field("5xx", &ErrorCacheControl::server, &config_fields::cache_control)};
};

template <>
struct Describe<FallbackConfig> : ConfigObject {
  static constexpr const char *name = "FallbackConfig";
  static constexpr std::tuple fields{field("path", &FallbackConfig::path, &config_fields::origin_path),
                                     field("file", &FallbackConfig::file, &config_fields::file_name),
                                     field("status", &FallbackConfig::status, &config_fields::fallback_status)};
  static void check(const FallbackConfig &f) { config_fields::check_image_location(f.path, f.file); }
};

template <>
struct Describe<WatermarkConfig> : ConfigObject {
  static constexpr const char *name = "WatermarkConfig";
  static constexpr std::tuple fields{field("path", &WatermarkConfig::path, &config_fields::origin_path),
                                     field("file", &WatermarkConfig::file, &config_fields::file_name),
                                     field("gravity", &WatermarkConfig::gravity, &config_fields::placement),
                                     field("margin", &WatermarkConfig::margin, config_fields::IntIn<int>{0, 1000}),
                                     field("size", &WatermarkConfig::size, config_fields::NumberIn{0.01, 1}),
                                     field("opacity", &WatermarkConfig::opacity, config_fields::NumberIn{0, 1})};
  static void check(const WatermarkConfig &w) { config_fields::check_image_location(w.path, w.file); }
};

template <>
struct Describe<ClientHintsConfig> : ConfigObject {
  static constexpr const char *name = "ClientHintsConfig";
  static constexpr std::tuple fields{
      field("widths", &ClientHintsConfig::widths, &config_fields::ladder_widths),
      field("dprs", &ClientHintsConfig::dprs, &config_fields::ladder_dprs),
      field("saveDataQualityStep", &ClientHintsConfig::save_data_quality_step, config_fields::IntIn<int>{0, 99})};
};

template <>
struct Describe<config_fields::SigningJson> {  // key/keys: config_fields::signing
  static constexpr const char *name = "SigningJson";
  static constexpr const char *unknown = "unknown key";
  static constexpr std::tuple fields{
      field("key", &config_fields::SigningJson::key, &config_fields::text),
      field("keys", &config_fields::SigningJson::keys, &config_fields::signing_keys),
      field("required", &config_fields::SigningJson::required, &config_fields::boolean)};
};

template <>
struct Describe<Config> : ConfigObject {
  static constexpr const char *name = "Config";
  static constexpr std::tuple fields{
      field("maxWidth", &Config::max_width, config_fields::IntIn<int>{1, config_fields::kMaxDimension}),
      field("maxHeight", &Config::max_height, config_fields::IntIn<int>{1, config_fields::kMaxDimension}),
      field("maxInputBytes", &Config::max_input_bytes, config_fields::Bytes{1, config_fields::kI64Max}),
      field("maxInputPixels", &Config::max_input_pixels, config_fields::Bytes{1, config_fields::kI64Max}),
      field("maxFrames", &Config::max_frames, config_fields::IntIn<int>{1, 100'000}),
      field("maxFramePixels", &Config::max_frame_pixels, config_fields::Bytes{1, config_fields::kI64Max}),
      field("allowedWidths", &Config::allowed_widths, &config_fields::dimensions),
      field("allowedHeights", &Config::allowed_heights, &config_fields::dimensions),
      field("jpegQuality", &Config::jpeg_quality, config_fields::IntIn<int>{1, 100}),
      field("webpQuality", &Config::webp_quality, config_fields::IntIn<int>{1, 100}),
      field("avifQuality", &Config::avif_quality, config_fields::IntIn<int>{1, 100}),
      field("avifSpeed", &Config::avif_speed, config_fields::IntIn<int>{0, 9}),
      field("avifAutoMaxPixels", &Config::avif_auto_max_pixels, config_fields::Bytes{0, config_fields::kI64Max}),
      field("clientHints", &Config::client_hints, &config_fields::object_of<ClientHintsConfig>),
      field("qualityFloor", &Config::quality_floor, config_fields::IntIn<int>{1, 100}),
      field("cacheControl", &Config::cache_control, &config_fields::cache_control),
      field("cacheRules", &Config::cache_rules, &config_fields::cache_rules),
      field("originCacheControl", &Config::origin_cache_control, &config_fields::keyword<OriginCachePolicy>),
      field("errorCacheControl", &Config::error_cache_control, &config_fields::error_cache_control),
      field("fallback", &Config::fallback, &config_fields::object_of<FallbackConfig>),
      field("watermarks", &Config::watermarks, &config_fields::watermarks),
      field("svg", &Config::svg, &config_fields::keyword<SvgPolicy>),
      field("oversize", &Config::oversize, &config_fields::keyword<OversizePolicy>),
      field("signing", &Config::signing, &config_fields::signing),
      field("presets", &Config::presets, &config_fields::presets),
      field("presetsOnly", &Config::presets_only, &config_fields::boolean),
      field("s3Endpoint", &Config::s3_endpoint, &config_fields::header_value),
      field("maxFilterWork", &Config::max_filter_work, config_fields::Bytes{0, config_fields::kI64Max}),
      field("maxSmartCropPixels", &Config::max_smart_crop_pixels, config_fields::Bytes{0, config_fields::kI64Max}),
      field("maxTrimPixels", &Config::max_trim_pixels, config_fields::Bytes{0, config_fields::kI64Max}),
      field("maxAvifPixels", &Config::max_avif_pixels, config_fields::Bytes{0, config_fields::kI64Max}),
      field("maxWorkingMemory", &Config::max_working_memory, config_fields::Bytes{16ll << 20, config_fields::kI64Max})};
  static void check(const Config &c) { config_fields::check_config(c); }
};

}  // namespace vips_edge::schema
