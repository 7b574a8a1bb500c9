// parse_config: strict validation of the bundled config.json, so a typo in a
// key or a wrong type fails `make package`/cold start loudly instead of
// silently falling back to a default.
#include "api/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "api/config_delivery.hpp"
#include "api/config_fields.hpp"
#include "api/config_watermarks.hpp"
#include "api/presets.hpp"

namespace vips_edge {

using json = nlohmann::json;

namespace {

using namespace config_fields;

// Largest dimension we accept for maxWidth/maxHeight: WebP cannot encode
// more than 16383 px per side.
constexpr int kMaxDimension = 16383;

std::vector<int> get_dimension_list(const json &v, const std::string &key) {
  if (!v.is_array() || v.empty()) fail(key, "expected a non-empty array of integers");
  std::vector<int> out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out.push_back(static_cast<int>(get_int(v[i], key + "[" + std::to_string(i) + "]", 1, kMaxDimension)));
  return out;
}

// signing.keys: {"name": "secret", ...}, at least one; names are what
// deploy/sign.mjs --key chooses, so they are short printable words.
std::vector<SigningKey> get_signing_keys(const json &v) {
  if (!v.is_object() || v.empty()) fail("signing.keys", "expected a non-empty object of name: secret");
  std::vector<SigningKey> keys;
  for (const auto &[name, secret] : v.items()) {
    if (!is_word(name)) fail("signing.keys", "key name \"" + name + "\" must be 1-64 letters, digits, '-', '_' or '.'");
    keys.push_back({name, get_string(secret, "signing.keys." + name)});
  }
  return keys;
}

SigningConfig get_signing(const json &v) {
  if (!v.is_object()) fail("signing", std::string("expected an object, got ") + v.type_name());
  SigningConfig s;
  for (const auto &[k, val] : v.items()) {
    if (k == "key") {
      if (v.contains("keys")) fail("signing.key", "give key or keys, not both");
      s.keys.push_back({"default", get_string(val, "signing.key")});
    } else if (k == "keys") {
      s.keys = get_signing_keys(val);
    } else if (k == "required") {
      s.required = get_bool(val, "signing.required");
    } else {
      fail("signing." + k, "unknown key");
    }
  }
  if (s.keys.empty()) fail("signing.key", "missing (give key, or keys for several)");
  return s;
}

// clientHints: {"widths": [...], "dprs": [...], "saveDataQualityStep": n}, each
// optional; the ladders strictly ascending (rounding up takes the first rung
// that fits), dprs within the URL's dpr range with at most 3 decimals.
ClientHintsConfig get_client_hints(const json &v) {
  const std::string key = "clientHints";
  if (!v.is_object()) fail(key, std::string("expected an object, got ") + v.type_name());
  ClientHintsConfig c;
  auto ascending = [&](const auto &list, const std::string &k) {
    for (std::size_t i = 1; i < list.size(); ++i)
      if (!(list[i - 1] < list[i])) fail(k, "expected strictly ascending values");
  };
  for (const auto &[k, val] : v.items()) {
    const std::string name = key + "." + k;
    if (k == "widths") {
      c.widths = get_dimension_list(val, name);
      if (c.widths.size() > 32) fail(name, "at most 32 rungs");
      ascending(c.widths, name);
    } else if (k == "dprs") {
      if (!val.is_array() || val.empty() || val.size() > 8) fail(name, "expected an array of 1 to 8 numbers");
      c.dprs.clear();
      for (const json &d : val) {
        if (!d.is_number() || !(d.get<double>() >= 1 && d.get<double>() <= 4) ||
            std::round(d.get<double>() * 1000) != d.get<double>() * 1000)
          fail(name, "expected numbers 1..4 with at most 3 decimals");
        c.dprs.push_back(d.get<double>());
      }
      ascending(c.dprs, name);
    } else if (k == "saveDataQualityStep") {
      c.save_data_quality_step = static_cast<int>(get_int(val, name, 0, 99));
    } else {
      fail(name, "unknown key");
    }
  }
  return c;
}

// presets: {"name": "w=200&h=200&fit=cover", ...}; what each says is
// checked by check_presets (api/presets.hpp) once every key is read.
std::map<std::string, std::string> get_presets(const json &v) {
  if (!v.is_object()) fail("presets", std::string("expected an object of name: query, got ") + v.type_name());
  std::map<std::string, std::string> presets;
  for (const auto &[name, query] : v.items()) {
    if (!is_word(name)) fail("presets", "preset name \"" + name + "\" must be 1-64 letters, digits, '-', '_' or '.'");
    presets[name] = get_string(query, "presets." + name);
  }
  return presets;
}

}  // namespace

Config parse_config(std::string_view text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception &e) {
    // Also out_of_range 406 ("1e999"): every bad file is std::invalid_argument
    // as documented. Found by fuzz/fuzz_config.cpp (tests/regressions/config/).
    throw std::invalid_argument(std::string("config: invalid JSON: ") + e.what());
  }
  if (!j.is_object()) throw std::invalid_argument("config: expected a JSON object");

