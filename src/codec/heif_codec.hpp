// AVIF encode and HEIF/AVIF decode over libheif's C API: the work of the
// codec module (a second wasm module, loaded by the trigger only when a
// request needs AVIF: wasm_exports.cpp) and, natively, of the tests' and
// fuzzers' codec driver. Knows nothing of requests: pixels in, bytes out.
//
// Built twice like the core: to wasm against the codec prefix (libheif 1.19
// with aom and dav1d, third_party/build.sh codec) and natively against
// Debian 12's libheif.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "codec/failure.hpp"

namespace vips_edge::codec {

// Why a decode or encode failed: codec/failure.hpp.
class CodecError : public std::runtime_error {
 public:
  CodecError(Failure failure, const std::string &message) : std::runtime_error(message), failure(failure) {}
  Failure failure;
};

struct EncodeParams {
  int width = 0;
  int height = 0;
  int channels = 3;  // 3: RGB, 4: RGBA (8-bit, interleaved, sRGB)
  int quality = 50;  // 1..100
  int speed = 8;     // aom cpu-used, 0 (slowest) .. 9
};

// Interleaved 8-bit pixels (width * height * channels bytes) -> AVIF file
// (4:2:0, no metadata). Throws CodecError.
std::vector<std::uint8_t> encode_avif(std::span<const std::uint8_t> pixels, const EncodeParams &params);

struct Decoded {
  int width = 0;
  int height = 0;
  int channels = 3;                 // 3 or 4 (the image has alpha)
  std::vector<std::uint8_t> pixels; // interleaved 8-bit, upright (irot/imir applied)
  std::vector<std::uint8_t> icc;    // the embedded ICC profile, if any
};

// The primary image of a HEIF/AVIF file. The header is checked against
// `max_pixels` before anything is decoded, and with libheif >= 1.19 so is
// every item's declared size, and no AV1 frame larger than the image's
// declared size is decoded; an image that decodes larger than it declares
// is Corrupt. Throws CodecError.
Decoded decode_heif(std::span<const std::uint8_t> file, std::uint64_t max_pixels);

}  // namespace vips_edge::codec
