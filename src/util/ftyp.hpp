// The ISO-BMFF `ftyp` box's brands: how the core sniffs a HEIF file
// (image/formats.cpp) and how the codec tells AVIF from HEIC
// (codec/heif_codec.cpp). Header-only: both modules include it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string_view>

namespace vips_edge {

// True when `file` starts with an ftyp box whose major brand or one of its
// compatible brands is in `brands` (4 characters each).
inline bool has_ftyp_brand(std::span<const std::uint8_t> file, std::initializer_list<std::string_view> brands) {
  if (file.size() < 16 || std::memcmp(file.data() + 4, "ftyp", 4) != 0) return false;
  const std::size_t box = (std::size_t(file[0]) << 24) | (std::size_t(file[1]) << 16) | (std::size_t(file[2]) << 8) | file[3];
  const std::size_t end = std::min(file.size(), std::max<std::size_t>(box, 16));
  auto brand_at = [&](std::size_t at) {
    return std::any_of(brands.begin(), brands.end(),
                       [&](std::string_view b) { return std::memcmp(file.data() + at, b.data(), 4) == 0; });
  };
  if (brand_at(8)) return true;  // major brand; 12..15 is its minor version
  for (std::size_t at = 16; at + 4 <= end; at += 4)
    if (brand_at(at)) return true;
  return false;
}

}  // namespace vips_edge
