// Parameter table and collection (see params.hpp).
#include "api/params.hpp"

#include <utility>

#include "api/api_error.hpp"
#include "api/query.hpp"

namespace vips_edge {

namespace {
struct NameEntry {
  std::string_view name;
  Param param;
};
// Every accepted spelling; the first entry per Param is its canonical name.
constexpr NameEntry kNames[] = {
    {"w", Param::Width},          {"width", Param::Width},     {"h", Param::Height},
    {"height", Param::Height},    {"dpr", Param::Dpr},         {"fit", Param::Fit},
    {"pos", Param::Gravity},      {"gravity", Param::Gravity}, {"enlarge", Param::Enlarge},
    {"format", Param::Format},    {"fm", Param::Format},       {"q", Param::Quality},
    {"quality", Param::Quality},  {"bg", Param::Background},   {"sig", Param::Sig},
};
}  // namespace

const char *canonical_name(Param p) {
  for (const auto &e : kNames)
    if (e.param == p) return e.name.data();  // literals: NUL-terminated
  return "?";
}

std::optional<Param> lookup_param(std::string_view name) {
  for (const auto &e : kNames)
    if (e.name == name) return e.param;
  return std::nullopt;
}

bool UrlParams::is_transform() const {
  for (std::size_t i = 0; i < kParamCount; ++i)
    if (by_param[i] && static_cast<Param>(i) != Param::Sig) return true;
  return false;
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
