// A JPEG's markers, read without libjpeg: what the decode policy needs to
// know before (or instead of) running the decoder.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>

namespace vips_edge {

// Width x height from the first SOFn marker segment; nullopt when the markers
// before it are malformed or it is absent (libjpeg then reports the problem
// itself). libjpeg refuses dimensions over 65500 while reading the header,
// which would turn "too many pixels" into a 422: reading the SOF first keeps
// every oversized JPEG the documented 413 (tests/native/test_hostile_input.cpp).
std::optional<std::pair<int, int>> jpeg_sof_size(std::span<const std::uint8_t> jpeg);

// The last two bytes are the EOI marker.
bool ends_with_eoi(std::span<const std::uint8_t> jpeg);

}  // namespace vips_edge
