// Header allow/deny rules for generated responses (see header_policy.hpp).
#include "http/header_policy.hpp"

#include <string>

namespace vips_edge {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char &c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_valid_value(std::string_view v) {
  for (unsigned char c : v)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

// "content-type" -> "Content-Type"; "etag" -> "ETag" as commonly written.
std::string title_case(std::string_view lower_name) {
  if (lower_name == "etag") return "ETag";
  std::string out(lower_name);
  bool start = true;
  for (char &c : out) {
    if (start && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    start = c == '-';
  }
  return out;
}

}  // namespace

bool is_forbidden_response_header(std::string_view name) {
  static constexpr std::string_view exact[] = {
      // disallowed
      "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
      "proxy-connection", "trailer", "upgrade", "x-cache", "x-forwarded-proto", "x-real-ip",
      // read-only
      "accept-encoding", "content-length", "if-modified-since", "if-none-match", "if-range",
      "if-unmodified-since", "transfer-encoding", "via"};
  static constexpr std::string_view prefixes[] = {"x-accel-", "x-amz-cf-", "x-amzn-", "x-edge-"};
  std::string n = lower(name);
  for (auto e : exact)
    if (n == e) return true;
  for (auto p : prefixes)
    if (n.starts_with(p)) return true;
  return false;
}

bool set_header(cf::Headers &headers, std::string_view name, std::string_view value) {
  if (name.empty() || is_forbidden_response_header(name) || !is_valid_value(value)) return false;
  for (char c : name)
    if (!is_token_char(c)) return false;
  std::string n = lower(name);
  headers.entries[n] = {cf::HeaderValue{title_case(n), std::string(value), cf::json::object()}};
  return true;
}

void sanitize_headers(cf::Headers &headers) {
  for (auto it = headers.entries.begin(); it != headers.entries.end();) {
    if (is_forbidden_response_header(it->first)) {
      it = headers.entries.erase(it);
      continue;
    }
    auto &values = it->second;
    std::erase_if(values, [](const cf::HeaderValue &v) { return !is_valid_value(v.value); });
    it = values.empty() ? headers.entries.erase(it) : std::next(it);
  }
}

}  // namespace vips_edge
