// The caching decision (caching.hpp).
#include "http/caching.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include <glib.h>

#include "util/cache_control.hpp"
#include "util/glib_memory.hpp"
#include "util/http_text.hpp"

namespace vips_edge {

namespace {

const std::string *header(const OriginHeaders &origin, const char *name) {
  auto it = origin.find(name);
  return it == origin.end() || it->second.empty() ? nullptr : &it->second;
}

bool clean(std::string_view value) {
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

// How long the origin lets a shared cache keep it: s-maxage, max-age, else
// Expires - Date (RFC 9111 4.2.1; an Expires that is not a date is already
// expired); nullopt when it says nothing about it.
std::optional<std::uint64_t> origin_lifetime(const CacheDirectives &directives, const OriginHeaders &origin,
                                             std::int64_t now) {
  if (auto seconds = directives.shared_max_age()) return seconds;
  const std::string *expires = header(origin, "expires");
  if (!expires) return std::nullopt;
  const auto until = parse_http_date(*expires);
  const std::string *date = header(origin, "date");
  const auto from = date ? parse_http_date(*date) : std::nullopt;
  if (!until) return 0;
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, *until - from.value_or(now)));
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The opaque part of an entity tag: W/"x" and "x" compare equal (weak comparison).
std::string_view opaque(std::string_view tag) {
  if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
  return tag;
}

}  // namespace

const std::string &cache_rule_for(std::string_view uri, const Config &config) {
  const CacheRule *best = nullptr;
  for (const CacheRule &rule : config.cache_rules)
    if (uri.substr(0, rule.prefix.size()) == rule.prefix && (!best || rule.prefix.size() > best->prefix.size()))
      best = &rule;
  return best ? best->cache_control : config.cache_control;
}

std::string image_cache_control(std::string_view uri, const OriginHeaders &origin, const Config &config,
                                std::int64_t now) {
  const std::string &rule = cache_rule_for(uri, config);
  if (config.origin_cache_control == OriginCachePolicy::Ignore) return rule;
  const std::string *sent = header(origin, "cache-control");
  const CacheDirectives directives = parse_cache_control(sent && clean(*sent) ? *sent : "");
  // The origin forbids shared caching or asks for revalidation: its words, as sent.
  if (directives.has("private") || directives.has("no-store") || directives.has("no-cache")) return *sent;
  const auto allowed = origin_lifetime(directives, origin, now);
  const auto ceiling = parse_cache_control(rule).shared_max_age();
  // The rule is the cap: an origin may only shorten a lifetime the rule states.
  if (!allowed || !ceiling || *allowed >= *ceiling) return rule;
  return "public, max-age=" + std::to_string(*allowed);
}

std::optional<std::string> derived_etag(const OriginHeaders &origin, std::string_view variant, const Config &config) {
  const std::string *tag = header(origin, "etag");
  if (!tag || !clean(*tag)) return std::nullopt;
  std::string input = std::string(opaque(*tag)) + '\n' + std::string(variant) + '\n' + std::to_string(config.digest);
  const GMemory<gchar> sha(g_compute_checksum_for_string(G_CHECKSUM_SHA256, input.data(), input.size()));
  // A weak origin tag promises equivalent, not identical, bytes: so can we.
  return std::string(tag->substr(0, 2) == "W/" ? "W/\"" : "\"") + sha.get() + '"';
}

ResponseMeta image_meta(std::string_view uri, const OriginHeaders &origin, std::string_view variant,
                        const Config &config, std::int64_t now) {
  ResponseMeta meta;
  meta.cache_control = image_cache_control(uri, origin, config, now);
  meta.etag = derived_etag(origin, variant, config);
  if (const std::string *modified = header(origin, "last-modified"); modified && clean(*modified))
    meta.last_modified = *modified;
  return meta;
}

bool none_match(const cf::Headers &request_headers, const std::string &etag) {
  auto it = request_headers.entries.find("if-none-match");
  if (it == request_headers.entries.end()) return false;
  for (const auto &value : it->second) {
    std::string_view list = value.value;
    while (!list.empty()) {
      std::size_t comma = list.find(',');
      const std::string_view item = trim_ows(list.substr(0, comma));
      if (item == "*" || (!item.empty() && opaque(item) == opaque(etag))) return true;
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return false;
}

std::optional<std::int64_t> parse_http_date(std::string_view date) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": exactly 29 characters.
  static constexpr std::array<const char *, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (date.size() != 29 || date.substr(3, 2) != ", " || date.substr(25) != " GMT") return std::nullopt;
  auto number = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (date[i] < '0' || date[i] > '9') return std::nullopt;
      v = v * 10 + (date[i] - '0');
    }
    return v;
  };
  const auto day = number(5, 2), year = number(12, 4), hour = number(17, 2), minute = number(20, 2),
             second = number(23, 2);
  if (!day || !year || !hour || !minute || !second || date[7] != ' ' || date[11] != ' ' || date[16] != ' ' ||
      date[19] != ':' || date[22] != ':')
    return std::nullopt;
  unsigned month = 0;
  for (unsigned m = 0; m < kMonths.size(); ++m)
    if (date.substr(8, 3) == kMonths[m]) month = m + 1;
  if (!month || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return days_from_civil(*year, month, static_cast<unsigned>(*day)) * 86400 + *hour * 3600 + *minute * 60 + *second;
}

}  // namespace vips_edge
