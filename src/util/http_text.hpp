// Reading HTTP header values (RFC 9110 5.6): optional whitespace around list
// items and parameters is spaces and tabs.
#pragma once

#include <string_view>

namespace vips_edge {

inline std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace vips_edge
