// The URL API's parameter table (names, aliases) and the one place that picks
// our parameters out of a query string. Both the spec parser and the
// signature check read parameters through collect_params, so they can never
// disagree about what was asked for.
//
// To add a parameter: add it to Param and kParamNames (params.cpp), parse it
// in parse_spec.cpp, add a field to TransformSpec, document it in url-api.md.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace vips_edge {

enum class Param { Width, Height, Dpr, Fit, Gravity, Enlarge, Format, Quality, Background, Sig };
inline constexpr std::size_t kParamCount = 10;

// The short URL name: "w", "h", "dpr", "fit", "pos", "enlarge", "format", "q", "bg", "sig".
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

// Splits and decodes `querystring`, keeping only our parameters. Names are
// percent-decoded too ("%77=400" is w); a name that cannot be decoded cannot
// be one of ours and is ignored like any unknown parameter.
// Throws ApiError 400 invalid_parameter (param = name as written) for a
// repeated parameter (also across aliases: w=1&width=2), an empty value, or
// a value that is not valid percent-encoded UTF-8 without NUL.
UrlParams collect_params(std::string_view querystring);

}  // namespace vips_edge
