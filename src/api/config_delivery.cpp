// Validation of the delivery keys (config_delivery.hpp): every mistake names
// its key, at packaging (node/scripts/package.mjs runs parse_config) and at load.
#include "api/config_delivery.hpp"

#include <set>

#include "api/config_fields.hpp"
#include "util/cache_control.hpp"

namespace vips_edge {

using json = nlohmann::json;
using namespace config_fields;

namespace {

// One of `names` (the value's spelling in config.json).
template <typename E, std::size_t N>
E get_keyword(const json &v, const std::string &key, const std::pair<const char *, E> (&names)[N]) {
  const std::string s = get_string(v, key);
  std::string expected;
  for (const auto &[name, value] : names) {
    if (s == name) return value;
    expected += std::string(expected.empty() ? "" : " or ") + '"' + name + '"';
  }
  fail(key, "expected " + expected + ", got \"" + s + "\"");
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// "/a/b": absolute, no query or fragment, no backslash, no dot segment (the
// request-time check in handler/origin_target.cpp applies to it again).
std::string get_origin_path(const json &v, const std::string &key) {
  std::string s = get_string(v, key);
  if (s.front() != '/') fail(key, "must start with '/'");
  if (has_control(s) || s.find_first_of("?#\\") != std::string::npos)
    fail(key, "must be a plain path (no '?', '#', backslash or control characters)");
  if (("/" + s + "/").find("/../") != std::string::npos || ("/" + s + "/").find("/./") != std::string::npos)
    fail(key, "must not contain a dot segment");
  return s;
}

}  // namespace

std::string get_cache_control(const json &v, const std::string &key) {
  std::string s = get_header_value(v, key);
  const CacheDirectives d = parse_cache_control(s);
  for (const char *name : {"max-age", "s-maxage"})
    if (d.has(name) && !d.seconds(name)) fail(key, std::string(name) + " must be a number of seconds");
  return s;
}

std::vector<CacheRule> get_cache_rules(const json &v) {
  const std::string key = "cacheRules";
  if (!v.is_array()) fail(key, std::string("expected an array, got ") + v.type_name());
  if (v.size() > 100) fail(key, "at most 100 rules");
  static constexpr const char *kKeys[] = {"prefix", "cacheControl", nullptr};
  std::vector<CacheRule> rules;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = key + "[" + std::to_string(i) + "]";
    const json &rule = get_object(v[i], at, kKeys);
    if (!rule.contains("prefix")) fail(at + ".prefix", "missing");
    if (!rule.contains("cacheControl")) fail(at + ".cacheControl", "missing");
    CacheRule r{get_string(rule["prefix"], at + ".prefix"), get_cache_control(rule["cacheControl"], at + ".cacheControl")};
    if (r.prefix.front() != '/' || has_control(r.prefix)) fail(at + ".prefix", "must start with '/' and hold no control characters");
    if (!seen.insert(r.prefix).second) fail(at + ".prefix", "\"" + r.prefix + "\" is listed twice");
    rules.push_back(std::move(r));
  }
  return rules;
}

OriginCachePolicy get_origin_cache_policy(const json &v) {
  static constexpr std::pair<const char *, OriginCachePolicy> kNames[] = {{"honour", OriginCachePolicy::Honour},
                                                                          {"ignore", OriginCachePolicy::Ignore}};
  return get_keyword(v, "originCacheControl", kNames);
}

ErrorCacheControl get_error_cache_control(const json &v) {
  const std::string key = "errorCacheControl";
  ErrorCacheControl out;
  if (v.is_string()) {
    out.client = out.server = get_cache_control(v, key);
    return out;
  }
  if (!v.is_object()) fail(key, std::string("expected a string or {\"4xx\": ..., \"5xx\": ...}, got ") + v.type_name());
  static constexpr const char *kKeys[] = {"4xx", "5xx", nullptr};
  get_object(v, key, kKeys);
  if (v.contains("4xx")) out.client = get_cache_control(v["4xx"], key + ".4xx");
  if (v.contains("5xx")) out.server = get_cache_control(v["5xx"], key + ".5xx");
  return out;
}

void get_image_location(const json &v, const std::string &key, std::optional<std::string> &path,
                        std::optional<std::string> &file) {
  if (v.contains("path")) path = get_origin_path(v["path"], key + ".path");
  if (v.contains("file")) {
    std::string name = get_string(v["file"], key + ".file");
    // A file beside config.json in the package, nothing else the trigger can read.
    if (name.front() == '.' || name.size() > 255 ||
        name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != std::string::npos)
      fail(key + ".file", "must be a plain file name (letters, digits, '.', '_', '-'; not starting with '.')");
    file = std::move(name);
  }
  if (path.has_value() == file.has_value()) fail(key, "needs exactly one of \"path\" or \"file\"");
}

FallbackConfig get_fallback(const json &v) {
  const std::string key = "fallback";
  static constexpr const char *kKeys[] = {"path", "file", "status", nullptr};
  get_object(v, key, kKeys);
  FallbackConfig f;
  get_image_location(v, key, f.path, f.file);
  if (v.contains("status")) {
    const int status = static_cast<int>(get_int(v["status"], key + ".status", 200, 599));
    if (status != 200 && status < 400) fail(key + ".status", "must be 200 or an error status (400-599)");
    f.status = status;
  }
  return f;
}

SvgPolicy get_svg_policy(const json &v) {
  static constexpr std::pair<const char *, SvgPolicy> kNames[] = {{"refuse", SvgPolicy::Refuse},
                                                                  {"passthrough", SvgPolicy::Passthrough}};
  return get_keyword(v, "svg", kNames);
}

}  // namespace vips_edge
