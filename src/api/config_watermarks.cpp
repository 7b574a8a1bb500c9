// Validation of "watermarks" (config_watermarks.hpp): every mistake names
// its key, at packaging (node/scripts/package.mjs runs parse_config) and at load.
#include "api/config_watermarks.hpp"

#include "api/config_delivery.hpp"
#include "api/config_fields.hpp"

namespace vips_edge {

using json = nlohmann::json;
using namespace config_fields;

namespace {

// Where an overlay can be placed: not the smart crops, which find no place.
Gravity get_placement(const json &v, const std::string &key) {
  const std::string s = get_string(v, key);
  const std::optional<Gravity> g = enum_named<Gravity>(s);
  if (!g || *g == Gravity::Entropy || *g == Gravity::Attention)
    fail(key, "expected center, north, northeast, east, southeast, south, southwest, west or northwest, got \"" + s +
                  "\"");
  return *g;
}

WatermarkConfig get_watermark(const json &v, const std::string &key) {
  static constexpr const char *kKeys[] = {"path", "file", "gravity", "margin", "size", "opacity", nullptr};
  get_object(v, key, kKeys);
  WatermarkConfig w;
  get_image_location(v, key, w.path, w.file);
  if (v.contains("gravity")) w.gravity = get_placement(v["gravity"], key + ".gravity");
  if (v.contains("margin")) w.margin = static_cast<int>(get_int(v["margin"], key + ".margin", 0, 1000));
  if (v.contains("size")) w.size = get_number(v["size"], key + ".size", 0.01, 1);
  if (v.contains("opacity")) w.opacity = get_number(v["opacity"], key + ".opacity", 0, 1);
  return w;
}

}  // namespace

std::map<std::string, WatermarkConfig> get_watermarks(const json &v) {
  const std::string key = "watermarks";
  if (!v.is_object()) fail(key, std::string("expected an object of name: watermark, got ") + v.type_name());
  if (v.size() > 100) fail(key, "at most 100 watermarks");
  std::map<std::string, WatermarkConfig> out;
  for (const auto &[name, w] : v.items()) {
    if (!is_word(name)) fail(key, "watermark name \"" + name + "\" must be 1-64 letters, digits, '-', '_' or '.'");
    out[name] = get_watermark(w, key + "." + name);
  }
  return out;
}

}  // namespace vips_edge
