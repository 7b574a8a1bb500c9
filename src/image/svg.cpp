#include "image/svg.hpp"

#include <string_view>

namespace vips_edge {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Past the end of `close` from the start of `s`, or npos.
std::size_t after(std::string_view s, std::string_view close) {
  const std::size_t at = s.find(close);
  return at == std::string_view::npos ? at : at + close.size();
}

// Past a DOCTYPE's '>' (an internal subset in [...] may hold '>').
std::size_t after_doctype(std::string_view s) {
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') ++depth;
    else if (s[i] == ']') --depth;
    else if (s[i] == '>' && depth <= 0) return i + 1;
  }
  return std::string_view::npos;
}

}  // namespace

bool looks_like_svg(std::span<const std::uint8_t> bytes) {
  std::string_view s(reinterpret_cast<const char *>(bytes.data()), std::min<std::size_t>(bytes.size(), 64 * 1024));
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  for (;;) {
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    std::size_t skip = 0;
    if (s.substr(0, 4) == "<!--") skip = after(s, "-->");
    else if (s.substr(0, 2) == "<?") skip = after(s, "?>");
    else if (s.substr(0, 9) == "<!DOCTYPE") skip = after_doctype(s);
    else break;
    if (skip == std::string_view::npos) return false;
    s.remove_prefix(skip);
  }
  return s.size() > 4 && s.substr(0, 4) == "<svg" && (space(s[4]) || s[4] == '>' || s[4] == '/');
}

}  // namespace vips_edge
