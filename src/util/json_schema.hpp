// The one JSON idiom of the code base: a type maps to JSON (and to TypeScript)
// through ONE table, Describe<T>, that drives the strict reader, the writer
// (here) and the TypeScript declarations (src/wasm/debug/message_types.cpp).
// Used by the CloudFront events (events/cloudfront_schema.hpp), config.json
// (api/config_schema.hpp) and the messages between the Node trigger and the
// module (handler/message_tables.hpp;
// node/src/engine-messages.ts is generated from those by
// node/scripts/gen-message-types.mjs, and tests/node/messages.test.mjs and
// tests/native/test_messages.cpp fail when the checked-in file drifts).
//
// What a table can say:
//   struct:   name, fields = std::tuple{field("jsonName", &T::member), ...};
//             std::optional members are optional fields (omitted when empty),
//             std::vector members arrays, std::map<std::string, V> objects;
//             field("jsonName", &T::member, reader): the value read by
//             reader(json) instead (a range, a syntax: throws FieldError via
//             strict::fail("", why), the path is added here);
//             optionally defaults = true: an absent field keeps the member's
//             default (config.json, where every key may be left out);
//             optionally unknown = "unknown key": the reason an unknown field
//             is refused with (default "unknown field");
//             optionally tag_key + tag: the discriminant written into the
//             object ("action": "fetch");
//             optionally extra = &T::extra (a json object): unknown fields are
//             kept there and written back instead of refused (CloudFront's
//             events: a request returned unchanged must reach the origin as
//             it came); known fields win over a same-named kept key;
//             optionally check(const T &): a rule over the whole value, run
//             after reading and before writing (throws FieldError).
//   enum:     name, values = std::array{value("timeout", E::Timeout), ...}.
//   variant:  name; the alternatives' tags discriminate, or, without tags,
//             which alternative's first field is present (exactly one).
//   external: ts: a TypeScript type to import from 'aws-lambda' instead of
//             declaring one; a table without fields reads and writes through
//             the type's own to_json/from_json (cf::Headers' lower-case
//             names, cf::Origin's inline variant).
// Reading is strict: unknown fields (unless kept), wrong types, a missing or
// unknown tag throw FieldError naming the JSON path.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/strict_fields.hpp"

