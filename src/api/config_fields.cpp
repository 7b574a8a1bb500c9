// The typed readers of config.json's values (config_fields.hpp).
#include "api/config_fields.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "api/param_values.hpp"

namespace vips_edge {

using json = nlohmann::json;

namespace config_fields {

[[noreturn]] void fail(const std::string &key, const std::string &why) {
  throw std::invalid_argument("config: " + key + ": " + why);
}

std::int64_t get_int(const json &v, const std::string &key, std::int64_t min, std::int64_t max) {
  if (!v.is_number_integer()) fail(key, std::string("expected an integer, got ") + v.type_name());
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  std::int64_t n = v.get<std::int64_t>();
  if (n < min || n > max) fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return n;
}

bool get_bool(const json &v, const std::string &key) {
  if (!v.is_boolean()) fail(key, std::string("expected true or false, got ") + v.type_name());
  return v.get<bool>();
}

std::string get_string(const json &v, const std::string &key) {
  if (!v.is_string()) fail(key, std::string("expected a string, got ") + v.type_name());
  std::string s = v.get<std::string>();
  if (s.empty()) fail(key, "must not be empty");
  return s;
}

// Values that end up in response headers: a CR/LF (or any control byte)
// would split or corrupt the header, and CloudFront would answer 502.
std::string get_header_value(const json &v, const std::string &key) {
  std::string s = get_string(v, key);
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7f) fail(key, "must not contain CR, LF or other control characters");
  return s;
}

bool is_word(const std::string &name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '.';
         });
}

double get_number(const json &v, const std::string &key, double min, double max) {
  if (!v.is_number()) fail(key, std::string("expected a number, got ") + v.type_name());
  const double n = v.get<double>();
  if (!(n >= min && n <= max)) fail(key, "must be between " + format_decimal(min) + " and " + format_decimal(max));
  return n;
}

const json &get_object(const json &v, const std::string &key, const char *const *known) {
  if (!v.is_object()) fail(key, std::string("expected an object, got ") + v.type_name());
  for (const auto &item : v.items()) {
    bool ok = false;
    for (const char *const *k = known; *k && !ok; ++k) ok = item.key() == *k;
    if (!ok) fail(key + "." + item.key(), "unknown key");
  }
  return v;
}

}  // namespace config_fields

}  // namespace vips_edge
