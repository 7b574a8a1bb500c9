// HMAC signing of transform URLs (format documented in signing.hpp).
#include "api/signing.hpp"

#include <algorithm>

#include <glib.h>

#include "api/api_error.hpp"
#include "api/canonical.hpp"
#include "util/base64.hpp"

namespace vips_edge {

std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view data) {
  // An empty string_view may have a null data(); GHmac wants a pointer.
  static const guchar kEmpty = 0;
  auto ptr = [](std::string_view s) { return s.empty() ? &kEmpty : reinterpret_cast<const guchar *>(s.data()); };
  GHmac *hmac = g_hmac_new(G_CHECKSUM_SHA256, ptr(key), key.size());
  g_hmac_update(hmac, ptr(data), static_cast<gssize>(data.size()));
  std::array<std::uint8_t, 32> digest{};
  gsize len = digest.size();
  g_hmac_get_digest(hmac, digest.data(), &len);
  g_hmac_unref(hmac);
  return digest;
}

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  std::string out = base64_encode(bytes);
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // The length of a signature is public (always 43), so returning early on
  // a length mismatch leaks nothing about the key.
  if (a.size() != b.size()) return false;
  volatile unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff = diff | static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string string_to_sign(std::string_view uri, const UrlParams &params) {
  return std::string(uri) + "?" + canonical_query(params, false);
}

std::string compute_signature(std::string_view key, std::string_view uri, std::string_view querystring) {
  auto digest = hmac_sha256(key, string_to_sign(uri, collect_params(querystring)));
  return base64url_encode(digest);
}

void verify_signature(std::string_view uri, std::string_view querystring, const Config &config) {
  if (!config.signing) return;
  verify_signature(uri, collect_params(querystring), config);
}

void verify_signature(std::string_view uri, const UrlParams &params, const Config &config) {
  if (!config.signing || !params.is_transform()) return;
  const GivenParam *sig = params.get(Param::Sig);
  if (!sig) {
    if (config.signing->required) throw ApiError::invalid_signature("sig: missing; this URL must be signed");
    return;
  }
  // Any configured key verifies (rotation). Every key is tried, so the time
  // says nothing about which one matched.
  const std::string message = string_to_sign(uri, params);
  bool matched = false;
  for (const SigningKey &key : config.signing->keys)
    matched = constant_time_equal(base64url_encode(hmac_sha256(key.secret, message)), sig->value) || matched;
  if (!matched) throw ApiError::invalid_signature("sig: does not match");
}

}  // namespace vips_edge
