#include "util/strict_fields.hpp"

#include <utility>

namespace vips_edge {

FieldError::FieldError(std::string path_, std::string reason_)
    : std::invalid_argument((path_.empty() ? std::string("$") : path_) + ": " + reason_),
      path(std::move(path_)),
      reason(std::move(reason_)) {}

namespace strict {

json parse(std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::exception &e) {
    fail("", std::string("invalid JSON: ") + e.what());
  }
}

void fail(std::string path, std::string reason) { throw FieldError(std::move(path), std::move(reason)); }

std::string join_path(std::string_view parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  if (child.empty()) return std::string(parent);
  if (child.front() == '[') return std::string(parent) + std::string(child);
  return std::string(parent) + "." + std::string(child);
}

std::string expected(std::string_view what, const json &got) {
  return "expected " + std::string(what) + ", got " + got.type_name();
}

std::string as_string(const std::string &path, const json &v) {
  if (!v.is_string()) fail(path, expected("string", v));
  return v.get<std::string>();
}

Fields::Fields(const json &j) : j_(j) {
  if (!j.is_object()) fail("", expected("object", j));
}

const json *Fields::find(const char *name) {
  used_.insert(name);
  auto it = j_.find(name);
  return it == j_.end() ? nullptr : &*it;
}

const json &Fields::required(const char *name) {
  const json *v = find(name);
  if (!v) fail(name, "missing");
  return *v;
}

std::string Fields::string(const char *name) { return as_string(name, required(name)); }

std::optional<std::string> Fields::opt_string(const char *name) {
  const json *v = find(name);
  if (!v) return std::nullopt;
  return as_string(name, *v);
}

bool Fields::boolean(const char *name) {
  const json &v = required(name);
  if (!v.is_boolean()) fail(name, expected("boolean", v));
  return v.get<bool>();
}

int Fields::integer(const char *name) {
  const json &v = required(name);
  if (!v.is_number_integer()) fail(name, expected("integer", v));
  if (v.is_number_unsigned() ? v.get<std::uint64_t>() > INT_MAX
                             : (v.get<std::int64_t>() < INT_MIN || v.get<std::int64_t>() > INT_MAX))
    fail(name, "integer out of range");
  return v.get<int>();
}

std::vector<std::string> Fields::strings(const char *name) {
  const json &v = required(name);
  if (!v.is_array()) fail(name, expected("array", v));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out.push_back(as_string(std::string(name) + "[" + std::to_string(i) + "]", v[i]));
  return out;
}

json Fields::rest() const {
  json out = json::object();
  for (const auto &[k, v] : j_.items())
    if (!used_.count(k)) out[k] = v;
  return out;
}

void Fields::refuse_rest(std::string_view reason) const {
  for (const auto &item : j_.items())
    if (!used_.count(item.key())) fail(item.key(), std::string(reason));
}

}  // namespace strict
}  // namespace vips_edge
