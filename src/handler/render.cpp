#include "handler/render.hpp"

#include <algorithm>

#include "api/api_error.hpp"
#include "image/animation.hpp"
#include "image/describe.hpp"
#include "image/loaders.hpp"
#include "image/pipeline.hpp"

namespace vips_edge {

namespace {

// The next quality to try: aim at the size ratio we still need (JPEG/WebP
// size falls roughly linearly with quality in the useful range), but always
// drop by at least 5 so the loop ends within a handful of encodes.
int next_quality(int quality, std::size_t size, int floor) {
  double ratio = static_cast<double>(kMaxGeneratedResponseBytes) / static_cast<double>(size);
  int aimed = static_cast<int>(quality * ratio * 0.9);
  return std::max(floor, std::min(quality - 5, aimed));
}

// format=json: describe instead of encoding; a few hundred bytes, never oversize.
RenderOutcome render_json(const PreparedImage &prepared, const OriginHeaders &origin_headers, const Config &config) {
  std::string body;
  try {
    body = describe_image(prepared);
  } catch (const vips::VError &error) {
    throw ApiError::internal("describing the image failed: " + take_vips_error(error));
  }
  RenderOutcome outcome;
  outcome.response = json_response(body, origin_headers, config);
  outcome.content_type = "application/json";
  outcome.format = prepared.format;
  outcome.width = prepared.image.width();
  outcome.height = frame_height(prepared.image);
  outcome.image_bytes = body.size();
  return outcome;
}

}  // namespace

RenderOutcome render(std::span<const std::uint8_t> source, const TransformSpec &spec,
                     const OriginHeaders &origin_headers, const Config &config) {
  PreparedImage prepared = prepare_image(source, spec, config);
  if (spec.format == RequestedFormat::Json) return render_json(prepared, origin_headers, config);
  const bool lossy = prepared.format == ImageFormat::Jpeg || prepared.format == ImageFormat::Webp;
  const int floor = std::min(config.quality_floor, prepared.default_quality);

  RenderOutcome outcome;
  int quality = prepared.default_quality;
  for (;;) {
    EncodedImage encoded = encode_image(prepared, quality);
    ++outcome.encodes;
    cf::Response response = image_response(encoded.bytes, encoded.format, spec, origin_headers, config);
    outcome.content_type = mime_type(encoded.format);
    outcome.format = encoded.format;
    outcome.width = encoded.width;
    outcome.height = encoded.height;
    outcome.quality = encoded.quality;
    outcome.image_bytes = encoded.bytes.size();
    std::size_t size = generated_response_size(response);
    if (size <= kMaxGeneratedResponseBytes) {
      outcome.response = std::move(response);
      return outcome;
    }
    if (!lossy || quality <= floor) break;
    quality = next_quality(quality, size, floor);
  }
  if (config.oversize == OversizePolicy::Error)
    throw ApiError::output_too_large(
        "the transformed image does not fit Lambda@Edge's 1 MB response limit even at quality " +
        std::to_string(outcome.quality));
  return outcome;  // response empty: the caller returns the original request
}

}  // namespace vips_edge
