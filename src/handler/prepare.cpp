#include "handler/prepare.hpp"

#include "api/api_error.hpp"
#include "api/canonical.hpp"
#include "api/client_hints.hpp"
#include "api/expiry.hpp"
#include "api/params.hpp"
#include "api/parse_spec.hpp"
#include "api/presets.hpp"
#include "api/signing.hpp"
#include "http/response.hpp"

namespace vips_edge {

msg::Respond error_answer(const ApiError &error, const Config &config, msg::Log log) {
  cf::Response response = error_response(error, config);
  log.outcome = "error";
  log.code = error.code;
  log.message = error.what();
  log.status = std::stoi(response.status);
  return {std::move(response), std::move(log), std::nullopt, {}};
}

Prepared prepare(std::string_view event_json, const Config &config, std::int64_t now) {
  cf::Event event;
  try {
    event = cf::parse_event(event_json);
  } catch (const std::exception &e) {
    return error_answer(ApiError::internal(std::string("malformed CloudFront event: ") + e.what()), config);
  }
  msg::Log log;
  log.uri = event.request.uri;
  try {
    const UrlParams params = collect_params(event.request.querystring);  // the query, split and decoded once
    auto spec = parse_spec(apply_preset(params, config), event.request.headers, config);  // the URL's preset expanded
    if (!spec) {
      log.outcome = "passthrough";
      return msg::Passthrough{std::move(event.request), std::move(log)};
    }
    verify_signature(event.request.uri, params, config);
    // The request's one spelling, as signed, with any "auto" resolved (client
    // hints): the log and the derived ETag tell the rungs apart.
    log.spec = canonical_query(resolve_auto(params, *spec, config), false);
    const std::optional<std::int64_t> left = seconds_left(*spec, now);  // after the signature: exp is signed
    OriginTarget origin = origin_target(event.request, config);
    return Job{std::move(event.request), std::move(*spec), std::move(origin), std::move(log), left};
  } catch (const ApiError &e) {
    return error_answer(e, config, std::move(log));
  }
}

}  // namespace vips_edge
