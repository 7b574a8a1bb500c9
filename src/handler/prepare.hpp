// What an event asks for, decided once per request: parse the event, parse
// and validate the URL API parameters, check the signature, work out the
// origin to fetch. plan() answers from it; finish() works from the Job it
// made, so neither the event nor the signature is looked at twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "api/api_error.hpp"
#include "api/config.hpp"
#include "api/transform_spec.hpp"
#include "events/cloudfront.hpp"
#include "handler/messages.hpp"
#include "handler/origin_target.hpp"

namespace vips_edge {

// A transform to run once the source is fetched.
struct Job {
  cf::Request request;  // returned unchanged if the oversize policy says "original"
  TransformSpec spec;   // validated, signature checked
  OriginTarget origin;
  msg::Log log;         // uri + spec: the fields every later log line carries
  std::optional<std::int64_t> seconds_left;  // until the URL's exp (the responses' max-age cap)
  // A fallback image's job (handler/fallback.hpp): the error it stands in
  // for, answered if the fallback fails too.
  std::optional<ApiError> replacing;
  // wm's overlay, when it is not kept yet (handler/watermarks.hpp): fetched
  // first, its finish keeps it and answers the Fetch of `origin`.
  std::optional<OriginTarget> overlay_fetch;
};

// passthrough (no transform asked) | respond (an error answer: malformed
// event, bad parameter, bad signature, bad URI) | a job.
using Prepared = std::variant<msg::Passthrough, msg::Respond, Job>;

// `now`: unix seconds, the trigger's clock (exp is checked against it).
Prepared prepare(std::string_view event_json, const Config &config, std::int64_t now);

// The error answer every step uses: the URL API's JSON error response, with
// the error in the log.
msg::Respond error_answer(const ApiError &error, const Config &config, msg::Log log = {});

}  // namespace vips_edge
