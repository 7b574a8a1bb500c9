#include "api/presets.hpp"

#include <stdexcept>
#include <string>

#include "api/api_error.hpp"
#include "api/parse_spec.hpp"

namespace vips_edge {

namespace {

// What a preset may not say, and what presetsOnly lets a URL add to one.
bool is_access_param(Param p) { return p == Param::Expires || p == Param::Sig; }

std::string preset_names(const Config &config) {
  std::string out;
  for (const auto &[name, query] : config.presets) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

void check_presets(const Config &config) {
  if (config.presets_only && config.presets.empty()) throw std::invalid_argument("config: presetsOnly: needs presets");
  for (const auto &[name, query] : config.presets) {
    const std::string key = "config: presets." + name + ": ";
    try {
      const UrlParams params = collect_params(query);
      for (Param p : {Param::Preset, Param::Expires, Param::Sig})
        if (params.get(p)) throw std::invalid_argument(key + params.get(p)->name + " cannot be part of a preset");
      if (!params.is_transform()) throw std::invalid_argument(key + "names no URL API parameter");
      // The viewer-request CloudFront Function cannot see inside a preset, so
      // it would not split the cache on Accept: format=auto goes in the URL.
      if (const GivenParam *f = params.get(Param::Format); f && f->value == "auto")
        throw std::invalid_argument(key + "format=auto cannot be part of a preset (give it in the URL beside preset=)");
      parse_spec(params, {}, config);
    } catch (const ApiError &e) {
      throw std::invalid_argument(key + e.what());
    }
  }
}

UrlParams apply_preset(const UrlParams &given, const Config &config) {
  const GivenParam *preset = given.get(Param::Preset);
  if (config.presets_only) {
    if (!preset && given.is_transform())
      throw ApiError::presets_only("this distribution serves presets only: name one with preset= (" +
                                   preset_names(config) + ")");
    for (std::size_t i = 0; i < kParamCount; ++i) {
      const Param p = static_cast<Param>(i);
      if (given.get(p) && p != Param::Preset && !is_access_param(p))
        throw ApiError::presets_only(given.get(p)->name + ": only preset, exp and sig are accepted here");
    }
  }
  if (!preset) return given;
  const auto found = config.presets.find(preset->value);
  if (found == config.presets.end())
    throw ApiError::invalid_parameter(preset->name, preset->name + "=" + preset->value + ": no such preset" +
                                                        (config.presets.empty() ? "" : " (" + preset_names(config) + ")"));
  UrlParams out = given;
  const UrlParams expansion = collect_params(found->second);  // checked at load: cannot throw
  for (std::size_t i = 0; i < kParamCount; ++i)
    if (!out.by_param[i]) out.by_param[i] = expansion.by_param[i];
  return out;
}

}  // namespace vips_edge
