#include "http/max_age.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace vips_edge {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The delta-seconds of "name=123" (nullopt when malformed or over 10 digits).
std::optional<std::int64_t> delta(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  if (value.empty() || value.size() > 10 || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t n = 0;
  for (char c : value) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

std::string cap_max_age(std::string_view cache_control, std::int64_t limit) {
  limit = std::max<std::int64_t>(limit, 0);
  std::vector<std::string> out;
  bool lifetime = false;
  std::size_t start = 0;
  while (start <= cache_control.size()) {
    std::size_t comma = cache_control.find(',', start);
    if (comma == std::string_view::npos) comma = cache_control.size();
    std::string_view directive = trim(cache_control.substr(start, comma - start));
    start = comma + 1;
    if (directive.empty()) continue;
    const std::size_t eq = directive.find('=');
    const std::string_view name = trim(directive.substr(0, eq));
    if (iequals(name, "no-store")) return std::string(cache_control);
    if (eq != std::string_view::npos && (iequals(name, "max-age") || iequals(name, "s-maxage"))) {
      lifetime = true;
      const auto given = delta(trim(directive.substr(eq + 1)));
      const std::int64_t seconds = given ? std::min(*given, limit) : limit;
      out.push_back(std::string(name) + "=" + std::to_string(seconds));
      continue;
    }
    out.emplace_back(directive);
  }
  if (!lifetime) out.push_back("max-age=" + std::to_string(limit));
  std::string joined;
  for (const std::string &d : out) joined += (joined.empty() ? "" : ", ") + d;
  return joined;
}

}  // namespace vips_edge
