#include "handler/handler.hpp"

#include <ctime>

#include "api/api_error.hpp"
#include "api/param_values.hpp"
#include "handler/fallback.hpp"
#include "handler/render.hpp"
#include "http/caching.hpp"
#include "http/response.hpp"
#include "http/svg_response.hpp"
#include "image/svg.hpp"

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
    // The codec's messages name the format (HEIF or TIFF).
    case msg::CodecError::Corrupt: return ApiError::undecodable_image("cannot decode the image: " + message);
    case msg::CodecError::Unsupported: return ApiError::unsupported_format("unsupported image: " + message);
    case msg::CodecError::TooLarge: return ApiError::source_too_large(message);
    case msg::CodecError::Internal: break;
    case msg::CodecError::Unavailable: return ApiError::internal("the codec module is unavailable: " + message);
  }
  return ApiError::internal("codec module: " + message);
}

// What decides a derivative's bytes besides the source: the canonical query
// and, for format=auto, the Accept class (the cache key's x-vips-edge-accept);
// for auto, the resolved client hints (x-vips-edge-hints): log.spec folds them
// in only for the URL's own auto, not for a preset's.
std::string variant_of(const Job &job) {
  std::string variant = job.log.spec.value_or("");
  if (job.spec.format == RequestedFormat::Auto)
    variant += job.spec.accepts_avif ? "\naccept=avif" : job.spec.accepts_webp ? "\naccept=webp" : "\naccept=other";
  if (job.spec.client_hints)
    variant += "\nhints=" + std::to_string(job.spec.width.value_or(0)) + "," + format_decimal(job.spec.dpr) + "," +
               (job.spec.save_data ? "1" : "0");
  return variant;
}

// An SVG source: never rasterised; returned as it is when the config says so.
msg::Respond svg_answer(const Job &job, std::span<const std::uint8_t> source, const ResponseMeta &meta,
                        const Config &config, msg::Log log) {
  if (config.svg == SvgPolicy::Refuse)
    throw ApiError::unsupported_format("the origin body is an SVG, which is not rasterised (config \"svg\": "
                                       "\"passthrough\" returns it unchanged)");
  if (source.size() > config.max_input_bytes) throw ApiError::source_too_large("source is larger than maxInputBytes");
  if (job.spec.format == RequestedFormat::Json) throw ApiError::unsupported_format("format=json does not describe SVG");
  cf::Response response = svg_response(source, meta, config);
  log.outcome = "svg_passthrough";
  log.status = meta.status;
  log.format = "image/svg+xml";
  log.bytes_out = source.size();
  msg::Respond reply{std::move(response), std::move(log)};
  reply.body_bytes = source.size();  // the bytes beside the reply, as an image's (messages.hpp)
  reply.body.assign(source.begin(), source.end());
  return reply;
}

}  // namespace

Prepared Handler::prepare(std::string_view event_json, std::int64_t now) const {
  Prepared prepared = vips_edge::prepare(event_json, config_, now);
  if (auto *job = std::get_if<Job>(&prepared)) {
    try {
      plan_watermark(*job, watermarks_, config_);
    } catch (const ApiError &e) {
      return error_answer(e, config_, job->log);
    }
  }
  return prepared;
}

msg::FinishReply Handler::finish_overlay(const Job &job, const msg::FetchOutcome &outcome,
                                         std::span<const std::uint8_t> bytes) const {
  msg::Log log = job.log;
  log.bytes_in = bytes.size();
  const std::string &name = job.spec.watermark->name;
  try {
    const auto *answered = std::get_if<msg::OriginAnswered>(&outcome);
    if (!answered || answered->status < 200 || answered->status > 299)
      throw ApiError::watermark_unavailable("the overlay of watermark \"" + name + "\" could not be fetched: " +
                                            error_for_origin(outcome, false).what());
    Job next = job;
    next.overlay_fetch.reset();
    next.spec.watermark->overlay = watermarks_.keep(name, bytes, config_);
    log.outcome = "fetch";
    OriginTarget origin = next.origin;
    return msg::Fetch{jobs_.keep(std::move(next)), std::move(origin), std::move(log)};
  } catch (const ApiError &e) {
    return error_answer(e, config_, std::move(log));
  } catch (const std::exception &e) {
    return error_answer(ApiError::watermark_unavailable("the overlay of watermark \"" + name + "\": " + e.what()),
                        config_, std::move(log));
  }
}

Config Handler::config_for(const Job &job) const {
  Config config = config_;
  config.max_age_limit = job.seconds_left;
  return config;
}

msg::PlanReply plan_reply(Prepared prepared, std::uint32_t job) {
  return std::visit(
      [job](auto &&p) -> msg::PlanReply {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, Job>) {
          msg::Log log = std::move(p.log);
          log.outcome = p.overlay_fetch ? "watermark" : "fetch";
          return msg::Fetch{job, p.overlay_fetch ? std::move(*p.overlay_fetch) : std::move(p.origin), std::move(log)};
        } else {
          return std::move(p);
        }
      },
      std::move(prepared));
}

