// The delivery keys' readers and checks (config_delivery.hpp): every mistake
// names its key, at packaging (node/scripts/package.mjs runs parse_config)
// and at load.
#include "api/config_delivery.hpp"

#include <set>

#include "api/config_fields.hpp"
#include "api/config_schema.hpp"
#include "util/cache_control.hpp"

namespace vips_edge::config_fields {

using json = nlohmann::json;

namespace {

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

std::string cache_control(const json &v) {
  std::string s = header_value(v);
  const CacheDirectives d = parse_cache_control(s);
  for (const char *name : {"max-age", "s-maxage"})
    if (d.has(name) && !d.seconds(name)) fail(std::string(name) + " must be a number of seconds");
  return s;
}

std::string cache_prefix(const json &v) {
  std::string s = text(v);
  if (s.front() != '/' || has_control(s)) fail("must start with '/' and hold no control characters");
  return s;
}

std::vector<CacheRule> cache_rules(const json &v) {
  if (!v.is_array()) fail_type("an array", v);
  if (v.size() > 100) fail("at most 100 rules");
  std::vector<CacheRule> rules;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    CacheRule rule = strict::nested(at, [&] { return object_of<CacheRule>(v[i]); });
    if (!seen.insert(rule.prefix).second)
      strict::fail(at + ".prefix", "\"" + rule.prefix + "\" is listed twice");
    rules.push_back(std::move(rule));
  }
  return rules;
}

ErrorCacheControl error_cache_control(const json &v) {
  if (v.is_string()) {
    ErrorCacheControl out;
    out.client = out.server = cache_control(v);
    return out;
  }
  if (!v.is_object()) fail(std::string("expected a string or {\"4xx\": ..., \"5xx\": ...}, got ") + v.type_name());
  return schema::read<ErrorCacheControl>(v);
}

// "/a/b": absolute, no query or fragment, no backslash, no dot segment (the
// request-time check in handler/origin_target.cpp applies to it again).
std::string origin_path(const json &v) {
  std::string s = text(v);
  if (s.front() != '/') fail("must start with '/'");
  if (has_control(s) || s.find_first_of("?#\\") != std::string::npos)
    fail("must be a plain path (no '?', '#', backslash or control characters)");
  if (("/" + s + "/").find("/../") != std::string::npos || ("/" + s + "/").find("/./") != std::string::npos)
    fail("must not contain a dot segment");
  return s;
}

// A file beside config.json in the package, nothing else the trigger can read.
std::string file_name(const json &v) {
  std::string name = text(v);
  if (name.front() == '.' || name.size() > 255 ||
      name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
    fail("must be a plain file name (letters, digits, '.', '_', '-'; not starting with '.')");
  return name;
}

void check_image_location(const std::optional<std::string> &path, const std::optional<std::string> &file) {
  if (path.has_value() == file.has_value()) fail("needs exactly one of \"path\" or \"file\"");
}

int fallback_status(const json &v) {
  const int status = IntIn<int>{200, 599}(v);
  if (status != 200 && status < 400) fail("must be 200 or an error status (400-599)");
  return status;
}

}  // namespace vips_edge::config_fields
