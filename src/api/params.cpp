// Name lookup over the generated table, and collection (see params.hpp).
#include "api/params.hpp"

#include <utility>

#include "api/api_error.hpp"
#include "api/query.hpp"

namespace vips_edge {

const char *canonical_name(Param p) { return param_def(p).name.data(); }  // literals: NUL-terminated

std::optional<Param> lookup_param(std::string_view name) {
  for (std::size_t i = 0; i < kParamCount; ++i) {
    if (kParams[i].name == name) return static_cast<Param>(i);
    for (std::string_view alias : kParams[i].aliases)
      if (alias == name) return static_cast<Param>(i);
  }
  return std::nullopt;
}

bool UrlParams::is_transform() const {
  for (std::size_t i = 0; i < kParamCount; ++i)
    if (by_param[i] && static_cast<Param>(i) != Param::Sig) return true;
  return false;
}

std::string_view default_value(const UrlParams &params, Param p) {
  const ParamDef &def = param_def(p);
  if (!def.default_when_present.empty()) {
    bool all = true;
    for (std::string_view name : def.default_when_present) all = all && params.get(*lookup_param(name));
    if (all) return def.default_when_value;
  }
  return def.default_value;
}

UrlParams collect_params(std::string_view querystring) {
  UrlParams out;
  for (const RawParam &raw : split_query(querystring)) {
    auto name = percent_decode(raw.name);
    if (!name) continue;
    auto param = lookup_param(*name);
    if (!param) continue;  // unknown parameters are ignored (and not decoded)
    auto &slot = out.by_param[static_cast<std::size_t>(*param)];
    if (slot) {
      std::string also = slot->name == *name ? "" : " (also given as " + slot->name + ")";
      throw ApiError::invalid_parameter(*name, *name + ": given more than once" + also);
    }
    if (raw.value.empty())
      throw ApiError::invalid_parameter(*name, *name + ": empty value");
    std::string value = decode_param_value(*name, raw.value);
    slot = GivenParam{*name, std::move(value)};
  }
  return out;
}

}  // namespace vips_edge