  Config c;
  constexpr auto kI64Max = std::numeric_limits<std::int64_t>::max();
  for (const auto &[key, v] : j.items()) {
    if (key == "maxWidth") c.max_width = static_cast<int>(get_int(v, key, 1, kMaxDimension));
    else if (key == "maxHeight") c.max_height = static_cast<int>(get_int(v, key, 1, kMaxDimension));
    else if (key == "maxInputBytes") c.max_input_bytes = static_cast<std::uint64_t>(get_int(v, key, 1, kI64Max));
    else if (key == "maxInputPixels") c.max_input_pixels = static_cast<std::uint64_t>(get_int(v, key, 1, kI64Max));
    else if (key == "maxFrames") c.max_frames = static_cast<int>(get_int(v, key, 1, 100'000));
    else if (key == "maxFramePixels") c.max_frame_pixels = static_cast<std::uint64_t>(get_int(v, key, 1, kI64Max));
    else if (key == "allowedWidths") c.allowed_widths = get_dimension_list(v, key);
    else if (key == "allowedHeights") c.allowed_heights = get_dimension_list(v, key);
    else if (key == "jpegQuality") c.jpeg_quality = static_cast<int>(get_int(v, key, 1, 100));
    else if (key == "webpQuality") c.webp_quality = static_cast<int>(get_int(v, key, 1, 100));
    else if (key == "avifQuality") c.avif_quality = static_cast<int>(get_int(v, key, 1, 100));
    else if (key == "avifSpeed") c.avif_speed = static_cast<int>(get_int(v, key, 0, 9));
    else if (key == "avifAutoMaxPixels") c.avif_auto_max_pixels = static_cast<std::uint64_t>(get_int(v, key, 0, kI64Max));
    else if (key == "clientHints") c.client_hints = get_client_hints(v);
    else if (key == "qualityFloor") c.quality_floor = static_cast<int>(get_int(v, key, 1, 100));
    else if (key == "cacheControl") c.cache_control = get_cache_control(v, key);
    else if (key == "cacheRules") c.cache_rules = get_cache_rules(v);
    else if (key == "originCacheControl") c.origin_cache_control = get_origin_cache_policy(v);
    else if (key == "errorCacheControl") c.error_cache_control = get_error_cache_control(v);
    else if (key == "fallback") c.fallback = get_fallback(v);
    else if (key == "watermarks") c.watermarks = get_watermarks(v);
    else if (key == "svg") c.svg = get_svg_policy(v);
    else if (key == "oversize") {
      std::string s = get_string(v, key);
      if (s == "original") c.oversize = OversizePolicy::Original;
      else if (s == "error") c.oversize = OversizePolicy::Error;
      else fail(key, "expected \"original\" or \"error\", got \"" + s + "\"");
    } else if (key == "signing") c.signing = get_signing(v);
    else if (key == "presets") c.presets = get_presets(v);
    else if (key == "presetsOnly") c.presets_only = get_bool(v, key);
    else if (key == "s3Endpoint") c.s3_endpoint = get_header_value(v, key);
    else if (key == "maxFilterWork") c.max_filter_work = static_cast<std::uint64_t>(get_int(v, key, 0, kI64Max));
    else if (key == "maxSmartCropPixels") c.max_smart_crop_pixels = static_cast<std::uint64_t>(get_int(v, key, 0, kI64Max));
    else if (key == "maxTrimPixels") c.max_trim_pixels = static_cast<std::uint64_t>(get_int(v, key, 0, kI64Max));
    else if (key == "maxAvifPixels") c.max_avif_pixels = static_cast<std::uint64_t>(get_int(v, key, 0, kI64Max));
    else if (key == "maxWorkingMemory") c.max_working_memory = static_cast<std::uint64_t>(get_int(v, key, 16ll << 20, kI64Max));
    else fail(key, "unknown key");
  }

  // Cross-field checks, after all keys so their order in the file is free.
  auto check_list = [](const std::optional<std::vector<int>> &list, const char *key, int max, const char *max_key) {
    if (!list) return;
    for (int n : *list)
      if (n > max) fail(key, std::to_string(n) + " exceeds " + max_key + " (" + std::to_string(max) + ")");
  };
  check_list(c.allowed_widths, "allowedWidths", c.max_width, "maxWidth");
  check_list(c.allowed_heights, "allowedHeights", c.max_height, "maxHeight");
  check_presets(c);
  c.digest = 14695981039346656037ull;  // FNV-1a 64 of the text
  for (unsigned char ch : text) c.digest = (c.digest ^ ch) * 1099511628211ull;
  return c;
}

}  // namespace vips_edge
