#include "http/svg_response.hpp"

#include "api/api_error.hpp"
#include "http/header_policy.hpp"

namespace vips_edge {

cf::Response svg_response(std::span<const std::uint8_t> bytes, const ResponseMeta &meta, const Config &config) {
  // A transform spec that asks for nothing: no vary (the SVG is the same for every Accept).
  cf::Response r = image_head(bytes, ImageFormat::Png, TransformSpec{}, meta, config);
  cf::Headers &headers = *r.headers;
  set_header(headers, "content-type", "image/svg+xml");
  set_header(headers, "content-security-policy", kSvgContentSecurityPolicy);
  set_header(headers, "x-content-type-options", "nosniff");
  if (generated_response_size(r) + 4 * ((bytes.size() + 2) / 3) > kMaxGeneratedResponseBytes)  // + the base64 body
    throw ApiError::output_too_large("the SVG (" + std::to_string(bytes.size()) +
                                     " bytes) is larger than a Lambda@Edge response can carry");
  return r;
}

}  // namespace vips_edge
