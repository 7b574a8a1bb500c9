// A small RFC 9110 media-range reader, just enough to find image/webp and its q.
#include "api/accept.hpp"

#include <optional>
#include <string>
#include <vector>

#include "util/http_text.hpp"

namespace vips_edge {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Splits on `sep` outside double-quoted strings (with backslash escapes).
std::vector<std::string_view> split_unquoted(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted && c == '\\') ++i;
    else if (c == '"') quoted = !quoted;
    else if (!quoted && c == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

// RFC 9110 qvalue: "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"]; returns weight in
// thousandths, nullopt when malformed.
std::optional<int> parse_qvalue(std::string_view q) {
  if (q.empty() || (q[0] != '0' && q[0] != '1')) return std::nullopt;
  int whole = q[0] - '0';
  if (q.size() == 1) return whole * 1000;
  if (q[1] != '.' || q.size() > 5) return std::nullopt;
  int frac = 0, digits = 0;
  for (char c : q.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    frac = frac * 10 + (c - '0');
    ++digits;
  }
  for (; digits < 3; ++digits) frac *= 10;
  if (whole == 1 && frac != 0) return std::nullopt;
  return whole * 1000 + frac;
}

}  // namespace

namespace {

bool accepts_image(std::string_view accept, std::string_view type) {
  bool seen = false;
  for (std::string_view range : split_unquoted(accept, ',')) {
    auto parts = split_unquoted(range, ';');
    if (!iequals(trim_ows(parts[0]), type)) continue;
    std::optional<int> weight = 1000;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      std::string_view p = trim_ows(parts[i]);
      auto eq = p.find('=');
      if (eq == std::string_view::npos || !iequals(trim_ows(p.substr(0, eq)), "q")) continue;
      weight = parse_qvalue(trim_ows(p.substr(eq + 1)));
    }
    if (!weight) continue;  // malformed q: ignore this range
    if (*weight == 0) return false;
    seen = true;
  }
  return seen;
}

}  // namespace

bool accepts_webp(std::string_view accept) { return accepts_image(accept, "image/webp"); }
bool accepts_avif(std::string_view accept) { return accepts_image(accept, "image/avif"); }

}  // namespace vips_edge
