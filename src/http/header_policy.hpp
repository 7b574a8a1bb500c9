// Which headers a generated Lambda@Edge response may carry, and the one
// setter every emitted header goes through. CloudFront answers 502 to a
// response with a disallowed header and fails a read-only one
// (lambda-edge.md), so nothing reaches the response map unchecked.
#pragma once

#include <string_view>

#include "events/cloudfront.hpp"

namespace vips_edge {

// Disallowed (Connection, Expect, Keep-Alive, Proxy-*, Trailer, Upgrade,
// X-Accel-*, X-Amz-Cf-*, X-Amzn-*, X-Cache, X-Edge-*, X-Forwarded-Proto,
// X-Real-IP) or read-only (Accept-Encoding, Content-Length, If-*, Transfer-
// Encoding, Via). Case-insensitive.
bool is_forbidden_response_header(std::string_view name);

// Sets (replaces) `name: value` with key "Title-Case" and lower-case map
// name. Returns false and leaves `headers` untouched when the name is
// forbidden or not an HTTP token, or the value contains CR, LF, NUL or
// another control character (tab allowed).
bool set_header(cf::Headers &headers, std::string_view name, std::string_view value);

// Drops forbidden names and invalid values from a map built elsewhere.
void sanitize_headers(cf::Headers &headers);

}  // namespace vips_edge
