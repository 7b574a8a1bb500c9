// Generated-response builders (see response.hpp).
#include "http/response.hpp"

#include <glib.h>
#include <nlohmann/json.hpp>

#include "api/client_hints.hpp"
#include "http/header_policy.hpp"
#include "http/max_age.hpp"
#include "util/glib_memory.hpp"

namespace vips_edge {

namespace {

const char *reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 504: return "Gateway Timeout";
    default: return nullptr;
  }
}

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  return GMemory<gchar>(g_compute_checksum_for_data(G_CHECKSUM_SHA256, bytes.data(), bytes.size())).get();
}

}  // namespace

cf::Response error_response(const ApiError &error, const Config &config) {
  int status = error.status >= 200 && error.status <= 599 ? error.status : 500;
  nlohmann::json inner = {{"status", status}, {"code", error.code}, {"message", error.what()}};
  if (error.param) inner["param"] = *error.param;
  cf::Response r;
  r.status = std::to_string(status);
  if (const char *reason = reason_phrase(status)) r.statusDescription = reason;
  cf::Headers headers;
  set_header(headers, "content-type", "application/json");
  set_header(headers, "cache-control", config.error_cache_control.for_status(status));
  r.headers = std::move(headers);
  // replace: a message quoting bytes from elsewhere must not make dump throw.
  r.body = nlohmann::json{{"error", inner}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.bodyEncoding = cf::BodyEncoding::Text;
  return r;
}

namespace {

// A strong etag: the quoted SHA-256 of the bytes in hex (66 characters).
std::string etag_of(std::span<const std::uint8_t> bytes) { return '"' + sha256_hex(bytes) + '"'; }
constexpr std::size_t kEtagLength = 66;

// The caching headers of a 200 (and its 304): meta's, else the configured
// cache-control, its lifetime cut at the URL's exp; an etag only when one is given.
void caching_headers(cf::Headers &headers, const std::optional<std::string> &etag, const TransformSpec *spec,
                     const ResponseMeta &meta, const Config &config) {
  std::string cache_control = meta.cache_control.value_or(config.cache_control);
  if (config.max_age_limit) cache_control = cap_max_age(cache_control, *config.max_age_limit);
  set_header(headers, "cache-control", cache_control);
  if (etag) set_header(headers, "etag", *etag);
  if (meta.last_modified) set_header(headers, "last-modified", *meta.last_modified);
  std::string vary = spec && spec->format == RequestedFormat::Auto ? "accept" : "";
  if (spec && spec->client_hints) {  // api/client_hints.hpp
    vary += (vary.empty() ? "" : ", ") + hints_vary(spec->client_hints);
    if (std::string ch = hints_accept_ch(spec->client_hints); !ch.empty()) set_header(headers, "accept-ch", ch);
  }
  if (!vary.empty()) set_header(headers, "vary", vary);
}

// A response's status line and headers, without its body.
cf::Response head(const char *content_type, const std::string &etag, const TransformSpec *spec,
                  const ResponseMeta &meta, const Config &config) {
  cf::Response r;
  r.status = std::to_string(meta.status);
  if (const char *reason = reason_phrase(meta.status)) r.statusDescription = reason;
  cf::Headers headers;
  set_header(headers, "content-type", content_type);
  caching_headers(headers, meta.etag.value_or(etag), spec, meta, config);
  if (meta.error) set_header(headers, "x-vips-edge-error", *meta.error);
  r.headers = std::move(headers);
  return r;
}

}  // namespace

cf::Response image_head(std::span<const std::uint8_t> bytes, ImageFormat format, const TransformSpec &spec,
                        const ResponseMeta &meta, const Config &config) {
  cf::Response r = head(mime_type(format), meta.etag ? "" : etag_of(bytes), &spec, meta, config);
  r.bodyEncoding = cf::BodyEncoding::Base64;
  return r;
}

std::size_t image_response_size(std::size_t image_bytes, ImageFormat format, const TransformSpec &spec,
                                const ResponseMeta &meta, const Config &config) {
  const cf::Response r = head(mime_type(format), std::string(kEtagLength, '0'), &spec, meta, config);
  return generated_response_size(r) + 4 * ((image_bytes + 2) / 3);
}

cf::Response not_modified_response(const TransformSpec &spec, const ResponseMeta &meta, const Config &config) {
  cf::Response r;
  r.status = "304";
  r.statusDescription = reason_phrase(304);
  cf::Headers headers;
  caching_headers(headers, meta.etag, &spec, meta, config);
  r.headers = std::move(headers);
  return r;
}

cf::Response json_response(const std::string &body, const ResponseMeta &meta, const Config &config) {
  const auto *bytes = reinterpret_cast<const std::uint8_t *>(body.data());
  cf::Response r = head("application/json", meta.etag ? "" : etag_of({bytes, body.size()}), nullptr, meta, config);
  r.body = body;
  r.bodyEncoding = cf::BodyEncoding::Text;
  return r;
}

std::size_t generated_response_size(const cf::Response &response) {
  std::size_t n = response.status.size();
  if (response.statusDescription) n += response.statusDescription->size();
  if (response.body) n += response.body->size();
  if (response.headers)
    for (const auto &[name, values] : response.headers->entries)
      for (const auto &v : values) n += name.size() + 2 + v.value.size() + 2;
  return n;
}

}  // namespace vips_edge
