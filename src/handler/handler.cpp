#include "handler/handler.hpp"

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "api/parse_spec.hpp"
#include "api/signing.hpp"
#include "events/cloudfront.hpp"
#include "handler/origin_target.hpp"
#include "handler/render.hpp"
#include "http/response.hpp"

namespace vips_edge {

namespace {

using json = nlohmann::json;

// Every result goes through here. error_handler_t::replace: log messages
// quote bytes we do not control (nlohmann's parse_error text echoes the
// offending input byte, libvips errors may quote file contents), and a
// plain dump() throws type_error 316 on invalid UTF-8, escaping plan()/
// finish() as an uncaught exception (a crashed invocation, a 502 at the
// edge). Found by fuzz/fuzz_event.cpp (tests/regressions/event/).
std::string dump_result(const json &result) {
  return result.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string passthrough(const cf::Request &request, json log) {
  log["outcome"] = log.value("outcome", "passthrough");
  return dump_result(json{{"action", "passthrough"}, {"request", request}, {"log", std::move(log)}});
}

std::string respond(const cf::Response &response, json log) {
  log["status"] = std::stoi(response.status);
  return dump_result(json{{"action", "respond"}, {"response", response}, {"log", std::move(log)}});
}

std::string respond_error(const ApiError &error, const Config &config, json log = json::object()) {
  log["outcome"] = "error";
  log["code"] = error.code;
  log["message"] = error.what();
  return respond(error_response(error, config), std::move(log));
}

// The request's spec, or nullopt for passthrough. Signature checked here so
// plan() and finish() can never disagree.
std::optional<TransformSpec> spec_for(const cf::Request &request, const Config &config) {
  const UrlParams params = collect_params(request.querystring);  // the query, split and decoded once
  auto spec = parse_spec(params, request.headers, config);
  if (spec) verify_signature(request.uri, params, config);
  return spec;
}

ApiError error_for_origin(const json &outcome, bool s3) {
  if (outcome.contains("error")) {
    std::string kind = outcome["error"].is_string() ? outcome["error"].get<std::string>() : "";
    std::string message = outcome.value("message", std::string("origin fetch failed"));
    if (kind == "timeout") return ApiError::origin_timeout("origin did not answer in time: " + message);
    if (kind == "too_large") return ApiError::source_too_large("source is larger than maxInputBytes");
    return ApiError::origin_error("origin unreachable: " + message);
  }
  int status = outcome.value("status", 0);
  // S3 answers 403 for a missing key when the role may not list the bucket.
  if (status == 404 || status == 410 || (s3 && status == 403))
    return ApiError::not_found("origin has no such image (HTTP " + std::to_string(status) + ")");
  return ApiError::origin_error("origin answered HTTP " + std::to_string(status));
}

}  // namespace

std::string Handler::plan(std::string_view event_json) const {
  cf::Event event;
  try {
    event = cf::parse_event(event_json);
  } catch (const std::exception &e) {
    return respond_error(ApiError::internal(std::string("malformed CloudFront event: ") + e.what()), config_);
  }
  const cf::Request &request = event.request;
  json log = {{"uri", request.uri}};
  try {
    auto spec = spec_for(request, config_);
    if (!spec) return passthrough(request, std::move(log));
    log["spec"] = spec->canonical();
    OriginTarget target = origin_target(request, config_);
    log["outcome"] = "fetch";
    return dump_result(json{{"action", "fetch"}, {"origin", to_json(target)}, {"log", std::move(log)}});
  } catch (const ApiError &e) {
    return respond_error(e, config_, std::move(log));
  }
}

std::string Handler::finish(std::string_view event_json, std::string_view outcome_json,
                            std::span<const std::uint8_t> source) const {
  cf::Event event;
  json outcome;
  try {
    event = cf::parse_event(event_json);
    outcome = json::parse(outcome_json);
    if (!outcome.is_object()) throw std::invalid_argument("fetch outcome is not an object");
  } catch (const std::exception &e) {
    return respond_error(ApiError::internal(std::string("malformed input: ") + e.what()), config_);
  }
  const cf::Request &request = event.request;
  json log = {{"uri", request.uri}, {"bytesIn", source.size()}};
  try {
    auto spec = spec_for(request, config_);
    if (!spec) return passthrough(request, std::move(log));
    log["spec"] = spec->canonical();

    const bool s3 = request.origin && request.origin->s3;
    int status = outcome.value("status", 0);
    if (outcome.contains("error") || status < 200 || status > 299) throw error_for_origin(outcome, s3);
    if (source.size() > config_.max_input_bytes)
      throw ApiError::source_too_large("source is larger than maxInputBytes");

    OriginHeaders origin_headers;
    if (outcome.contains("headers") && outcome["headers"].is_object())
      for (const auto &[name, value] : outcome["headers"].items())
        if (value.is_string()) origin_headers[name] = value.get<std::string>();

    RenderOutcome rendered = render(source, *spec, origin_headers, config_);
    log["width"] = rendered.width;
    log["height"] = rendered.height;
    log["format"] = rendered.content_type;
    log["quality"] = rendered.quality;
    log["encodes"] = rendered.encodes;
    log["bytesOut"] = rendered.image_bytes;
    if (!rendered.response) {
      log["outcome"] = "oversize_original";
      return passthrough(request, std::move(log));
    }
    log["outcome"] = "transformed";
    return respond(*rendered.response, std::move(log));
  } catch (const ApiError &e) {
    return respond_error(e, config_, std::move(log));
  } catch (const std::exception &e) {
    // Never let an unexpected failure become an invalid result (a 502 at the edge).
    return respond_error(ApiError::internal(e.what()), config_, std::move(log));
  }
}

}  // namespace vips_edge
