// Where the source image lives: derived from the event's origin and URI.
// The Node side fetches exactly this and nothing else, so the rules that keep
// a fetch inside the origin and its path live here, not in JavaScript.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "api/config.hpp"
#include "events/cloudfront.hpp"

namespace vips_edge {

// Both kinds carry the download limits, so the Node side reads one flat object.
struct HttpTarget {
  std::string url;                            // protocol://domain:port + origin path + uri
  std::map<std::string, std::string> headers; // origin custom headers (+ host)
  int timeout_ms = 30000;                     // the origin's readTimeout
  std::uint64_t max_bytes = 0;                // Config::max_input_bytes: abort the download beyond it
};

struct S3Target {
  std::string bucket;
  std::string key;     // path + uri, percent-decoded, no leading '/'
  std::string region;
  std::optional<std::string> endpoint;  // Config::s3_endpoint (local/test use)
  int timeout_ms = 30000;
  std::uint64_t max_bytes = 0;
};

// A file bundled in the package beside config.json (the fallback image's
// "file": handler/fallback.hpp); the trigger reads it, as if fetched.
struct FileTarget {
  std::string file;             // a plain name, checked by parse_config
  std::uint64_t max_bytes = 0;
};

// Exactly one origin, as in the event (or the package, for a fallback file).
using OriginTarget = std::variant<HttpTarget, S3Target, FileTarget>;

// Throws ApiError 400 (invalid_uri) for a URI that could leave the origin's
// path: not starting with '/', dot segments (also percent-encoded), encoded
// slashes or backslashes, control characters; and ApiError 502 when the
// event has no origin.
OriginTarget origin_target(const cf::Request &request, const Config &config);

// An image the config names (the fallback, a watermark's overlay): `file`
// in the package, or `path` on the request's origin (custom or S3, its path
// prefix included). Throws as origin_target.
OriginTarget configured_image_target(const cf::Request &request, const std::optional<std::string> &path,
                                     const std::optional<std::string> &file, const Config &config);

}  // namespace vips_edge
