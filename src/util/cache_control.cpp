#include "util/cache_control.hpp"

#include <cctype>

#include "util/http_text.hpp"

namespace vips_edge {

std::optional<std::uint64_t> CacheDirectives::seconds(std::string_view name) const {
  auto it = directives.find(std::string(name));
  if (it == directives.end() || it->second.empty()) return std::nullopt;
  constexpr std::uint64_t kMax = 2147483648ull;
  std::uint64_t n = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
    if (n > kMax) n = kMax;
  }
  return n;
}

std::optional<std::uint64_t> CacheDirectives::shared_max_age() const {
  if (auto s = seconds("s-maxage")) return s;
  return seconds("max-age");
}

CacheDirectives parse_cache_control(std::string_view value) {
  CacheDirectives out;
  std::size_t start = 0;
  while (start <= value.size()) {
    // A comma inside a quoted value does not end the directive.
    std::size_t end = start;
    bool quoted = false;
    while (end < value.size() && (quoted || value[end] != ',')) {
      if (value[end] == '"') quoted = !quoted;
      ++end;
    }
    std::string_view item = trim_ows(value.substr(start, end - start));
    if (!item.empty()) {
      std::size_t eq = item.find('=');
      std::string name(trim_ows(item.substr(0, eq)));
      for (char &c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string_view v = eq == std::string_view::npos ? std::string_view{} : trim_ows(item.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      out.directives.emplace(std::move(name), std::string(v));  // the first of a repeated name wins
    }
    start = end + 1;
  }
  return out;
}

}  // namespace vips_edge
