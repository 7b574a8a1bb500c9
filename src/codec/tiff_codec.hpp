// TIFF decode over libtiff's C API: the first page (directory 0) of a TIFF
// or BigTIFF file, as 8-bit RGB(A), upright, with its ICC profile. The work
// of the codec module (wasm_exports.cpp, through decode.hpp) and, natively,
// of the tests' and fuzzers' codec driver; knows nothing of requests.
//
// Built twice like heif_codec: to wasm against the codec prefix (libtiff 4.7
// with zlib and libjpeg: none, LZW, PackBits, CCITT, Deflate, JPEG) and
// natively against Debian 12's libtiff.
#pragma once

#include <cstdint>
#include <span>

#include "codec/heif_codec.hpp"  // CodecError, Decoded

namespace vips_edge::codec {

// "II*\0", "MM\0*" (TIFF) or "II+\0", "MM\0+" (BigTIFF).
bool is_tiff(std::span<const std::uint8_t> file);

// The first page of a TIFF file. Its size is checked against `max_pixels`
// before any pixel buffer is allocated; libtiff's messages never reach
// stderr (the first error is the CodecError's message). CMYK and other ink
// sets are refused (Unsupported): libtiff's naive CMYK -> RGB would give
// wrong colours without the core's CMYK profile. Throws CodecError.
Decoded decode_tiff(std::span<const std::uint8_t> file, std::uint64_t max_pixels);

}  // namespace vips_edge::codec
