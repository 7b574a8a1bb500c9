// Standard base64 (RFC 4648, padded) through glib: the ThumbHash, signatures
// (made URL-safe by signing.cpp) and the tests' response bodies (the
// product's image body is base64'd by the trigger, node/src/engine.ts).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <glib.h>

#include "util/glib_memory.hpp"

namespace vips_edge {

inline std::string base64_encode(std::span<const std::uint8_t> bytes) {
  return GMemory<gchar>(g_base64_encode(bytes.data(), bytes.size())).get();
}

// Invalid characters are skipped (glib's rule): callers decode what they encoded.
inline std::vector<std::uint8_t> base64_decode(const std::string &text) {
  gsize length = 0;
  const GMemory<guchar> bytes(g_base64_decode(text.c_str(), &length));
  return {bytes.get(), bytes.get() + length};
}

}  // namespace vips_edge
