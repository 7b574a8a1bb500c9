#include "handler/fallback.hpp"

namespace vips_edge {

namespace {

bool answered_by_fallback(const Failure &failure) {
  if (failure.origin_status) {
    const int s = *failure.origin_status;
    return s == 403 || s == 404 || s == 410;
  }
  const std::string &code = failure.error.code;
  return code == "source_too_large" || code == "unsupported_format" || code == "undecodable_image";
}

}  // namespace

std::optional<Job> fallback_job(const Job &job, const Failure &failure, const Config &config) {
  if (!config.fallback || job.replacing || !answered_by_fallback(failure)) return std::nullopt;
  Job fallback{job.request, job.spec, {}, job.log, job.seconds_left, failure.error, std::nullopt};
  try {
    fallback.origin = configured_image_target(job.request, config.fallback->path, config.fallback->file, config);
  } catch (const ApiError &) {
    return std::nullopt;  // parse_config checked the path: not reached
  }
  if (config.fallback->path) fallback.request.uri = *config.fallback->path;
  fallback.log.fallback = std::to_string(failure.error.status) + " " + failure.error.code;
  return fallback;
}

ResponseMeta fallback_meta(const ApiError &replaced, const Config &config) {
  ResponseMeta meta;
  meta.status = config.fallback && config.fallback->status ? *config.fallback->status : replaced.status;
  meta.cache_control = config.error_cache_control.for_status(replaced.status);
  meta.error = std::to_string(replaced.status) + " " + replaced.code;
  return meta;
}

}  // namespace vips_edge
