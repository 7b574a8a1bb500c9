// The value readers of config.json (config_fields.hpp).
#include "api/config_fields.hpp"

#include <algorithm>
#include <cctype>

#include "api/param_values.hpp"

namespace vips_edge::config_fields {

void fail(const std::string &why) { strict::fail("", why); }

void fail_type(const char *expected, const json &got) {
  fail(std::string("expected ") + expected + ", got " + got.type_name());
}

std::int64_t integer(const json &v, std::int64_t min, std::int64_t max) {
  if (!v.is_number_integer()) fail_type("an integer", v);
  const std::string range = "must be between " + std::to_string(min) + " and " + std::to_string(max);
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) fail(range);
  const std::int64_t n = v.get<std::int64_t>();
  if (n < min || n > max) fail(range);
  return n;
}

bool boolean(const json &v) {
  if (!v.is_boolean()) fail_type("true or false", v);
  return v.get<bool>();
}

std::string text(const json &v) {
  if (!v.is_string()) fail_type("a string", v);
  std::string s = v.get<std::string>();
  if (s.empty()) fail("must not be empty");
  return s;
}

std::string header_value(const json &v) {
  std::string s = text(v);
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7f) fail("must not contain CR, LF or other control characters");
  return s;
}

std::vector<int> dimensions(const json &v) {
  if (!v.is_array() || v.empty()) fail("expected a non-empty array of integers");
  std::vector<int> out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out.push_back(strict::nested("[" + std::to_string(i) + "]", [&] { return IntIn<int>{1, kMaxDimension}(v[i]); }));
  return out;
}

bool is_word(const std::string &name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '.';
         });
}

double NumberIn::operator()(const json &v) const {
  if (!v.is_number()) fail_type("a number", v);
  const double n = v.get<double>();
  if (!(n >= min && n <= max)) fail("must be between " + format_decimal(min) + " and " + format_decimal(max));
  return n;
}

}  // namespace vips_edge::config_fields
