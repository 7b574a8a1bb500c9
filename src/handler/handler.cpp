#include "handler/handler.hpp"

#include <ctime>

#include "api/api_error.hpp"
#include "handler/render.hpp"
#include "http/caching.hpp"
#include "http/response.hpp"

namespace vips_edge {

namespace {

ApiError error_for_origin(const msg::FetchOutcome &outcome, bool s3) {
  if (const auto *failed = std::get_if<msg::FetchFailed>(&outcome)) {
    std::string message = failed->message.value_or("origin fetch failed");
    switch (failed->error) {
      case msg::FetchError::Timeout: return ApiError::origin_timeout("origin did not answer in time: " + message);
      case msg::FetchError::TooLarge: return ApiError::source_too_large("source is larger than maxInputBytes");
      case msg::FetchError::Unreachable: break;
    }
    return ApiError::origin_error("origin unreachable: " + message);
  }
  int status = std::get<msg::OriginAnswered>(outcome).status;
  // S3 answers 403 for a missing key when the role may not list the bucket.
  if (status == 404 || status == 410 || (s3 && status == 403))
    return ApiError::not_found("origin has no such image (HTTP " + std::to_string(status) + ")");
  return ApiError::origin_error("origin answered HTTP " + std::to_string(status));
}

ApiError error_for_codec(const msg::CodecFailed &failed) {
  std::string message = failed.message.value_or("the codec module failed");
  switch (failed.error) {
    case msg::CodecError::Corrupt: return ApiError::undecodable_image("cannot decode the AVIF/HEIF image: " + message);
    case msg::CodecError::Unsupported: return ApiError::unsupported_format("unsupported HEIF image: " + message);
    case msg::CodecError::TooLarge: return ApiError::source_too_large(message);
    case msg::CodecError::Internal: break;
    case msg::CodecError::Unavailable: return ApiError::internal("the AVIF codec module is unavailable: " + message);
  }
  return ApiError::internal("AVIF codec: " + message);
}

// What decides a derivative's bytes besides the source: the canonical query
// and, for format=auto, the Accept class (the cache key's x-vips-edge-accept).
std::string variant_of(const Job &job) {
  std::string variant = job.log.spec.value_or("");
  if (job.spec.format == RequestedFormat::Auto)
    variant += job.spec.accepts_avif ? "\naccept=avif" : job.spec.accepts_webp ? "\naccept=webp" : "\naccept=other";
  return variant;
}

}  // namespace

msg::PlanReply plan_reply(Prepared prepared, std::uint32_t job) {
  return std::visit(
      [job](auto &&p) -> msg::PlanReply {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, Job>) {
          msg::Log log = std::move(p.log);
          log.outcome = "fetch";
          return msg::Fetch{job, std::move(p.origin), std::move(log)};
        } else {
          return std::move(p);
        }
      },
      std::move(prepared));
}

msg::FinishReply Handler::finish(const Job &job, const msg::FetchOutcome &outcome,
                                 std::span<const std::uint8_t> source) const {
  msg::Log log = job.log;
  log.bytes_in = source.size();
  try {
    const auto *answered = std::get_if<msg::OriginAnswered>(&outcome);
    if (!answered || answered->status < 200 || answered->status > 299)
      throw error_for_origin(outcome, std::holds_alternative<S3Target>(job.origin));
    const OriginHeaders origin_headers = answered->headers.value_or(OriginHeaders{});
    const ResponseMeta meta = image_meta(job.request.uri, origin_headers, variant_of(job), config_, std::time(nullptr));
    // CloudFront revalidating what it holds: the derived ETag says whether it
    // is still what we would make, before anything is decoded.
    if (meta.etag && none_match(job.request.headers, *meta.etag)) {
      log.outcome = "not_modified";
      log.status = 304;
      return msg::Respond{not_modified_response(job.spec, meta, config_), std::move(log)};
    }
    const Source checked = check_source(source, config_);  // the one size check and sniff of a request
    Config config = config_;  // the function's memory, for the work budget (image/work_budget.hpp)
    config.memory_limit_mb = answered->memory_limit_mb.value_or(0);
    RenderStep step = render(checked, job.spec, meta, config);
    return answer(job, meta, std::move(log), std::move(step));
  } catch (const ApiError &e) {
    return error_answer(e, config_, std::move(log));
  } catch (const std::exception &e) {
    // Never let an unexpected failure become an invalid result (a 502 at the edge).
    return error_answer(ApiError::internal(e.what()), config_, std::move(log));
  }
}

