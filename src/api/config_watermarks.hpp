// "watermarks": the overlays wm=name composites (image/watermark.hpp). Value
// readers of config.json's tables (api/config_schema.hpp).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "api/config.hpp"

namespace vips_edge::config_fields {

// {"logo": {"path": "/brand/logo.png" | "file": "logo.png", "gravity": "southeast",
//           "margin": 16, "size": 0.2, "opacity": 0.8}, ...}: at most 100,
// names are words (a URL value), the location as the fallback's, gravity a
// compass direction or "center", margin 0..1000 px, size 0.01..1, opacity 0..1.
std::map<std::string, WatermarkConfig> watermarks(const nlohmann::json &v);
// Where an overlay can be placed: not the smart crops, which find no place.
Gravity placement(const nlohmann::json &v);

}  // namespace vips_edge::config_fields
