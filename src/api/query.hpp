// Query-string splitting and decoding (application/x-www-form-urlencoded,
// like Node's URLSearchParams, which the signing one-liner uses).
//
// Only '&' separates parameters: ';' is part of a value (WHATWG URL rules),
// so "w=1;h=2" is one parameter w with value "1;h=2" (a 400 for w).
// Splitting never decodes, so thousands of unknown parameters cost one pass;
// only our own parameters' values are decoded (decode_param_value).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vips_edge {

// CloudFront refuses URLs over 8,192 characters; anything longer here is not
// from CloudFront. 256 parameters is far beyond any real image URL.
inline constexpr std::size_t kMaxQueryLength = 8192;
inline constexpr std::size_t kMaxQueryParams = 256;

// One "name=value" segment, still encoded. A segment without '=' has an
// empty value ("w" -> {"w", ""}).
struct RawParam {
  std::string_view name;
  std::string_view value;
};

// Splits `querystring` (no leading '?') on '&', skipping empty segments.
// Throws ApiError 400 invalid_parameter (no param) when the string is longer
// than kMaxQueryLength or has more than kMaxQueryParams segments.
std::vector<RawParam> split_query(std::string_view querystring);

// '+' -> ' ', %XX -> byte. nullopt for a malformed escape ("%4", "%zz"), a
// NUL byte (%00) or a result that is not valid UTF-8.
std::optional<std::string> percent_decode(std::string_view raw);

// percent_decode for one of OUR parameters' values: throws ApiError 400
// invalid_parameter naming `param` when it cannot be decoded.
std::string decode_param_value(std::string_view param, std::string_view raw);

}  // namespace vips_edge
