// The config keys about what a request is answered with beyond the image
// itself: cache rules (cacheControl's companions), the error TTLs by status
// class, the fallback image and the SVG policy. Part of parse_config.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/config.hpp"

namespace vips_edge {

// A Cache-Control value: a header value whose max-age/s-maxage, when
// present, are plain seconds (the caching decision compares them).
std::string get_cache_control(const nlohmann::json &v, const std::string &key);
// "cacheRules": [{"prefix": "/avatars/", "cacheControl": "public, max-age=3600"}, ...]
std::vector<CacheRule> get_cache_rules(const nlohmann::json &v);
// "originCacheControl": "honour" | "ignore"
OriginCachePolicy get_origin_cache_policy(const nlohmann::json &v);
// "errorCacheControl": "..." (both classes) | {"4xx": "...", "5xx": "..."}
ErrorCacheControl get_error_cache_control(const nlohmann::json &v);
// An image the config names (the fallback, a watermark): exactly one of
// "path" (on the request's origin) or "file" (a plain file name bundled in
// the package), read from object `v` at `key` into `path` / `file`.
void get_image_location(const nlohmann::json &v, const std::string &key, std::optional<std::string> &path,
                        std::optional<std::string> &file);
// "fallback": {"path": "/missing.png"} | {"file": "missing.png", "status": 200}
FallbackConfig get_fallback(const nlohmann::json &v);
// "svg": "refuse" | "passthrough"
SvgPolicy get_svg_policy(const nlohmann::json &v);

}  // namespace vips_edge
