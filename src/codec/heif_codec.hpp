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

namespace vips_edge::codec {

// Why a decode or encode failed; the core maps each to an HTTP status.
enum class Failure {
  Corrupt,      // not a readable HEIF file, or its image data does not decode (422)
  Unsupported,  // a HEIF the module has no decoder for, e.g. HEVC (HEIC) (415)
  TooLarge,     // more pixels than the caller allowed, from the header (413)
  Internal,     // the encoder failed (500)
};

// The failure as the core's CodecOutcome names it ("corrupt", "unsupported",
// "too_large", "internal": src/handler/message_tables.hpp), so the trigger passes
// the module's answer on without a table of its own.
inline const char *failure_name(Failure failure) {
  switch (failure) {
    case Failure::Corrupt: return "corrupt";
    case Failure::Unsupported: return "unsupported";
    case Failure::TooLarge: return "too_large";
    case Failure::Internal: break;
  }
  return "internal";
}

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
// `max_pixels` before anything is decoded. Throws CodecError.
Decoded decode_heif(std::span<const std::uint8_t> file, std::uint64_t max_pixels);

}  // namespace vips_edge::codec
