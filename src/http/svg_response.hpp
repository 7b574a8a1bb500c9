// An SVG source returned unchanged (config "svg": "passthrough"; image/svg.hpp
// says why it is never rasterised). The headers keep a browser that opens it
// directly from running anything in it: a CSP that allows no script, no
// fetch, no plugin and sandboxes the document (inline styles stay, vector
// images use them), and nosniff so the type is never second-guessed.
#pragma once

#include <cstdint>
#include <span>

#include "api/config.hpp"
#include "events/cloudfront.hpp"
#include "http/response.hpp"

namespace vips_edge {

inline constexpr const char *kSvgContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

// status 200, content-type image/svg+xml, the CSP above, x-content-type-options
// nosniff, the image's caching headers (meta), bodyEncoding base64 but no
// body: the bytes travel beside the reply as an image's do (handler/messages.hpp
// Respond). Throws ApiError 413 output_too_large when it would not fit
// Lambda@Edge's 1 MB.
cf::Response svg_response(std::span<const std::uint8_t> bytes, const ResponseMeta &meta, const Config &config);

}  // namespace vips_edge
