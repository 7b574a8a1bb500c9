// Source bytes -> the generated response CloudFront will accept: runs the
// pipeline, then fits Lambda@Edge's 1,048,576-byte limit (base64 body +
// headers) by stepping the quality down to Config::quality_floor, then
// applies the oversize policy.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "events/cloudfront.hpp"
#include "http/response.hpp"

namespace vips_edge {

struct RenderOutcome {
  // A 200 response, or nullopt when the oversize policy says "original"
  // (return the request unchanged).
  std::optional<cf::Response> response;
  const char *content_type = "";  // of the response: an image type, or application/json for format=json
  ImageFormat format = ImageFormat::Jpeg;  // the image's (format=json: the one it describes)
  int width = 0;
  int height = 0;
  int quality = 0;
  int encodes = 0;             // how many encodes the size rule took
  std::size_t image_bytes = 0; // encoded bytes of the last attempt
};

// format=json: the JSON description (describe.hpp) instead of the image, under
// the same caching and error rules. Otherwise the encoded image.
// Throws ApiError (decode failures, limits, 413 output_too_large when the
// policy is "error").
RenderOutcome render(std::span<const std::uint8_t> source, const TransformSpec &spec,
                     const OriginHeaders &origin_headers, const Config &config);

}  // namespace vips_edge
