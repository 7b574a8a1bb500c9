// Splitting and percent-decoding of the raw querystring CloudFront passes.
#include "api/query.hpp"

#include <glib.h>

#include "api/api_error.hpp"

namespace vips_edge {

std::vector<RawParam> split_query(std::string_view qs) {
  if (qs.size() > kMaxQueryLength)
    throw ApiError(400, "invalid_parameter",
                   "query string longer than " + std::to_string(kMaxQueryLength) + " characters");
  std::vector<RawParam> out;
  std::size_t start = 0;
  while (start <= qs.size()) {
    std::size_t end = qs.find('&', start);
    if (end == std::string_view::npos) end = qs.size();
    std::string_view segment = qs.substr(start, end - start);
    if (!segment.empty()) {
      if (out.size() == kMaxQueryParams)
        throw ApiError(400, "invalid_parameter",
                       "more than " + std::to_string(kMaxQueryParams) + " query parameters");
      std::size_t eq = segment.find('=');
      if (eq == std::string_view::npos) out.push_back({segment, {}});
      else out.push_back({segment.substr(0, eq), segment.substr(eq + 1)});
    }
    start = end + 1;
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= raw.size()) return std::nullopt;  // needs two hex digits
      int hi = hex_value(raw[i + 1]), lo = hex_value(raw[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  // g_utf8_validate with an explicit length also fails on any NUL byte,
  // which covers %00 and a literal NUL in one check.
  if (!g_utf8_validate(out.data(), static_cast<gssize>(out.size()), nullptr)) return std::nullopt;
  return out;
}

std::string decode_param_value(std::string_view param, std::string_view raw) {
  auto decoded = percent_decode(raw);
  if (!decoded)
    throw ApiError::invalid_parameter(
        std::string(param),
        std::string(param) + ": invalid percent-encoding, NUL byte or non-UTF-8 value");
  return *decoded;
}

}  // namespace vips_edge
