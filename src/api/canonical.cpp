// The canonical query (see canonical.hpp); deploy/viewer-request.js
// canonicalQuery() is the same rule for the CloudFront Function.
#include "api/canonical.hpp"

#include <algorithm>
#include <vector>

#include "api/param_values.hpp"

namespace vips_edge {

namespace {

bool given(const UrlParams &params, std::string_view name) {
  auto p = lookup_param(name);
  return p && params.get(*p);
}

// The default `value` is compared with, "" when the row has none.
std::string_view default_for(const ParamDef &d, const UrlParams &params) {
  if (!d.default_when_present.empty() &&
      std::all_of(d.default_when_present.begin(), d.default_when_present.end(),
                  [&](std::string_view n) { return given(params, n); }))
    return d.default_when_value;
  return d.default_value;
}

// The first row with a plain default: what stands for "only defaults".
const ParamDef &marker() {
  for (const ParamDef &d : kParams)
    if (!d.default_value.empty() && d.default_when_present.empty()) return d;
  return kParams[0];
}

}  // namespace

std::string encode_query_value(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                std::string_view("-_.!~*'(),").find(ch) != std::string_view::npos;
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string canonical_query(const UrlParams &params, bool with_sig) {
  std::vector<std::string> parts;
  bool dropped = false;
  for (std::size_t i = 0; i < kParamCount; ++i) {
    const Param p = static_cast<Param>(i);
    const GivenParam *g = params.get(p);
    if (!g || p == Param::Sig) continue;
    const ParamDef &d = kParams[i];
    std::string value = normalise_value(p, g->value);
    const std::string_view def = default_for(d, params);
    const bool conflict = std::any_of(d.conflicts.begin(), d.conflicts.end(),
                                      [&](std::string_view n) { return given(params, n); });
    if (!def.empty() && value == def && !conflict) {
      dropped = true;
      continue;
    }
    parts.push_back(std::string(d.name) + "=" + encode_query_value(value));
  }
  if (parts.empty() && dropped) parts.push_back(std::string(marker().name) + "=" + std::string(marker().default_value));
  if (const GivenParam *sig = params.get(Param::Sig); sig && with_sig)
    parts.push_back(std::string(canonical_name(Param::Sig)) + "=" + encode_query_value(sig->value));
  std::string out;
  for (const std::string &part : parts) out += (out.empty() ? "" : "&") + part;
  return out;
}

}  // namespace vips_edge
