// The readers of "watermarks" (config_watermarks.hpp).
#include "api/config_watermarks.hpp"

#include "api/config_fields.hpp"
#include "api/config_schema.hpp"

namespace vips_edge::config_fields {

using json = nlohmann::json;

Gravity placement(const json &v) {
  const std::string s = text(v);
  const std::optional<Gravity> g = enum_named<Gravity>(s);
  if (!g || *g == Gravity::Entropy || *g == Gravity::Attention)
    fail("expected center, north, northeast, east, southeast, south, southwest, west or northwest, got \"" + s + "\"");
  return *g;
}

std::map<std::string, WatermarkConfig> watermarks(const json &v) {
  if (v.is_object() && v.size() > 100) fail("at most 100 watermarks");
  return named<WatermarkConfig>(v, "name: watermark", "watermark name", object_of<WatermarkConfig>);
}

}  // namespace vips_edge::config_fields
