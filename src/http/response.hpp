// Builds the generated responses the function returns to CloudFront: the
// JSON error body for every ApiError and the image response (without its
// body: the trigger adds the base64). Every header goes through
// header_policy's set_header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "events/cloudfront.hpp"
#include "image/formats.hpp"

namespace vips_edge {

// Lambda@Edge origin-trigger cap on a generated response (body + headers).
inline constexpr std::size_t kMaxGeneratedResponseBytes = 1048576;

// Origin response headers, lower-case name -> value.
using OriginHeaders = std::map<std::string, std::string>;

// The head of a generated image (or format=json) response, decided once per
// request (http/caching.hpp; handler/fallback.hpp for a fallback's).
struct ResponseMeta {
  std::optional<std::string> cache_control;  // nullopt: config.cache_control
  std::optional<std::string> etag;           // nullopt: the strong SHA-256 of the body
  std::optional<std::string> last_modified;
  int status = 200;                          // a fallback's configured status
  std::optional<std::string> error;          // x-vips-edge-error: what a fallback stands in for
};

// status = error.status (500 if not 200..599), statusDescription = reason
// phrase, body {"error":{"status":N,"code":"...","message":"...","param":"w"}}
// ("param" only when set), bodyEncoding text, headers content-type
// application/json and cache-control = config.error_cache_control for the status class.
cf::Response error_response(const ApiError &error, const Config &config);

// The image response for `bytes` without its body: the body, the base64 of
// `bytes`, is added once, natively, by the trigger (node/src/engine.ts), which
// the module hands the bytes themselves (handler/messages.hpp Respond).
// status meta.status (200 "OK"), bodyEncoding base64, headers:
//   content-type      mime_type(format)
//   cache-control     meta.cache_control, else config.cache_control (cut at the URL's exp)
//   vary              "accept" when spec.format is Auto
//   etag              meta.etag, else "\"<sha256 hex of bytes>\"" (strong: identical bytes, identical tag)
//   last-modified     meta.last_modified
//   x-vips-edge-error meta.error
cf::Response image_head(std::span<const std::uint8_t> bytes, ImageFormat format, const TransformSpec &spec,
                        const ResponseMeta &meta, const Config &config);

// 304 Not Modified for a revalidation whose If-None-Match names meta.etag:
// the 200's caching headers (cache-control, etag, last-modified, vary), no body.
cf::Response not_modified_response(const TransformSpec &spec, const ResponseMeta &meta, const Config &config);

// What image_head(bytes, ...) with its base64 body counts against
// kMaxGeneratedResponseBytes, for `image_bytes` bytes, without hashing or
// encoding any: the base64 body is 4 * ceil(n / 3) characters and the etag a
// fixed 66 (a quoted SHA-256 in hex). The size rule measures each attempt
// with it and builds the response once, for the attempt that fits.
std::size_t image_response_size(std::size_t image_bytes, ImageFormat format, const TransformSpec &spec,
                                const ResponseMeta &meta, const Config &config);

// format=json: `body` as text, the image's caching rules (as image_head),
// content-type application/json.
cf::Response json_response(const std::string &body, const ResponseMeta &meta, const Config &config);

// What counts against kMaxGeneratedResponseBytes, counted conservatively
// because AWS does not say exactly how it counts: body string length as
// sent (base64 text for images) + status + statusDescription + for every
// header value line name + ": " + value + "\r\n" (as on the wire).
std::size_t generated_response_size(const cf::Response &response);

}  // namespace vips_edge
