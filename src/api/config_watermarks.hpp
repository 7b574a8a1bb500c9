// "watermarks": the overlays wm=name composites (image/watermark.hpp). Part
// of parse_config.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "api/config.hpp"

namespace vips_edge {

// {"logo": {"path": "/brand/logo.png" | "file": "logo.png", "gravity": "southeast",
//           "margin": 16, "size": 0.2, "opacity": 0.8}, ...}: names are words
// (a URL value), the location as the fallback's, gravity a compass
// direction or "center", margin 0..1000 px, size 0.01..1, opacity 0..1.
std::map<std::string, WatermarkConfig> get_watermarks(const nlohmann::json &v);

}  // namespace vips_edge
