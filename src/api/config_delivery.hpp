// The config keys about what a request is answered with beyond the image
// itself: cache rules (cacheControl's companions), the error TTLs by status
// class, the fallback image and the SVG policy. Value readers and checks of
// config.json's tables (api/config_schema.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/config.hpp"

namespace vips_edge::config_fields {

// A Cache-Control value: a header value whose max-age/s-maxage, when
// present, are plain seconds (the caching decision compares them).
std::string cache_control(const nlohmann::json &v);
// "cacheRules": [{"prefix": "/avatars/", "cacheControl": "public, max-age=3600"}, ...]:
// at most 100, each prefix once.
std::vector<CacheRule> cache_rules(const nlohmann::json &v);
// A rule's prefix: starts with '/', no control characters.
std::string cache_prefix(const nlohmann::json &v);
// "errorCacheControl": "..." (both classes) | {"4xx": "...", "5xx": "..."}
ErrorCacheControl error_cache_control(const nlohmann::json &v);
// An image the config names (the fallback, a watermark) is exactly one of
// "path" (on the request's origin: origin_path) or "file" (a plain file
// name bundled in the package: file_name).
std::string origin_path(const nlohmann::json &v);
std::string file_name(const nlohmann::json &v);
void check_image_location(const std::optional<std::string> &path, const std::optional<std::string> &file);
// "fallback": {"path": "/missing.png"} | {"file": "missing.png", "status": 200}:
// the status 200 or an error status.
int fallback_status(const nlohmann::json &v);

}  // namespace vips_edge::config_fields
