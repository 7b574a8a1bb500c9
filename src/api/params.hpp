// The URL API's parameters (the generated table, api/param_table.hpp) and
// the one place that picks them out of a query string. The spec parser, the
// canonical query and the signature check all read parameters through
// collect_params, so they can never disagree about what was asked for.
//
// To add a parameter: a row in src/api/params.json, then
// `node tools/params/generate.mjs` (C++ table, CloudFront Function, cache
// policy, README table, fuzz dictionary); a field in TransformSpec, its
// reading in parse_spec.cpp, its use in src/image/.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "api/param_table.hpp"

namespace vips_edge {

inline const ParamDef &param_def(Param p) { return kParams[static_cast<std::size_t>(p)]; }

// The canonical URL name: "w", "h", "dpr", "fit", "pos", ... (NUL-terminated).
const char *canonical_name(Param p);

// Our parameter for a decoded URL name (aliases folded: width -> Width), or nullopt.
std::optional<Param> lookup_param(std::string_view name);

// One of our parameters as it appeared: the decoded name as written
// ("width" or "w") and the decoded, non-empty value.
struct GivenParam {
  std::string name;
  std::string value;
};

struct UrlParams {
  std::array<std::optional<GivenParam>, kParamCount> by_param;

  const GivenParam *get(Param p) const {
    const auto &v = by_param[static_cast<std::size_t>(p)];
    return v ? &*v : nullptr;
  }
  // A transform request: any of our parameters other than sig is present.
  bool is_transform() const;
};

// The table's default of an absent parameter, in its canonical spelling: its
// defaultWhen value when every parameter that names is given (fit: cover with
// w and h), else its default ("" when it has none).
std::string_view default_value(const UrlParams &params, Param p);

// Splits and decodes `querystring`, keeping only our parameters. Names are
// percent-decoded too ("%77=400" is w); a name that cannot be decoded cannot
// be one of ours and is ignored like any unknown parameter.
// Throws ApiError 400 invalid_parameter (param = name as written) for a
// repeated parameter (also across aliases: w=1&width=2), an empty value, or
// a value that is not valid percent-encoded UTF-8 without NUL.
UrlParams collect_params(std::string_view querystring);

}  // namespace vips_edge
