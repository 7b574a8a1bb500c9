#include "handler/origin_target.hpp"

#include <algorithm>
#include <cctype>

#include "api/api_error.hpp"
#include "api/query.hpp"

namespace vips_edge {

namespace {

ApiError bad_uri(const std::string &why) { return ApiError(400, "invalid_uri", "URI " + why); }

// Paths keep '+' literal (only query strings use it for a space).
std::optional<std::string> decode_path(std::string_view path) {
  std::string escaped;
  for (char c : path) {
    if (c == '+') escaped += "%2B";
    else escaped += c;
  }
  return percent_decode(escaped);
}

bool iequals_prefix(std::string_view s, std::size_t at, std::string_view lower) {
  if (at + lower.size() > s.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[at + i])) != lower[i]) return false;
  return true;
}

void check_uri(std::string_view uri) {
  if (uri.empty() || uri[0] != '/') throw bad_uri("must start with '/'");
  if (uri.size() > 8192) throw bad_uri("is too long");
  for (std::size_t i = 0; i < uri.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(uri[i]);
    if (c < 0x20 || c == 0x7f) throw bad_uri("contains a control character");
    if (c == '\\') throw bad_uri("contains a backslash");
    if (c == '%' && (iequals_prefix(uri, i, "%2f") || iequals_prefix(uri, i, "%5c") ||
                     iequals_prefix(uri, i, "%00")))
      throw bad_uri("contains an encoded slash, backslash or NUL");
  }
  // Dot segments, also percent-encoded (%2e): "/a/../b", "/./", "/a/..".
  auto decoded = decode_path(uri);
  if (!decoded) throw bad_uri("has an invalid percent-escape");
  std::string_view d = *decoded;
  std::size_t start = 1;
  while (start <= d.size()) {
    std::size_t end = d.find('/', start);
    if (end == std::string_view::npos) end = d.size();
    std::string_view segment = d.substr(start, end - start);
    if (segment == "." || segment == "..") throw bad_uri("contains a dot segment");
    start = end + 1;
  }
}

// "bucket.s3.amazonaws.com", "bucket.s3.eu-west-1.amazonaws.com",
// "bucket.s3-eu-west-1.amazonaws.com" -> "bucket".
std::string bucket_from_domain(const std::string &domain) {
  for (const char *marker : {".s3.", ".s3-"}) {
    auto at = domain.rfind(marker);
    if (at != std::string::npos && at > 0) return domain.substr(0, at);
  }
  throw ApiError::origin_error("S3 origin domain " + domain + " does not name a bucket");
}

std::string join_path(const std::string &origin_path, std::string_view uri) {
  std::string path = origin_path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path + std::string(uri);
}

}  // namespace

OriginTarget origin_target(const cf::Request &request, const Config &config) {
  check_uri(request.uri);
  if (!request.origin) throw ApiError::origin_error("the event has no origin to fetch from");
  if (const cf::CustomOrigin *c = request.origin->custom()) {
    if (c->protocol != "http" && c->protocol != "https")
      throw ApiError::origin_error("custom origin protocol must be http or https, not " + c->protocol);
    HttpTarget http;
    bool default_port = (c->protocol == "https" && c->port == 443) || (c->protocol == "http" && c->port == 80);
    http.url = c->protocol;
    http.url.append("://").append(c->domainName);
    if (!default_port) http.url.append(":").append(std::to_string(c->port));
    http.url.append(join_path(c->path, request.uri));
    for (const auto &[name, values] : c->customHeaders.entries)
      if (!values.empty()) http.headers[name] = values.front().value;
    http.timeout_ms = std::clamp(c->readTimeout, 1, 60) * 1000;
    http.max_bytes = config.max_input_bytes;
    return http;
  }
  const cf::S3Origin &s = *request.origin->s3();
  S3Target s3;
  s3.bucket = bucket_from_domain(s.domainName);
  auto key = decode_path(join_path(s.path, request.uri));
  if (!key) throw ApiError::origin_error("S3 origin path has an invalid percent-escape");
  std::size_t first = key->find_first_not_of('/');
  s3.key = first == std::string::npos ? "" : key->substr(first);
  s3.region = s.region;
  s3.endpoint = config.s3_endpoint;
  s3.max_bytes = config.max_input_bytes;
  return s3;
}

OriginTarget configured_image_target(const cf::Request &request, const std::optional<std::string> &path,
                                     const std::optional<std::string> &file, const Config &config) {
  if (file) return FileTarget{*file, config.max_input_bytes};
  cf::Request elsewhere = request;
  elsewhere.uri = path.value_or("");
  return origin_target(elsewhere, config);
}

}  // namespace vips_edge
