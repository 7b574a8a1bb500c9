// The value grammar of each ValueKind (param_def.hpp), driven by the table
// row: strict readers for parse_spec (one spelling per value, ranges from the
// table or the config) and the spelling normaliser of the canonical query.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/config.hpp"
#include "api/params.hpp"
#include "api/transform_spec.hpp"

namespace vips_edge {

// Each reader checks `given.value` against row `p` and throws ApiError 400
// invalid_parameter naming the parameter as written ("width=0: expected an
// integer 1..4096") when it does not fit. The *s forms read the row's
// `fields` comma-separated numbers (rect, fp).
int read_int(const GivenParam &given, Param p, const Config &config);
std::int64_t read_int64(const GivenParam &given, Param p, const Config &config);  // exp's unix seconds
std::vector<int> read_ints(const GivenParam &given, Param p);
double read_decimal(const GivenParam &given, Param p);
std::vector<double> read_decimals(const GivenParam &given, Param p);
// The canonical value (a value alias resolved: jpg -> jpeg).
std::string_view read_enum(const GivenParam &given, Param p);
Rgb read_colour(const GivenParam &given);

// The one spelling of `value` in the canonical query, when it is of row p's
// grammar: a value alias resolved, a colour lower-case with 6 digits, a
// decimal without trailing fractional zeros ("2.50" -> "2.5", "1.0" -> "1").
// Anything else is returned unchanged (an invalid value stays invalid).
// deploy/viewer-request.js normalise() is the same rule.
std::string normalise_value(Param p, std::string_view value);

// Shortest decimal that the decimal reader reads back as the same double (1,
// 1.5, 0.3, 2.625), with integer arithmetic: locale-independent, and the wasm
// toolchain's libc++ has no floating-point std::to_chars.
std::string format_decimal(double value);

// Throws ApiError 400 for `given`: "<name>=<value>: <what>".
[[noreturn]] void invalid_value(const GivenParam &given, const std::string &what);

}  // namespace vips_edge
