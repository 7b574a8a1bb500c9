#include "handler/render.hpp"

#include <algorithm>

#include "api/api_error.hpp"
#include "image/animation.hpp"
#include "image/describe.hpp"
#include "image/loaders.hpp"
#include "image/output_estimate.hpp"

namespace vips_edge {

namespace {

// The next quality to try: aim at the size ratio we still need (JPEG/WebP/
// AVIF size falls roughly linearly with quality in the useful range), but
// always drop by at least 5 so the loop ends within a handful of encodes.
int next_quality(int quality, std::size_t size, int floor) {
  double ratio = static_cast<double>(kMaxGeneratedResponseBytes) / static_cast<double>(size);
  int aimed = static_cast<int>(quality * ratio * 0.9);
  return std::max(floor, std::min(quality - 5, aimed));
}

// format=json: describe instead of encoding; a few hundred bytes, never oversize.
RenderOutcome render_json(const PreparedImage &prepared, const ResponseMeta &meta, const Config &config) {
  std::string body;
  try {
    body = describe_image(prepared);
  } catch (const vips::VError &error) {
    throw ApiError::internal("describing the image failed: " + take_vips_error(error));
  }
  RenderOutcome outcome;
  outcome.response = json_response(body, meta, config);
  outcome.content_type = "application/json";
  outcome.format = prepared.format;
  outcome.width = prepared.image.width();
  outcome.height = frame_height(prepared.image);
  outcome.image_bytes = body.size();
  return outcome;
}

// One encoded attempt, measured (image_response_size): true, with the
// response built and the bytes moved into `outcome`, only for the attempt
// that fits; else `outcome` describes the attempt.
bool fitted(EncodedImage &encoded, const TransformSpec &spec, const ResponseMeta &meta,
            const Config &config, RenderOutcome &outcome) {
  outcome.content_type = mime_type(encoded.format);
  outcome.format = encoded.format;
  outcome.width = encoded.width;
  outcome.height = encoded.height;
  outcome.quality = encoded.quality;
  outcome.image_bytes = encoded.bytes.size();
  outcome.last_size = image_response_size(encoded.bytes.size(), encoded.format, spec, meta, config);
  if (outcome.last_size > kMaxGeneratedResponseBytes) return false;
  outcome.response = image_head(encoded.bytes, encoded.format, spec, meta, config);
  outcome.body = std::move(encoded.bytes);
  return true;
}

// Nothing fits: the oversize policy.
RenderOutcome oversize(RenderOutcome outcome, const Config &config) {
  if (config.oversize == OversizePolicy::Error)
    throw ApiError::output_too_large(
        "the transformed image does not fit Lambda@Edge's 1 MB response limit even at quality " +
        std::to_string(outcome.quality) + (outcome.encodes == 0 ? " (predicted from a sample)" : ""));
  return outcome;  // response empty: the caller returns the original request
}

// The outcome of a prediction that nothing fits: no encode was made.
RenderOutcome predicted(const PreparedImage &prepared, int quality) {
  RenderOutcome outcome;
  outcome.content_type = mime_type(prepared.format);
  outcome.format = prepared.format;
  outcome.width = prepared.image.width();
  outcome.height = frame_height(prepared.image);
  outcome.quality = quality;
  return outcome;
}

RenderStep render_prepared(const PreparedImage &prepared, const TransformSpec &spec,
                           const ResponseMeta &meta, const Config &config) {
  if (spec.format == RequestedFormat::Json) return render_json(prepared, meta, config);
  const int floor = std::min(config.quality_floor, prepared.default_quality);
  if (format_info(prepared.format).codec)
    return PendingEncode{image_pixels(prepared), prepared.default_quality, config.avif_speed, floor, 0};

  const bool lossy = format_info(prepared.format).lossy;
  RenderOutcome outcome;
  int quality = prepared.default_quality;
  // Predict before computing: when a sample says not even the floor can fit,
  // the oversize policy at once, without a full encode (image/output_estimate.hpp).
  std::optional<OutputEstimate> estimate = OutputEstimate::of(prepared);
  const int lowest = lossy ? floor : quality;
  if (estimate && OutputEstimate::cannot_fit(estimate->bytes_at(lowest), kMaxGeneratedResponseBytes))
    return oversize(predicted(prepared, lowest), config);
  if (estimate && lossy) quality = estimate->first_quality(quality, floor, kMaxGeneratedResponseBytes);
  for (;;) {
    EncodedImage encoded = encode_image(prepared, quality);
    ++outcome.encodes;
    if (fitted(encoded, spec, meta, config, outcome)) return outcome;
    if (!lossy || quality <= floor) break;
    const int proposed = next_quality(quality, outcome.last_size, floor);
    if (!estimate) {
      quality = proposed;
      continue;
    }
    // This attempt's size scaled by the sample: stop when not even the floor
    // can fit, skip the qualities that cannot.
    const auto next = estimate->next_quality(outcome.image_bytes, quality, proposed, floor, kMaxGeneratedResponseBytes);
    if (!next) break;
    quality = *next;
  }
  return oversize(std::move(outcome), config);
}

}  // namespace

RenderStep render(const Source &source, const TransformSpec &spec, const ResponseMeta &meta,
                  const Config &config) {
  if (format_info(source.format).codec) return PendingDecode{config.max_input_pixels, source.format};
  return render_prepared(prepare_image(source, spec, config), spec, meta, config);
}

RenderStep render_decoded(const DecodedSource &source, const TransformSpec &spec,
                          const ResponseMeta &meta, const Config &config) {
  return render_prepared(prepare_decoded(source, spec, config), spec, meta, config);
}

RenderStep render_encoded(PendingEncode pending, std::vector<std::uint8_t> avif, const TransformSpec &spec,
                          const ResponseMeta &meta, const Config &config) {
  RenderOutcome outcome;
  outcome.encodes = ++pending.encodes;
  EncodedImage encoded{std::move(avif), ImageFormat::Avif, pending.pixels.width, pending.pixels.height,
                       pending.quality};
  if (fitted(encoded, spec, meta, config, outcome)) return outcome;
  if (pending.quality <= pending.floor) return oversize(std::move(outcome), config);
  pending.quality = next_quality(pending.quality, outcome.last_size, pending.floor);
  return pending;
}

}  // namespace vips_edge
