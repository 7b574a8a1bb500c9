// Cache-Control directives, read the way RFC 9111 section 5.2 writes them:
// comma-separated, case-insensitive names, optional `=value` (a token or a
// quoted string). Shared by config validation (api/config_delivery.cpp) and
// the caching decision (http/caching.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vips_edge {

struct CacheDirectives {
  std::map<std::string, std::string> directives;  // lower-case name -> value ("" when none)

  bool has(std::string_view name) const { return directives.count(std::string(name)) != 0; }
  // A delta-seconds directive (max-age, s-maxage): nullopt when absent or
  // not plain digits; values past 2^31 are clamped to it (RFC 9111 1.2.2).
  std::optional<std::uint64_t> seconds(std::string_view name) const;
  // The lifetime a shared cache (CloudFront) gives a response: s-maxage, else max-age.
  std::optional<std::uint64_t> shared_max_age() const;
};

CacheDirectives parse_cache_control(std::string_view value);

}  // namespace vips_edge
