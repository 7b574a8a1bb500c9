// The value readers config.json's tables (api/config_schema.hpp) are made
// of: each reads one JSON value and throws FieldError(path "", why); the
// schema reader (util/json_schema.hpp) puts the key path in front, and
// parse_config turns it into "config: <key>: <why>".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/json_schema.hpp"
#include "util/strict_fields.hpp"

namespace vips_edge::config_fields {

using json = nlohmann::json;

// Largest dimension we accept for maxWidth/maxHeight and the width lists:
// WebP cannot encode more than 16383 px per side.
constexpr int kMaxDimension = 16383;

[[noreturn]] void fail(const std::string &why);
// "expected an integer, got string": config's wording of a wrong JSON type.
[[noreturn]] void fail_type(const char *expected, const json &got);

std::int64_t integer(const json &v, std::int64_t min, std::int64_t max);
bool boolean(const json &v);
// A non-empty string.
std::string text(const json &v);
// A value that ends up in a response header: no CR, LF or other control byte
// (it would split the header, and CloudFront would answer 502).
std::string header_value(const json &v);
// A non-empty array of dimensions (1..kMaxDimension).
std::vector<int> dimensions(const json &v);
// A name chosen on a command line or in a URL (signing key, preset,
// watermark): 1-64 letters, digits, '-', '_' or '.'.
bool is_word(const std::string &name);

// An integer in [min, max], as T: field("maxWidth", &Config::max_width, IntIn<int>{1, kMaxDimension}).
template <class T>
struct IntIn {
  std::int64_t min, max;
  T operator()(const json &v) const { return static_cast<T>(integer(v, min, max)); }
};
// A JSON number in [min, max].
struct NumberIn {
  double min, max;
  double operator()(const json &v) const;
};

// One of an enum's names (its schema::Describe table): a non-empty string
// in config's wording, then the schema's own enum reading.
template <class E>
E keyword(const json &v) {
  text(v);
  return schema::read<E>(v);
}

// An object read through T's table, refused in config's words when it is not one.
template <class T>
T object_of(const json &v) {
  if (!v.is_object()) fail_type("an object", v);
  return schema::read<T>(v);
}

// {"name": value, ...}: names are words (is_word), each value read by `read`
// under its name. `what` says what the object maps ("name: query"), `noun`
// what a name is ("preset name").
template <class V, class Read>
std::map<std::string, V> named(const json &v, const char *what, const char *noun, Read read) {
  if (!v.is_object()) fail(std::string("expected an object of ") + what + ", got " + v.type_name());
  std::map<std::string, V> out;
  for (const auto &item : v.items()) {
    const std::string &name = item.key();
    if (!is_word(name)) fail(std::string(noun) + " \"" + name + "\" must be 1-64 letters, digits, '-', '_' or '.'");
    out[name] = strict::nested(name, [&] { return read(item.value()); });
  }
  return out;
}

}  // namespace vips_edge::config_fields
