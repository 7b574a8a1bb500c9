// URL signing: sig = base64url(HMAC-SHA256(key, string_to_sign)), unpadded.
//
// string_to_sign = uri + "?" + p1=v1&p2=v2...
//   uri:    the event's request.uri exactly as CloudFront passes it (still
//           percent-encoded as the viewer sent it; not decoded, not
//           normalised).
//   params: every one of OUR parameters present in the URL except sig
//           (unknown parameters are ignored, as they are ignored for the
//           transform and kept out of the cache key), written with the
//           name AS GIVEN (width stays width, w stays w) and the
//           percent-DECODED value, sorted by name (bytewise), joined with
//           '=' and '&', no re-encoding. Decoded values make every spelling
//           of the same request ("w=%34%30%30" and "w=400") carry one
//           signature, and match what URLSearchParams yields in Node.
//   Test vector (tests/native/test_signing.cpp): key "secret",
//   uri "/photos/cat.jpg", query "w=400&format=auto&utm=x" ->
//   string "/photos/cat.jpg?format=auto&w=400".
// The key is the raw bytes of config signing.key.
//
// Node one-liner (URL = path?query, KEY = the configured key):
//   node -e 'const [u,k]=process.argv.slice(1),c=require("crypto"),U=new URL(u,"http://x"),
//     n=["w","width","h","height","dpr","fit","pos","gravity","enlarge","format","fm","q","quality","bg"],
//     s=U.pathname+"?"+[...U.searchParams].filter(([a])=>n.includes(a)).sort(([a],[b])=>a<b?-1:a>b?1:0)
//     .map(([a,v])=>a+"="+v).join("&");console.log(c.createHmac("sha256",k).update(s).digest("base64url"))' URL KEY
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

}  // namespace vips_edge