msg::FinishReply Handler::answer(const Job &job, const ResponseMeta &meta, msg::Log log,
                                 RenderStep step) const {
  if (auto *encode = std::get_if<PendingEncode>(&step)) {
    msg::Encode reply{0, 0, encode->pixels.width, encode->pixels.height, encode->pixels.channels, encode->quality,
                      encode->speed, log};
    // The vector's buffer moves with it: the address stays valid in jobs_.
    reply.pixels = reinterpret_cast<std::uintptr_t>(encode->pixels.data.data());
    reply.job = jobs_.keep(PendingRender{job, meta, std::move(log), std::move(*encode)});
    return reply;
  }
  if (auto *decode = std::get_if<PendingDecode>(&step)) {
    msg::Decode reply{0, decode->max_pixels, log};
    reply.job = jobs_.keep(PendingRender{job, meta, std::move(log), *decode});
    return reply;
  }
  RenderOutcome rendered = std::get<RenderOutcome>(std::move(step));
  log.width = rendered.width;
  log.height = rendered.height;
  log.format = rendered.content_type;
  log.quality = rendered.quality;
  log.encodes = rendered.encodes;
  log.bytes_out = rendered.image_bytes;
  if (!rendered.response) {
    log.outcome = "oversize_original";
    return msg::Passthrough{job.request, std::move(log)};
  }
  log.outcome = "transformed";
  log.status = std::stoi(rendered.response->status);
  return msg::Respond{std::move(*rendered.response), std::move(log)};
}

msg::FinishReply Handler::resume(std::uint32_t handle, const msg::CodecOutcome &outcome,
                                 std::span<const std::uint8_t> bytes) const {
  std::optional<PendingRender> pending = jobs_.take<PendingRender>(handle);
  if (!pending)
    return error_answer(ApiError::internal("no pending render " + std::to_string(handle)), config_);
  msg::Log log = std::move(pending->log);
  const Job &job = pending->job;
  try {
    if (const auto *failed = std::get_if<msg::CodecFailed>(&outcome)) throw error_for_codec(*failed);
    const auto &done = std::get<msg::CodecDone>(outcome);
    if (done.bytes != bytes.size()) throw ApiError::internal("the codec's byte count does not match its bytes");
    RenderStep step;
    if (auto *encode = std::get_if<PendingEncode>(&pending->stage)) {
      step = render_encoded(std::move(*encode), std::vector<std::uint8_t>(bytes.begin(), bytes.end()), job.spec,
                            pending->meta, config_);
    } else {
      const std::uint64_t icc_bytes = done.icc_bytes.value_or(0);
      if (!done.width || !done.height || !done.channels || icc_bytes > bytes.size())
        throw ApiError::internal("the codec's decode result is incomplete");
      const auto icc = static_cast<std::size_t>(icc_bytes);
      DecodedSource source{*done.width, *done.height, *done.channels, bytes.first(bytes.size() - icc),
                           bytes.last(icc), static_cast<std::size_t>(log.bytes_in.value_or(0))};
      step = render_decoded(source, job.spec, pending->meta, config_);
    }
    return answer(job, pending->meta, std::move(log), std::move(step));
  } catch (const ApiError &e) {
    return error_answer(e, config_, std::move(log));
  } catch (const std::exception &e) {
    return error_answer(ApiError::internal(e.what()), config_, std::move(log));
  }
}

msg::FinishReply Handler::resume(std::uint32_t handle, std::string_view outcome_json,
                                 std::span<const std::uint8_t> bytes) const {
  msg::CodecOutcome outcome;
  try {
    outcome = msg::read_codec_outcome(outcome_json);
  } catch (const FieldError &e) {
    drop(handle);
    return error_answer(ApiError::internal(std::string("malformed codec outcome: ") + e.what()), config_);
  }
  return resume(handle, outcome, bytes);
}

msg::FinishReply Handler::finish(const Job &job, std::string_view outcome_json,
                                 std::span<const std::uint8_t> source) const {
  msg::FetchOutcome outcome;
  try {
    outcome = msg::read_fetch_outcome(outcome_json);
  } catch (const FieldError &e) {
    return error_answer(ApiError::internal(std::string("malformed fetch outcome: ") + e.what()), config_, job.log);
  }
  return finish(job, outcome, source);
}

}  // namespace vips_edge
