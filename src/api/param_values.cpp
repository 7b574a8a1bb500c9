// Value grammar per ValueKind, ranges from the table (see param_values.hpp).
#include "api/param_values.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "api/api_error.hpp"

namespace vips_edge {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> split_fields(std::string_view v) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = v.find(',', start);
    out.push_back(v.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

// Plain digits, no sign, no leading zero, at most 10 digits (exp's unix
// seconds need 10; an int64 holds them all, and ranges are checked in it).
std::optional<std::int64_t> plain_int(std::string_view v) {
  if (v.empty() || v.size() > 10 || !std::all_of(v.begin(), v.end(), is_digit) || (v.size() > 1 && v[0] == '0'))
    return std::nullopt;
  std::int64_t n = 0;
  for (char c : v) n = n * 10 + (c - '0');
  return n;
}

// Digits with an optional '.' and at least one fractional digit, no leading
// zero except "0.x", at most 15 digits: mantissa / 10^k with both exact in a
// double, so one correctly rounded division.
std::optional<double> plain_decimal(std::string_view v) {
  auto dot = v.find('.');
  std::string_view whole = v.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : v.substr(dot + 1);
  bool ok = !whole.empty() && std::all_of(whole.begin(), whole.end(), is_digit) &&
            !(whole.size() > 1 && whole[0] == '0') &&
            (dot == std::string_view::npos || (!frac.empty() && std::all_of(frac.begin(), frac.end(), is_digit))) &&
            whole.size() + frac.size() <= 15;
  if (!ok) return std::nullopt;
  std::int64_t mantissa = 0;
  for (char c : whole) mantissa = mantissa * 10 + (c - '0');
  double scale = 1;
  for (char c : frac) {
    mantissa = mantissa * 10 + (c - '0');
    scale *= 10;
  }
  return static_cast<double>(mantissa) / scale;
}

std::int64_t max_of(const ParamDef &d, const Config &config) {
  switch (d.max_from) {
    case ConfigMax::Width: return config.max_width;
    case ConfigMax::Height: return config.max_height;
    case ConfigMax::None: break;
  }
  return static_cast<std::int64_t>(d.max);
}

std::string range(double min, double max) { return format_decimal(min) + ".." + format_decimal(max); }

// "x,y,w,h: " for a row with several fields.
std::string fields_prefix(const ParamDef &d) {
  static constexpr std::string_view kNames[] = {"x", "y", "w", "h"};
  if (d.fields == 2) return "x,y: ";
  std::string out;
  for (int i = 0; i < d.fields && i < 4; ++i) {
    if (i) out += ',';
    out += kNames[i];
  }
  return out + ": ";
}

// The row's `fields` comma-separated numbers, each read by `parse` and in range.
template <class T, class Parse>
std::vector<T> read_fields(const GivenParam &given, Param p, const char *what, Parse parse) {
  const ParamDef &d = param_def(p);
  const std::string expect =
      fields_prefix(d) + std::to_string(d.fields) + " " + what + " " + range(d.min, d.max) + " separated by commas";
  auto parts = split_fields(given.value);
  if (static_cast<int>(parts.size()) != d.fields) invalid_value(given, expect);
  std::vector<T> out;
  for (std::string_view part : parts) {
    auto v = parse(part);
    if (!v || !(static_cast<double>(*v) >= d.min && static_cast<double>(*v) <= d.max)) invalid_value(given, expect);
    out.push_back(static_cast<T>(*v));
  }
  return out;
}

}  // namespace

void invalid_value(const GivenParam &given, const std::string &what) {
  throw ApiError::invalid_parameter(given.name, given.name + "=" + given.value + ": " + what);
}

int read_int(const GivenParam &given, Param p, const Config &config) {
  return static_cast<int>(read_int64(given, p, config));  // every int row but exp's range fits an int
}

std::int64_t read_int64(const GivenParam &given, Param p, const Config &config) {
  const ParamDef &d = param_def(p);
  const std::int64_t min = static_cast<std::int64_t>(d.min), max = max_of(d, config);
  const std::string expect = "expected an integer " + std::to_string(min) + ".." + std::to_string(max);
  auto n = plain_int(given.value);
  if (!n) invalid_value(given, expect + " written as plain decimal digits");
  if (*n < min || *n > max) invalid_value(given, expect);
  return *n;
}

std::vector<int> read_ints(const GivenParam &given, Param p) {
  return read_fields<int>(given, p, "integers", plain_int);
}

double read_decimal(const GivenParam &given, Param p) {
  const ParamDef &d = param_def(p);
  auto v = plain_decimal(given.value);
  if (!v || !(*v >= d.min && *v <= d.max))
    invalid_value(given, "expected a decimal number " + range(d.min, d.max) + " (digits, an optional '.')");
  return *v;
}

std::vector<double> read_decimals(const GivenParam &given, Param p) {
  return read_fields<double>(given, p, "decimal numbers", plain_decimal);
}

std::string_view read_enum(const GivenParam &given, Param p) {
  const ParamDef &d = param_def(p);
  for (std::string_view v : d.values)
    if (v == given.value) return v;
  for (const ValueAlias &a : d.value_aliases)
    if (a.alias == given.value) return a.value;
  // "expected cover, contain, fill, inside or outside" (aliases after their value).
  std::vector<std::string_view> all;
  for (std::string_view v : d.values) {
    all.push_back(v);
    for (const ValueAlias &a : d.value_aliases)
      if (a.value == v) all.push_back(a.alias);
  }
  std::string list;
  for (std::size_t i = 0; i < all.size(); ++i)
    list += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + std::string(all[i]);
  invalid_value(given, "expected " + list);
}

Rgb read_colour(const GivenParam &given) {
  const std::string &v = given.value;
  if ((v.size() != 3 && v.size() != 6) || !std::all_of(v.begin(), v.end(), [](char c) { return hex_digit(c) >= 0; }))
    invalid_value(given, "expected a hex colour rgb or rrggbb");
  auto channel = [&](int i) -> std::uint8_t {
    if (v.size() == 3) return static_cast<std::uint8_t>(hex_digit(v[i]) * 17);  // "f" -> ff
    return static_cast<std::uint8_t>(hex_digit(v[2 * i]) * 16 + hex_digit(v[2 * i + 1]));
  };
  return Rgb{channel(0), channel(1), channel(2)};
}

std::string normalise_value(Param p, std::string_view value) {
  const ParamDef &d = param_def(p);
  for (const ValueAlias &a : d.value_aliases)
    if (a.alias == value) return std::string(a.value);
  if (d.kind == ValueKind::Colour && (value.size() == 3 || value.size() == 6) &&
      std::all_of(value.begin(), value.end(), [](char c) { return hex_digit(c) >= 0; })) {
    std::string out;
    for (char c : value) {
      char lower = c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
      out.append(value.size() == 3 ? 2 : 1, lower);
    }
    return out;
  }
  if (d.kind == ValueKind::Decimal) {
    std::string out;
    auto parts = split_fields(value);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      std::string_view part = parts[i];
      if (!plain_decimal(part)) return std::string(value);
      if (part.find('.') != std::string_view::npos) {
        while (part.back() == '0') part.remove_suffix(1);
        if (part.back() == '.') part.remove_suffix(1);
      }
      if (i) out += ',';
      out += part;
    }
    return out;
  }
  return std::string(value);
}

std::string format_decimal(double value) {
  if (!(value >= 0 && value < 1e9)) return "0";  // never produced by the readers
  std::int64_t pow10 = 1, scaled = 0;
  int k = 0;
  for (; k <= 15 && value * static_cast<double>(pow10) < 9e15; ++k, pow10 *= 10) {
    scaled = std::llround(value * static_cast<double>(pow10));
    if (static_cast<double>(scaled) / static_cast<double>(pow10) == value) break;
  }
  if (k > 15 || value * static_cast<double>(pow10) >= 9e15) {  // not a short decimal: keep what fits
    --k;
    pow10 /= 10;
  }
  std::string out = std::to_string(scaled / pow10);
  if (k > 0) {
    std::string frac = std::to_string(scaled % pow10);
    out += '.' + std::string(static_cast<std::size_t>(k) - frac.size(), '0') + frac;
  }
  return out;
}

}  // namespace vips_edge