msg::FinishReply Handler::finish(const Job &job, const msg::FetchOutcome &outcome,
                                 std::span<const std::uint8_t> source) const {
  if (job.overlay_fetch) return finish_overlay(job, outcome, source);
  msg::Log log = job.log;
  log.bytes_in = source.size();
  const auto *answered = std::get_if<msg::OriginAnswered>(&outcome);
  try {
    if (!answered || answered->status < 200 || answered->status > 299) {
      ApiError error = error_for_origin(outcome, std::holds_alternative<S3Target>(job.origin));
      return failed(job, {std::move(error), answered ? std::optional<int>(answered->status) : std::nullopt}, std::move(log));
    }
    const OriginHeaders origin_headers = answered->headers.value_or(OriginHeaders{});
    // A fallback's head is its own; a derivative's comes from the origin's answer.
    const ResponseMeta meta = job.replacing ? fallback_meta(*job.replacing, config_)
                                            : image_meta(job.request.uri, origin_headers, variant_of(job), config_,
                                                         std::time(nullptr));
    // CloudFront revalidating what it holds: the derived ETag says whether it
    // is still what we would make, before anything is decoded.
    if (meta.etag && none_match(job.request.headers, *meta.etag)) {
      log.outcome = "not_modified";
      log.status = 304;
      return msg::Respond{not_modified_response(job.spec, meta, config_for(job)), std::move(log)};
    }
    if (looks_like_svg(source)) return svg_answer(job, source, meta, config_for(job), std::move(log));
    const Source checked = check_source(source, config_);  // the one size check and sniff of a request
    Config config = config_for(job);  // + the function's memory, for the work budget (image/work_budget.hpp)
    config.memory_limit_mb = answered->memory_limit_mb.value_or(0);
    RenderStep step = render(checked, job.spec, meta, config);
    return answer(job, meta, std::move(log), std::move(step));
  } catch (const ApiError &e) {
    return failed(job, {e, std::nullopt}, std::move(log));
  } catch (const std::exception &e) {
    // Never let an unexpected failure become an invalid result (a 502 at the edge).
    return failed(job, {ApiError::internal(e.what()), std::nullopt}, std::move(log));
  }
}

msg::FinishReply Handler::failed(const Job &job, const Failure &failure, msg::Log log) const {
  if (std::optional<Job> fallback = fallback_job(job, failure, config_)) {
    msg::Log fetch_log = fallback->log;
    fetch_log.outcome = "fallback";
    fetch_log.code = failure.error.code;
    fetch_log.message = failure.error.what();
    OriginTarget origin = fallback->origin;
    return msg::Fetch{jobs_.keep(std::move(*fallback)), std::move(origin), std::move(fetch_log)};
  }
  if (job.replacing) {
    // The fallback failed too: the error it stood in for, never another fallback.
    msg::Respond reply = error_answer(*job.replacing, config_, std::move(log));
    reply.log.message = std::string(job.replacing->what()) + "; the fallback image failed: " + failure.error.what();
    return reply;
  }
  return error_answer(failure.error, config_, std::move(log));
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
  if (!rendered.response && job.replacing)
    return failed(job, {ApiError::output_too_large("the fallback image does not fit the response limit"), std::nullopt},
                  std::move(log));
  if (!rendered.response) {
    log.outcome = "oversize_original";
    return msg::Passthrough{job.request, std::move(log)};
  }
  log.outcome = "transformed";
  log.status = std::stoi(rendered.response->status);
  msg::Respond reply{std::move(*rendered.response), std::move(log), std::nullopt, {}};
  if (!reply.response.body) {  // an image: its bytes go beside the JSON (messages.hpp)
    reply.body_bytes = rendered.body.size();
    reply.body = std::move(rendered.body);
  }
  return reply;
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
                            pending->meta, config_for(job));
    } else {
      const std::uint64_t icc_bytes = done.icc_bytes.value_or(0);
      if (!done.width || !done.height || !done.channels || icc_bytes > bytes.size())
        throw ApiError::internal("the codec's decode result is incomplete");
      const auto icc = static_cast<std::size_t>(icc_bytes);
      DecodedSource source{std::get<PendingDecode>(pending->stage).format, *done.width, *done.height, *done.channels,
                           bytes.first(bytes.size() - icc), bytes.last(icc),
                           static_cast<std::size_t>(log.bytes_in.value_or(0))};
      step = render_decoded(source, job.spec, pending->meta, config_for(job));
    }
    return answer(job, pending->meta, std::move(log), std::move(step));
  } catch (const ApiError &e) {
    return failed(job, {e, std::nullopt}, std::move(log));
  } catch (const std::exception &e) {
    return failed(job, {ApiError::internal(e.what()), std::nullopt}, std::move(log));
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
