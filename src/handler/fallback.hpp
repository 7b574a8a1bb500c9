// The fallback image (config "fallback"): when the origin has no such image
// (404/403/410) or its body is undecodable, unsupported or too large, the
// request is answered with the configured image instead of the JSON error,
// transformed with the request's own parameters. The decision is here; the
// trigger only fetches what the Fetch reply names (a path on the same
// origin, or a file bundled in the package) and finishes the new job.
//
// A fallback is tried once: a job that is a fallback never falls back again,
// and its own failure answers the JSON error it stood in for.
#pragma once

#include <optional>

#include "api/api_error.hpp"
#include "api/config.hpp"
#include "handler/prepare.hpp"
#include "http/response.hpp"

namespace vips_edge {

// What a failed job met: the error it would answer, and the origin's status
// when the origin answered one (a custom origin's 403 is a 502 origin_error
// without a fallback, but a missing image for it).
struct Failure {
  ApiError error;
  std::optional<int> origin_status;
};

// The job that fetches the fallback for `job`, or nullopt: no fallback
// configured, `job` is a fallback itself, or the failure is not one a
// fallback answers (a bad parameter, the work budget, an origin down...).
std::optional<Job> fallback_job(const Job &job, const Failure &failure, const Config &config);

// The head of a fallback's response: the configured status (else the
// replaced error's), the replaced error's class TTL, x-vips-edge-error
// "<status> <code>", no origin validators (the tag is the bytes' hash).
ResponseMeta fallback_meta(const ApiError &replaced, const Config &config);

}  // namespace vips_edge
