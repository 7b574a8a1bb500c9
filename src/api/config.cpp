// parse_config: strict validation of the bundled config.json, so a typo in a
// key or a wrong type fails `make package`/cold start loudly instead of
// silently falling back to a default. The keys are the table in
// config_schema.hpp; this file holds the readers of the keys with rules of
// their own (signing, clientHints, presets) and the checks across keys.
#include "api/config.hpp"

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "api/config_schema.hpp"
#include "api/presets.hpp"

namespace vips_edge {

using json = nlohmann::json;

namespace config_fields {

std::map<std::string, std::string> signing_keys(const json &v) {
  if (!v.is_object() || v.empty()) fail("expected a non-empty object of name: secret");
  return named<std::string>(v, "name: secret", "key name", &text);
}

SigningConfig signing(const json &v) {
  const SigningJson given = object_of<SigningJson>(v);
  SigningConfig s;
  if (given.key && given.keys) strict::fail("key", "give key or keys, not both");
  if (given.key) s.keys.push_back({"default", *given.key});
  if (given.keys)
    for (const auto &[name, secret] : *given.keys) s.keys.push_back({name, secret});
  if (s.keys.empty()) strict::fail("key", "missing (give key, or keys for several)");
  if (given.required) s.required = *given.required;
  return s;
}

namespace {

template <class T>
void ascending(const std::vector<T> &list) {
  for (std::size_t i = 1; i < list.size(); ++i)
    if (!(list[i - 1] < list[i])) fail("expected strictly ascending values");
}

}  // namespace

std::vector<int> ladder_widths(const json &v) {
  std::vector<int> widths = dimensions(v);
  if (widths.size() > 32) fail("at most 32 rungs");
  ascending(widths);
  return widths;
}

std::vector<double> ladder_dprs(const json &v) {
  if (!v.is_array() || v.empty() || v.size() > 8) fail("expected an array of 1 to 8 numbers");
  std::vector<double> dprs;
  for (const json &d : v) {
    if (!d.is_number() || !(d.get<double>() >= 1 && d.get<double>() <= 4) ||
        std::round(d.get<double>() * 1000) != d.get<double>() * 1000)
      fail("expected numbers 1..4 with at most 3 decimals");
    dprs.push_back(d.get<double>());
  }
  ascending(dprs);
  return dprs;
}

std::map<std::string, std::string> presets(const json &v) {
  return named<std::string>(v, "name: query", "preset name", &text);
}

// After every key, so their order in the file is free.
void check_config(const Config &c) {
  auto check_list = [](const std::optional<std::vector<int>> &list, const char *key, int max, const char *max_key) {
    if (!list) return;
    for (int n : *list)
      if (n > max) strict::fail(key, std::to_string(n) + " exceeds " + max_key + " (" + std::to_string(max) + ")");
  };
  check_list(c.allowed_widths, "allowedWidths", c.max_width, "maxWidth");
  check_list(c.allowed_heights, "allowedHeights", c.max_height, "maxHeight");
  check_presets(c);
}

}  // namespace config_fields

Config parse_config(std::string_view text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception &e) {
    // Also out_of_range 406 ("1e999"): every bad file is std::invalid_argument
    // as documented. Found by fuzz/fuzz_config.cpp (tests/regressions/config/).
    throw std::invalid_argument(std::string("config: invalid JSON: ") + e.what());
  }
  if (!j.is_object()) throw std::invalid_argument("config: expected a JSON object");

  Config c;
  try {
    c = schema::read<Config>(j);
  } catch (const FieldError &e) {
    throw std::invalid_argument("config: " + e.path + ": " + e.reason);
  }
  c.digest = 14695981039346656037ull;  // FNV-1a 64 of the text
  for (unsigned char ch : text) c.digest = (c.digest ^ ch) * 1099511628211ull;
  return c;
}

}  // namespace vips_edge
