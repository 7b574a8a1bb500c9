// The codec module's one decode entry: picks the decoder by magic bytes, so
// the trigger's Decode call (and the message protocol) is the same for every
// format the codec module reads (formats.hpp rows with `codec`).
#pragma once

#include <cstdint>
#include <span>

#include "codec/heif_codec.hpp"
#include "codec/tiff_codec.hpp"

namespace vips_edge::codec {

// A TIFF's first page (tiff_codec.hpp), else a HEIF/AVIF's primary image
// (heif_codec.hpp). Throws CodecError.
inline Decoded decode_image(std::span<const std::uint8_t> file, std::uint64_t max_pixels) {
  return is_tiff(file) ? decode_tiff(file, max_pixels) : decode_heif(file, max_pixels);
}

}  // namespace vips_edge::codec
