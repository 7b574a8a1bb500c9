// Client hints: the viewer's raw hints -> x-vips-edge-hints, and that header
// -> resolved values (see client_hints.hpp). deploy/viewer-request.js
// hintsHeader() is the same rule for the CloudFront Function.
#include "api/client_hints.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "api/api_error.hpp"
#include "api/param_values.hpp"

namespace vips_edge {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The one value of a hint header, or nullptr when absent or repeated.
const std::string *single(const cf::Headers &headers, std::string_view name) {
  auto it = headers.entries.find(std::string(name));
  return it == headers.entries.end() || it->second.size() != 1 ? nullptr : &it->second.front().value;
}

// The first of two spellings present (Sec-CH-X before the legacy X); a
// malformed value counts as absent, without falling back to the other.
const std::string *hint(const cf::Headers &headers, std::string_view name, std::string_view legacy) {
  if (headers.entries.count(std::string(name))) return single(headers, name);
  return legacy.empty() ? nullptr : single(headers, legacy);
}

// A structured-field integer as the hints send it: 1-5 digits, > 0.
std::optional<int> hint_int(const std::string *v) {
  if (!v || v->empty() || v->size() > 5 || !std::all_of(v->begin(), v->end(), is_digit)) return std::nullopt;
  int n = std::stoi(*v);
  return n > 0 ? std::optional<int>(n) : std::nullopt;
}

// A DPR: 1-2 digits, optionally '.' and 1-3 digits, > 0 ("2", "2.625").
std::optional<double> hint_decimal(const std::string *v) {
  if (!v) return std::nullopt;
  const std::string &s = *v;
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  const bool ok = !whole.empty() && whole.size() <= 2 && std::all_of(whole.begin(), whole.end(), is_digit) &&
                  (dot == std::string::npos ||
                   (!frac.empty() && frac.size() <= 3 && std::all_of(frac.begin(), frac.end(), is_digit)));
  if (!ok) return std::nullopt;
  double scale = std::pow(10.0, static_cast<double>(frac.size()));
  double d = static_cast<double>(std::stoi(whole + frac)) / scale;  // exact operands: correctly rounded, like JS
  return d > 0 ? std::optional<double>(d) : std::nullopt;
}

// The smallest rung >= v, else the top rung (the ladder is ascending).
template <class T>
T round_up(const std::vector<T> &ladder, double v) {
  for (T rung : ladder)
    if (static_cast<double>(rung) >= v) return rung;
  return ladder.back();
}

bool save_data_on(const std::string *v) {
  if (!v) return false;
  std::string s;
  for (char c : *v)
    if (c != ' ' && c != '\t') s += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s == "on";
}

[[noreturn]] void bad_hints(std::string_view value, const std::string &why) {
  throw ApiError(400, "invalid_hints",
                 std::string(kHintsHeader) + ": " + why + " (got \"" + std::string(value.substr(0, 80)) + "\")");
}

// The header's keys in order, each with its bit.
struct Key {
  std::string_view name;
  unsigned bit;
};
constexpr Key kKeys[] = {{"dpr", kHintDpr}, {"w", kHintWidth}, {"sd", kHintSaveData}};

std::string expected_keys(unsigned asked) {
  std::string out;
  for (const Key &k : kKeys)
    if (asked & k.bit) out.append(out.empty() ? "" : ",").append(k.name).append("=...");
  return out;
}

}  // namespace

unsigned asked_hints(const UrlParams &params) {
  unsigned asked = 0;
  for (std::size_t i = 0; i < kParamCount; ++i) {
    const GivenParam *g = params.by_param[i] ? &*params.by_param[i] : nullptr;
    if (!g || g->value != "auto" || kParams[i].auto_hint.empty()) continue;
    for (const Key &k : kKeys)
      if (k.name == kParams[i].auto_hint) asked |= k.bit;
  }
  return asked;
}

