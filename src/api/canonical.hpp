// The canonical query: the one spelling of a request, so that every image has
// one cache key and one signature. The viewer-request CloudFront Function
// (deploy/viewer-request.js, canonicalQuery) rewrites every query into this
// form before the cache lookup; this is the same rule in C++, for signatures
// and for setups without the function. tests/cases/canonical.json holds the
// cases both must answer alike.
//
//   only URL API parameters, canonical names (width -> w), table order
//   (src/api/params.json), values percent-decoded then normalised
//   (normalise_value: jpg -> jpeg, 2.50 -> 2.5, F00 -> ff0000), encoded like
//   JavaScript's encodeURIComponent except ',' (rect=0,0,10,10 reads as
//   written); a value equal to its default is dropped (dpr=1, enlarge=0,
//   pos=center, fit=cover with w and h / inside otherwise) unless a
//   conflicting parameter is given (pos=center with fp stays, so that stays a
//   400); when defaults were all there was, "dpr=1" stands for them (still a
//   transform, like the original). sig, when kept, is last.
#pragma once

#include <string>
#include <string_view>

#include "api/params.hpp"

namespace vips_edge {

std::string canonical_query(const UrlParams &params, bool with_sig = true);

// encodeURIComponent's escaping, ',' kept.
std::string encode_query_value(std::string_view value);

}  // namespace vips_edge
