// The URL parser: query string + request headers + config -> TransformSpec.
// Every row of the URL API table (src/api/params.json) is enforced here, the
// value grammar by the table (param_values.hpp); adding a parameter starts in
// params.json (see params.hpp).
#pragma once

#include <optional>
#include <string_view>

#include "api/config.hpp"
#include "api/params.hpp"
#include "api/transform_spec.hpp"
#include "events/cloudfront.hpp"

namespace vips_edge {

// nullopt: no transform parameter (sig alone does not count), i.e. return
// the request unchanged. Otherwise a validated spec with fit defaulted,
// accepts_webp filled from Accept and target_width/target_height computed.
// Throws ApiError 400 invalid_parameter (with param) for any bad parameter.
// Does NOT check the signature: call verify_signature (signing.hpp) too.
//
// Number formats (one spelling per value, so the cache key does not
// fragment and nothing is guessed):
//   integers (w, h, q): ASCII digits only, no sign, no leading zero, at most
//     9 digits before the range check; "05", "+5", "-5", "1e3", "0x10",
//     "4.0", " 4" are all 400.
//   dpr: digits with an optional '.' and at least one fractional digit
//     ("1", "1.5", "2.625"), no leading zero except "0.x", at most 15 digits;
//     "1.", ".5", "1e0", "NaN", "Infinity" are 400. Range 1..4.
//   enums (fit, pos, format, enlarge, rot, flip) are lower-case only; bg is
//     3 or 6 hex digits of either case, without '#'.
//   rect: 4 integers x,y,w,h (w, h >= 1); fp: 2 decimals x,y 0..1, only with
//     fit=cover and both w and h, never with pos.
// Target box: round(w * dpr) and round(h * dpr). When that exceeds
// maxWidth/maxHeight both sides are scaled by the same factor so the
// requested aspect ratio survives (w=3000&h=1000&dpr=2 with max 4096 gives
// 4096x1365), then clamped to 1..max. w and h themselves above max are 400.
std::optional<TransformSpec> parse_spec(std::string_view querystring, const cf::Headers &headers,
                                        const Config &config);

// The same from parameters already collected (collect_params), so a request's
// query is split and decoded once for the spec, the signature and the log:
//   UrlParams params = collect_params(request.querystring);   // 400s
//   auto spec = parse_spec(params, request.headers, config);    // 400s
//   if (spec) verify_signature(request.uri, params, config);    // 403s
std::optional<TransformSpec> parse_spec(const UrlParams &params, const cf::Headers &headers, const Config &config);

}  // namespace vips_edge