std::string hints_header(unsigned asked, const cf::Headers &headers, const ClientHintsConfig &ladder) {
  const std::optional<double> dpr = hint_decimal(hint(headers, "sec-ch-dpr", "dpr"));
  std::string out;
  auto add = [&](std::string_view key, const std::string &value) {
    out.append(out.empty() ? "" : ",").append(key).append("=").append(value);
  };
  if (asked & kHintDpr) add("dpr", dpr ? format_decimal(round_up(ladder.dprs, *dpr)) : "1");
  if (asked & kHintWidth) {
    std::optional<double> device;
    if (auto w = hint_int(hint(headers, "sec-ch-width", "width"))) device = *w;
    else if (auto vw = hint_int(hint(headers, "sec-ch-viewport-width", ""))) device = std::ceil(*vw * dpr.value_or(1));
    add("w", device ? std::to_string(round_up(ladder.widths, *device)) : "none");
  }
  if (asked & kHintSaveData) add("sd", save_data_on(single(headers, "save-data")) ? "1" : "0");
  return out;
}

Hints request_hints(unsigned asked, const cf::Headers &headers, const Config &config) {
  Hints hints;
  if (!asked) return hints;
  auto it = headers.entries.find(std::string(kHintsHeader));
  std::string value;
  if (it == headers.entries.end()) value = hints_header(asked, headers, config.client_hints);
  else if (it->second.size() != 1) bad_hints("", "expected exactly one value");
  else value = it->second.front().value;
  if (value.size() > 64) bad_hints(value, "too long");
  const ClientHintsConfig &ladder = config.client_hints;
  std::size_t at = 0;
  for (const Key &k : kKeys) {
    if (!(asked & k.bit)) continue;
    if (at > value.size()) bad_hints(value, "expected " + expected_keys(asked));
    const std::size_t end = std::min(value.find(',', at), value.size());
    const std::string_view item = std::string_view(value).substr(at, end - at);
    if (item.substr(0, k.name.size() + 1) != std::string(k.name) + "=")
      bad_hints(value, "expected " + expected_keys(asked));
    const std::string v(item.substr(k.name.size() + 1));
    if (k.bit == kHintDpr) {
      auto rung = std::find_if(ladder.dprs.begin(), ladder.dprs.end(), [&](double d) { return format_decimal(d) == v; });
      if (v != "1" && rung == ladder.dprs.end()) bad_hints(value, "dpr is not a rung of clientHints.dprs");
      hints.dpr = v == "1" ? 1 : *rung;
    } else if (k.bit == kHintWidth) {
      auto rung = std::find_if(ladder.widths.begin(), ladder.widths.end(), [&](int w) { return std::to_string(w) == v; });
      if (v != "none" && rung == ladder.widths.end()) bad_hints(value, "w is not a rung of clientHints.widths");
      if (v != "none") hints.width = std::min(*rung, config.max_width);
    } else {
      if (v != "0" && v != "1") bad_hints(value, "sd must be 0 or 1");
      hints.save_data = v == "1";
    }
    at = end + 1;
  }
  if (at <= value.size()) bad_hints(value, "expected " + expected_keys(asked));
  return hints;
}

int save_data_quality(int q, const Config &config) {
  return std::max(q - config.client_hints.save_data_quality_step, std::min(q, config.quality_floor));
}

std::string hints_vary(unsigned asked) {
  std::string out;
  auto add = [&](const char *names) { out.append(out.empty() ? "" : ", ").append(names); };
  if (asked & kHintWidth) add("sec-ch-width, width, sec-ch-viewport-width");
  if (asked & (kHintWidth | kHintDpr)) add("sec-ch-dpr, dpr");
  if (asked & kHintSaveData) add("save-data");
  return out;
}

std::string hints_accept_ch(unsigned asked) {
  if (asked & kHintWidth) return "Sec-CH-DPR, Sec-CH-Width, Sec-CH-Viewport-Width";
  if (asked & kHintDpr) return "Sec-CH-DPR";
  return "";  // Save-Data is sent without being asked for
}

UrlParams resolve_auto(UrlParams params, const TransformSpec &spec, const Config &config) {
  auto fold = [&](Param p, std::optional<std::string> value) {
    auto &slot = params.by_param[static_cast<std::size_t>(p)];
    if (!slot || slot->value != "auto") return;
    if (value) slot->value = *value;
    else slot.reset();
  };
  if (spec.client_hints & kHintWidth)
    fold(Param::Width, spec.width ? std::optional(std::to_string(*spec.width)) : std::nullopt);
  if (spec.client_hints & kHintDpr) fold(Param::Dpr, format_decimal(spec.dpr));
  if (spec.client_hints & kHintSaveData)
    fold(Param::Quality, spec.save_data ? std::optional("auto-" + std::to_string(config.client_hints.save_data_quality_step))
                                        : std::nullopt);
  return params;
}

}  // namespace vips_edge
