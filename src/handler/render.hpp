// Source bytes -> the generated response CloudFront will accept: runs the
// pipeline, then fits Lambda@Edge's 1,048,576-byte limit (base64 body +
// headers) by stepping the quality down to Config::quality_floor, then
// applies the oversize policy.
//
// AVIF is the codec module's work (a second wasm module the trigger runs:
// src/codec/), so a render can stop half-way with a request for it:
//   render(source)           -> done | encode these pixels | decode the source
//   render_decoded(pixels)   -> done | encode these pixels
//   render_encoded(avif)     -> done | encode again at a lower quality
// The trigger (or the tests' native codec driver) answers each request and
// calls the next step with the pending state it was handed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "events/cloudfront.hpp"
#include "http/response.hpp"
#include "image/pipeline.hpp"

namespace vips_edge {

struct RenderOutcome {
  // A 200 response, or nullopt when the oversize policy says "original"
  // (return the request unchanged). An image's comes without its body: the
  // bytes are in `body` (http/response.hpp image_head).
  std::optional<cf::Response> response;
  std::vector<std::uint8_t> body;  // the image's bytes (format=json: none, its body is the response's)
  const char *content_type = "";  // of the response: an image type, or application/json for format=json
  ImageFormat format = ImageFormat::Jpeg;  // the image's (format=json: the one it describes)
  int width = 0;
  int height = 0;
  int quality = 0;
  int encodes = 0;             // how many encodes the size rule took
  std::size_t image_bytes = 0; // encoded bytes of the last attempt
  std::size_t last_size = 0;   // the last attempt's generated response size
};

// AVIF output: encode `pixels` with the codec module at `quality`/`speed`,
// then call render_encoded.
struct PendingEncode {
  Pixels pixels;
  int quality = 0;
  int speed = 8;
  int floor = 1;               // the size rule's lowest quality
  int encodes = 0;             // encodes so far
};

// An AVIF/HEIF or TIFF source: decode it with the codec module (refusing
// more than `max_pixels` from its header), then call render_decoded.
struct PendingDecode {
  std::uint64_t max_pixels = 0;
  ImageFormat format = ImageFormat::Avif;  // the source's (the codec module sniffs it again)
};

using RenderStep = std::variant<RenderOutcome, PendingEncode, PendingDecode>;

// format=json: the JSON description (describe.hpp) instead of the image, under
// the same caching and error rules. Otherwise the encoded image.
// Throws ApiError (decode failures, limits, 413 output_too_large when the
// policy is "error").
RenderStep render(const Source &source, const TransformSpec &spec, const ResponseMeta &meta,
                  const Config &config);

// After the codec module decoded an AVIF/HEIF or TIFF source.
RenderStep render_decoded(const DecodedSource &source, const TransformSpec &spec,
                          const ResponseMeta &meta, const Config &config);

// After the codec module encoded `pending` as `avif`.
RenderStep render_encoded(PendingEncode pending, std::vector<std::uint8_t> avif, const TransformSpec &spec,
                          const ResponseMeta &meta, const Config &config);

}  // namespace vips_edge
