// Generated-response builders (see response.hpp).
#include "http/response.hpp"

#include <glib.h>
#include <nlohmann/json.hpp>

#include "http/header_policy.hpp"
#include "http/max_age.hpp"
#include "util/glib_memory.hpp"

namespace vips_edge {

namespace {

const char *reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
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

// Copies an origin header when present; false when absent or unusable.
bool copy_header(cf::Headers &out, const OriginHeaders &origin, const std::string &name) {
  auto it = origin.find(name);
  return it != origin.end() && !it->second.empty() && set_header(out, name, it->second);
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
  set_header(headers, "cache-control", config.error_cache_control);
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

// The headers every 200 carries: the origin's cache-control (else the
// configured one; its lifetime cut at the URL's exp), a strong etag, the
// origin's last-modified.
cf::Headers success_headers(const char *content_type, const std::string &etag, const OriginHeaders &origin_headers,
                            const Config &config) {
  cf::Headers headers;
  set_header(headers, "content-type", content_type);
  if (!copy_header(headers, origin_headers, "cache-control"))
    set_header(headers, "cache-control", config.cache_control);
  if (config.max_age_limit) {
    const std::string *given = headers.first("cache-control");
    set_header(headers, "cache-control", cap_max_age(given ? *given : std::string(), *config.max_age_limit));
  }
  set_header(headers, "etag", etag);
  copy_header(headers, origin_headers, "last-modified");
  return headers;
}

// An image 200 without its body, for an etag.
cf::Response image_head_with(const std::string &etag, ImageFormat format, const TransformSpec &spec,
                             const OriginHeaders &origin_headers, const Config &config) {
  cf::Response r;
  r.status = "200";
  r.statusDescription = "OK";
  cf::Headers headers = success_headers(mime_type(format), etag, origin_headers, config);
  if (spec.format == RequestedFormat::Auto) set_header(headers, "vary", "accept");
  r.headers = std::move(headers);
  r.bodyEncoding = cf::BodyEncoding::Base64;
  return r;
}

}  // namespace

cf::Response image_head(std::span<const std::uint8_t> bytes, ImageFormat format, const TransformSpec &spec,
                        const OriginHeaders &origin_headers, const Config &config) {
  return image_head_with(etag_of(bytes), format, spec, origin_headers, config);
}

std::size_t image_response_size(std::size_t image_bytes, ImageFormat format, const TransformSpec &spec,
                                const OriginHeaders &origin_headers, const Config &config) {
  const cf::Response head = image_head_with(std::string(kEtagLength, '0'), format, spec, origin_headers, config);
  return generated_response_size(head) + 4 * ((image_bytes + 2) / 3);
}

cf::Response json_response(const std::string &body, const OriginHeaders &origin_headers, const Config &config) {
  cf::Response r;
  r.status = "200";
  r.statusDescription = "OK";
  const auto *bytes = reinterpret_cast<const std::uint8_t *>(body.data());
  r.headers = success_headers("application/json", etag_of({bytes, body.size()}), origin_headers, config);
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
