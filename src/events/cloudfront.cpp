// Strict, lossless JSON mapping of CloudFront Lambda@Edge events (see the
// header for the rules). Errors name the JSON path so a bad fixture or an
// unexpected CloudFront change is diagnosed from one log line. Most types
// convert through their tables (cloudfront_schema.hpp); the three written out
// here are the shapes a field table cannot say.
#include "events/cloudfront.hpp"

#include "events/cloudfront_schema.hpp"

#include <utility>

namespace vips_edge::cf {

namespace {

using strict::expected;
using strict::fail;
using strict::Fields;
using strict::nested;

// Output starts from the preserved unknown keys; known fields overwrite.
json start(const json &extra) { return extra.is_object() ? extra : json::object(); }

// A field read through its table, its errors under `name`.
template <class T>
T read_field(Fields &f, const char *name) {
  const json &v = f.required(name);
  return nested(name, [&] { return schema::read<T>(v); });
}

bool is_lower_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

}  // namespace

void to_json(json &j, const Response &v) { j = schema::write(v); }
void from_json(const json &j, Response &v) { v = schema::read<Response>(j); }

// --------------------------------------------------------------- Headers ---
void to_json(json &j, const Headers &v) {
  j = json::object();
  for (const auto &[name, values] : v.entries) j[name] = schema::write(values);
}
void from_json(const json &j, Headers &v) {
  if (!j.is_object()) fail("", expected("object", j));
  v.entries.clear();
  for (const auto &item : j.items()) {
    // Named references, not a structured binding: lambdas below capture
    // them, which clang 14 (emscripten 3.1) does not allow for bindings.
    const std::string &name = item.key();
    const json &values = item.value();
    if (!is_lower_name(name)) fail(name, "header name must be non-empty lower-case");
    if (!values.is_array()) fail(name, expected("array", values));
    std::vector<HeaderValue> list;
    for (std::size_t i = 0; i < values.size(); ++i)
      list.push_back(nested(name + "[" + std::to_string(i) + "]",
                            [&] { return schema::read<HeaderValue>(values[i]); }));
    v.entries.emplace(name, std::move(list));
  }
}

const std::string *Headers::first(std::string_view lower_name) const {
  auto it = entries.find(std::string(lower_name));
  if (it == entries.end() || it->second.empty()) return nullptr;
  return &it->second.front().value;
}

std::optional<std::string> Headers::joined(std::string_view lower_name) const {
  auto it = entries.find(std::string(lower_name));
  if (it == entries.end() || it->second.empty()) return std::nullopt;
  std::string out;
  for (const auto &hv : it->second) {
    if (!out.empty()) out += ", ";
    out += hv.value;
  }
  return out;
}

void to_json(json &j, const Origin &v) {
  j = start(v.extra);
  if (const CustomOrigin *c = v.custom()) j["custom"] = schema::write(*c);
  if (const S3Origin *s = v.s3()) j["s3"] = schema::write(*s);
}
void from_json(const json &j, Origin &v) {
  Fields f(j);
  std::optional<CustomOrigin> custom;
  std::optional<S3Origin> s3;
  if (f.find("custom")) custom = read_field<CustomOrigin>(f, "custom");
  if (f.find("s3")) s3 = read_field<S3Origin>(f, "s3");
  if (custom.has_value() == s3.has_value())
    fail("", custom ? "both custom and s3 given; exactly one is allowed"
                    : "exactly one of custom or s3 is required");
  if (custom) v.kind = std::move(*custom);
  else v.kind = std::move(*s3);
  v.extra = f.rest();
}

// ----------------------------------------------------------------- Event ---
void to_json(json &j, const Event &v) {
  json cf = start(v.cf_extra);
  cf["config"] = schema::write(v.config);
  cf["request"] = schema::write(v.request);
  json record = start(v.record_extra);
  record["cf"] = std::move(cf);
  j = start(v.extra);
  j["Records"] = json::array({std::move(record)});
}
void from_json(const json &j, Event &v) {
  Fields top(j);
  const json &records = top.required("Records");
  if (!records.is_array()) fail("Records", expected("array", records));
  if (records.size() != 1)
    fail("Records", "expected exactly one record, got " + std::to_string(records.size()));
  nested("Records[0]", [&] {
    Fields record(records[0]);
    const json &cf = record.required("cf");
    nested("cf", [&] {
      Fields fields(cf);
      v.config = read_field<Config>(fields, "config");
      v.request = read_field<Request>(fields, "request");
      v.cf_extra = fields.rest();
    });
    v.record_extra = record.rest();
  });
  v.extra = top.rest();
}

// -------------------------------------------------------------- Response ---
bool is_valid_status(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return s >= "200" && s <= "599";
}

// ------------------------------------------------------------ text entry ---
Event parse_event(std::string_view text) { return strict::parse(text).get<Event>(); }

}  // namespace vips_edge::cf