namespace vips_edge::schema {

using json = nlohmann::json;

template <class T>
struct Describe;  // specialised once per type (cloudfront_schema.hpp, config_schema.hpp, message_tables.hpp)

struct NoReader {};

template <class Owner, class Member, class Reader = NoReader>
struct Field {
  const char *name;
  Member Owner::*member;
  Reader reader{};
};
template <class Owner, class Member>
constexpr Field<Owner, Member> field(const char *name, Member Owner::*member) {
  return {name, member};
}
template <class Owner, class Member, class Reader>
constexpr Field<Owner, Member, Reader> field(const char *name, Member Owner::*member, Reader reader) {
  return {name, member, reader};
}

template <class E>
struct EnumValue {
  const char *name;
  E value;
};
template <class E>
constexpr EnumValue<E> value(const char *name, E v) {
  return {name, v};
}

namespace detail {

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T> struct is_vector<std::vector<T>> : std::true_type {};
template <class T> struct is_string_map : std::false_type {};
template <class V> struct is_string_map<std::map<std::string, V>> : std::true_type {};
template <class T> struct is_variant : std::false_type {};
template <class... A> struct is_variant<std::variant<A...>> : std::true_type {};

template <class T> concept Struct = requires { Describe<T>::fields; };
template <class T> concept Enum = requires { Describe<T>::values; };
template <class T> concept External = requires { Describe<T>::ts; };
template <class T> concept Tagged = requires { Describe<T>::tag; Describe<T>::tag_key; };
template <class T> concept KeepsUnknown = requires { Describe<T>::extra; };
template <class T> concept Checked = requires(const T &v) { Describe<T>::check(v); };
template <class T> concept Defaulted = requires { requires Describe<T>::defaults; };
template <class T> concept NamesUnknown = requires { Describe<T>::unknown; };

// "expected "a" or "b"" / "expected one of "a", "b", "c"", then what came.
template <class E>
std::string expected_one_of(const std::string &got) {
  const auto &values = Describe<E>::values;
  std::string known;
  for (std::size_t i = 0; i < values.size(); ++i)
    known += std::string(i == 0 ? "\"" : values.size() == 2 ? " or \"" : ", \"") + values[i].name + "\"";
  return "expected " + std::string(values.size() == 2 ? "" : "one of ") + known + ", got \"" + got + "\"";
}

}  // namespace detail

// ------------------------------------------------------------------ write ---
template <class T>
json write(const T &v);

template <class T>
json write_struct(const T &v) {
  if constexpr (detail::Checked<T>) Describe<T>::check(v);
  json j = json::object();
  if constexpr (detail::KeepsUnknown<T>)
    if (const json &kept = v.*(Describe<T>::extra); kept.is_object()) j = kept;
  if constexpr (detail::Tagged<T>) j[Describe<T>::tag_key] = Describe<T>::tag;
  std::apply([&](const auto &...f) {
    auto one = [&](const auto &fd) {
      const auto &member = v.*(fd.member);
      using M = std::decay_t<decltype(member)>;
      if constexpr (detail::is_optional<M>::value) {
        if (member) j[fd.name] = write(*member);
      } else {
        j[fd.name] = write(member);
      }
    };
    (one(f), ...);
  }, Describe<T>::fields);
  return j;
}

template <class T>
json write(const T &v) {
  if constexpr (detail::is_variant<T>::value) {
    return std::visit([](const auto &alt) { return write(alt); }, v);
  } else if constexpr (detail::Struct<T>) {
    return write_struct(v);
  } else if constexpr (detail::Enum<T>) {
    for (const auto &e : Describe<T>::values)
      if (e.value == v) return e.name;
    return nullptr;  // unreachable for a table that lists every value
  } else if constexpr (detail::is_vector<T>::value) {
    json out = json::array();
    for (const auto &item : v) out.push_back(write(item));
    return out;
  } else {
    return json(v);  // strings, numbers, bool, string maps, externals (their to_json)
  }
}

// ------------------------------------------------------------------- read ---
template <class T>
T read(const json &j);

template <class T>
T read_struct(const json &j) {
  strict::Fields f(j);
  if constexpr (detail::Tagged<T>) f.find(Describe<T>::tag_key);  // checked by the variant
  T v{};
  // One handler per table, not one per field (the module's size): a
  // FieldError while a field's value is read gets that field's name in front.
  const char *reading = nullptr;
  try {
    std::apply([&](const auto &...fd) {
      auto one = [&](const auto &d) {
        auto &member = v.*(d.member);
        using M = std::decay_t<decltype(member)>;
        using Value = typename std::conditional_t<detail::is_optional<M>::value, M, std::optional<M>>::value_type;
        const json *x = nullptr;
        if constexpr (detail::is_optional<M>::value || detail::Defaulted<T>) x = f.find(d.name);
        else x = &f.required(d.name);
        if (!x) return;
        reading = d.name;
        if constexpr (std::is_same_v<std::decay_t<decltype(d.reader)>, NoReader>) member = read<Value>(*x);
        else member = d.reader(*x);
        reading = nullptr;
      };
      (one(fd), ...);
    }, Describe<T>::fields);
  } catch (const FieldError &e) {
    if (!reading) throw;
    throw FieldError(strict::join_path(reading, e.path), e.reason);
  }
  if constexpr (detail::KeepsUnknown<T>) {
    v.*(Describe<T>::extra) = f.rest();
  } else if constexpr (detail::NamesUnknown<T>) {
    f.refuse_rest(Describe<T>::unknown);
  } else {
    f.refuse_rest();
  }
  if constexpr (detail::Checked<T>) Describe<T>::check(v);
  return v;
}

template <class V, std::size_t I = 0>
V read_alternative(const json &j, std::size_t index) {
  if constexpr (I < std::variant_size_v<V>) {
    if (I == index) return read<std::variant_alternative_t<I, V>>(j);
    return read_alternative<V, I + 1>(j, index);
  } else {
    strict::fail("", "no such alternative");
  }
}

template <class... A>
std::variant<A...> read_variant(const json &j) {
  using V = std::variant<A...>;
  if (!j.is_object()) strict::fail("", strict::expected("object", j));
  constexpr bool tagged = (detail::Tagged<A> && ...);
  static_assert(tagged || (!detail::Tagged<A> && ...), "tag every alternative or none");
  std::vector<const char *> keys;  // tag values, or each alternative's first field
  if constexpr (tagged) {
    const char *tag_key = Describe<std::variant_alternative_t<0, V>>::tag_key;
    (keys.push_back(Describe<A>::tag), ...);
    auto it = j.find(tag_key);
    if (it == j.end()) strict::fail(tag_key, "missing");
    std::string tag = strict::as_string(tag_key, *it);
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (tag == keys[i]) return read_alternative<V>(j, i);
    std::string known;
    for (const char *k : keys) known += (known.empty() ? "\"" : ", \"") + std::string(k) + "\"";
    strict::fail(tag_key, "expected one of " + known + ", got \"" + tag + "\"");
  } else {
    (keys.push_back(std::get<0>(Describe<A>::fields).name), ...);
    std::optional<std::size_t> found;
    std::string names;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      names += (names.empty() ? "" : " or ") + std::string(keys[i]);
      if (!j.contains(keys[i])) continue;
      if (found) strict::fail("", "both " + std::string(keys[*found]) + " and " + keys[i] + " given; exactly one is allowed");
      found = i;
    }
    if (!found) strict::fail("", "exactly one of " + names + " is required");
    return read_alternative<V>(j, *found);
  }
}

