// The shape of one row of the URL API's parameter table. The rows themselves
// are src/api/param_table.hpp, generated from src/api/params.json by
// tools/params/generate.mjs: edit the JSON, never the rows.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace vips_edge {

// How a value is spelled (the grammar lives in param_values.cpp):
//   Int      ASCII digits, no sign, no leading zero, at most 10 digits
//   Decimal  digits with an optional '.' and at least one fractional digit,
//            no leading zero except "0.x", at most 15 digits
//   Enum     one of `values` (or a value alias), case-sensitive
//   Colour   3 or 6 hex digits, either case, no '#'
//   Text     any non-empty value (sig)
// A row with `fields` > 1 takes that many comma-separated numbers (rect, fp).
enum class ValueKind { Int, Decimal, Enum, Colour, Text };

// A maximum taken from the configuration instead of the table.
enum class ConfigMax { None, Width, Height };

struct ValueAlias {
  std::string_view alias;
  std::string_view value;
};

struct ParamDef {
  std::string_view name;                      // canonical, as in the canonical query
  std::span<const std::string_view> aliases;
  ValueKind kind = ValueKind::Text;
  int fields = 1;
  double min = 0;
  double max = 0;
  ConfigMax max_from = ConfigMax::None;       // max = the config's maxWidth / maxHeight
  std::span<const std::string_view> values;   // Enum
  std::span<const ValueAlias> value_aliases;  // Enum: "jpg" -> "jpeg"
  std::string_view default_value;             // canonical spelling; empty = none
  // A default that depends on other parameters: `default_when_value` when
  // every one of `default_when_present` is given (fit: cover with w and h).
  std::span<const std::string_view> default_when_present;
  std::string_view default_when_value;
  std::span<const std::string_view> conflicts;  // a 400 when given together
  // Non-empty: the value "auto" is allowed and resolved from this key of the
  // x-vips-edge-hints header ("w", "dpr" or "sd"; api/client_hints.hpp).
  std::string_view auto_hint;
};

// The URL names of a generated enum (param_table.hpp), indexed by enumerator.
template <class E>
struct EnumNames;

template <class E>
const char *enum_name(E value) {
  return EnumNames<E>::names[static_cast<std::size_t>(value)].data();  // literals: NUL-terminated
}

// The enumerator whose URL name is `name`, if any.
template <class E>
std::optional<E> enum_named(std::string_view name) {
  const auto &names = EnumNames<E>::names;
  for (std::size_t i = 0; i < std::size(names); ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace vips_edge
