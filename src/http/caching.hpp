// Which caching headers a generated response carries, decided once per
// request by the handler and carried to the response builders as a
// ResponseMeta (response.hpp). README "Caching" explains which TTL wins.
//
//   200  cache-control: the rule (the longest cacheRules prefix of the URI,
//        else cacheControl). With originCacheControl "honour" (default) the
//        origin may shorten it (s-maxage, max-age or Expires - Date: the
//        lifetime it allows CloudFront) and its private/no-store/no-cache are
//        passed on as sent; it can never lengthen it.
//        etag: derived from the origin's ETag, the canonical query, the
//        Accept class of format=auto and the config (so a revalidation is
//        answered 304 before any decode); without one, SHA-256 of the bytes.
//        last-modified: the origin's.
//   errors and fallbacks: errorCacheControl of the status class (4xx/5xx).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/config.hpp"
#include "events/cloudfront.hpp"
#include "http/response.hpp"

namespace vips_edge {

// The rule for `uri`: the longest matching cacheRules prefix, else cacheControl.
const std::string &cache_rule_for(std::string_view uri, const Config &config);

// The cache-control of a 200 for `uri` (above). `now`: seconds since the
// epoch, for an Expires the origin sent without a Date.
std::string image_cache_control(std::string_view uri, const OriginHeaders &origin, const Config &config,
                                std::int64_t now);

// '"' + SHA-256 hex of (origin ETag, variant, config digest) + '"' (W/ when
// the origin's is weak); nullopt when the origin sent no usable ETag.
// `variant`: what else decides the bytes (canonical query, Accept class).
std::optional<std::string> derived_etag(const OriginHeaders &origin, std::string_view variant, const Config &config);

// The headers of a 200 made from `origin`'s answer.
ResponseMeta image_meta(std::string_view uri, const OriginHeaders &origin, std::string_view variant,
                        const Config &config, std::int64_t now);

// Whether the request's If-None-Match names `etag` (weak comparison, `*`).
bool none_match(const cf::Headers &request_headers, const std::string &etag);

// An HTTP date (IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") as seconds
// since the epoch; nullopt for anything else.
std::optional<std::int64_t> parse_http_date(std::string_view date);

}  // namespace vips_edge
