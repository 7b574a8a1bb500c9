#include "image/jpeg_markers.hpp"

namespace vips_edge {

std::optional<std::pair<int, int>> jpeg_sof_size(std::span<const std::uint8_t> s) {
  std::size_t p = 2;  // after SOI
  while (p + 4 <= s.size()) {
    if (s[p] != 0xFF) return std::nullopt;
    const std::uint8_t marker = s[p + 1];
    if (marker == 0xFF) { ++p; continue; }  // fill byte
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { p += 2; continue; }  // no length
    if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // EOI / SOS before any SOF
    const std::size_t length = std::size_t(s[p + 2]) << 8 | s[p + 3];
    if (length < 2) return std::nullopt;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (length < 7 || p + 9 > s.size()) return std::nullopt;
      return std::pair<int, int>{int(s[p + 7]) << 8 | s[p + 8], int(s[p + 5]) << 8 | s[p + 6]};
    }
    p += 2 + length;
  }
  return std::nullopt;
}

bool ends_with_eoi(std::span<const std::uint8_t> s) {
  return s.size() >= 2 && s[s.size() - 2] == 0xFF && s[s.size() - 1] == 0xD9;
}

}  // namespace vips_edge