template <class T>
T read(const json &j) {
  if constexpr (detail::is_variant<T>::value) {
    return [&]<class... A>(std::variant<A...> *) { return read_variant<A...>(j); }(static_cast<T *>(nullptr));
  } else if constexpr (detail::Struct<T>) {
    return read_struct<T>(j);
  } else if constexpr (detail::Enum<T>) {
    std::string s = strict::as_string("", j);
    for (const auto &e : Describe<T>::values)
      if (s == e.name) return e.value;
    strict::fail("", detail::expected_one_of<T>(s));
  } else if constexpr (detail::External<T>) {
    return j.template get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return strict::as_string("", j);
  } else if constexpr (detail::is_vector<T>::value) {
    if (!j.is_array()) strict::fail("", strict::expected("array", j));
    T out;
    for (std::size_t i = 0; i < j.size(); ++i)
      out.push_back(strict::nested("[" + std::to_string(i) + "]", [&] { return read<typename T::value_type>(j[i]); }));
    return out;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) strict::fail("", strict::expected("boolean", j));
    return j.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!j.is_number_integer()) strict::fail("", strict::expected("integer", j));
    bool fits = false;
    if (j.is_number_unsigned())
      fits = j.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    else if constexpr (std::is_signed_v<T>)  // a negative JSON integer fits only a signed T
      fits = j.get<std::int64_t>() >= std::numeric_limits<T>::min() &&
             j.get<std::int64_t>() <= static_cast<std::int64_t>(std::numeric_limits<T>::max());
    if (!fits) strict::fail("", "integer out of range");
    return j.get<T>();
  } else if constexpr (detail::is_string_map<T>::value) {
    if (!j.is_object()) strict::fail("", strict::expected("object", j));
    T out;
    for (const auto &item : j.items())
      out[item.key()] = strict::nested(item.key(), [&] { return read<typename T::mapped_type>(item.value()); });
    return out;
  } else {
    static_assert(sizeof(T) == 0, "no JSON reading for this type: describe it");
  }
}

}  // namespace vips_edge::schema
