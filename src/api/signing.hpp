// URL signing: sig = base64url(HMAC-SHA256(key, string_to_sign)), unpadded.
//
// string_to_sign = uri + "?" + canonical query without sig
//   uri:    the event's request.uri exactly as CloudFront passes it (still
//           percent-encoded as the viewer sent it; not decoded, not
//           normalised).
//   query:  canonical_query(params, false) (canonical.hpp): our parameters
//           only, canonical names and order, normalised values, defaults
//           dropped. The viewer-request CloudFront Function forwards exactly
//           this form, so every spelling of one request ("width=400&fm=jpg",
//           "fm=jpeg&w=%34%30%30&dpr=1") carries one signature, and a URL is
//           signed once whatever the function rewrote.
//   Test vector (tests/native/test_signing.cpp): key "secret",
//   uri "/photos/cat.jpg", query "width=400&format=auto&utm=x&dpr=1.0" ->
//   string "/photos/cat.jpg?w=400&format=auto".
// The key is the raw bytes of a config signing key (signing.key, or any of
// signing.keys: each verifies, for rotation).
//
// Signing a URL: `node deploy/sign.mjs '/photos/cat.jpg?w=400&format=auto' KEY`
// (the same canonical form, from deploy/viewer-request.js).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "api/config.hpp"
#include "api/params.hpp"

namespace vips_edge {

// Raw HMAC-SHA256 via glib's GHmac.
std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view data);

// RFC 4648 §5 alphabet, no padding.
std::string base64url_encode(std::span<const std::uint8_t> bytes);

// Equal length and content, in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// See the header comment for the exact format.
std::string string_to_sign(std::string_view uri, const UrlParams &params);

// The sig value for uri + querystring under `key` (what a signer computes).
// Throws ApiError 400 like collect_params for a malformed query.
std::string compute_signature(std::string_view key, std::string_view uri, std::string_view querystring);

// No-op when signing is not configured or the request has no transform
// parameter (a passthrough cannot be abused to make work). Otherwise:
// sig missing -> ApiError 403 when signing.required; sig present -> it must
// match (even when required is false) or ApiError 403 invalid_signature.
// Throws ApiError 400 for a malformed query (same rules as parse_spec).
void verify_signature(std::string_view uri, std::string_view querystring, const Config &config);
void verify_signature(std::string_view uri, const UrlParams &params, const Config &config);

}  // namespace vips_edge
