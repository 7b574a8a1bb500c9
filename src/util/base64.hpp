// Standard base64 (RFC 4648, padded) through glib: the response body, the
// ThumbHash, signatures (made URL-safe by signing.cpp) and the tests' decoding.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <glib.h>

namespace vips_edge {

inline std::string base64_encode(std::span<const std::uint8_t> bytes) {
  gchar *text = g_base64_encode(bytes.data(), bytes.size());
  std::string out(text);
  g_free(text);
  return out;
}

// Invalid characters are skipped (glib's rule): callers decode what they encoded.
inline std::vector<std::uint8_t> base64_decode(const std::string &text) {
  gsize length = 0;
  guchar *bytes = g_base64_decode(text.c_str(), &length);
  std::vector<std::uint8_t> out(bytes, bytes + length);
  g_free(bytes);
  return out;
}

}  // namespace vips_edge
