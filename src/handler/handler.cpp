#include "handler/handler.hpp"

#include "api/api_error.hpp"
#include "handler/render.hpp"
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
    if (source.size() > config_.max_input_bytes)
      throw ApiError::source_too_large("source is larger than maxInputBytes");

    RenderOutcome rendered = render(source, job.spec, answered->headers.value_or(OriginHeaders{}), config_);
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
  } catch (const ApiError &e) {
    return error_answer(e, config_, std::move(log));
  } catch (const std::exception &e) {
    // Never let an unexpected failure become an invalid result (a 502 at the edge).
    return error_answer(ApiError::internal(e.what()), config_, std::move(log));
  }
}

std::string Handler::plan(std::string_view event_json) const {
  return msg::to_text(plan_reply(prepare(event_json), 0));
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

std::string Handler::finish(std::string_view event_json, std::string_view outcome_json,
                            std::span<const std::uint8_t> source) const {
  Prepared prepared = prepare(event_json);
  if (auto *job = std::get_if<Job>(&prepared)) return msg::to_text(finish(*job, outcome_json, source));
  if (auto *p = std::get_if<msg::Passthrough>(&prepared)) return msg::to_text(msg::FinishReply{std::move(*p)});
  return msg::to_text(msg::FinishReply{std::get<msg::Respond>(std::move(prepared))});
}

}  // namespace vips_edge
