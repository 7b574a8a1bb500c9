// The C ABI of the codec module (avif_codec.{js,wasm}), called by the trigger
// (node/src/codec.ts) when the core module asks for an AVIF encode or a
// HEIF/AVIF or TIFF decode (decode.hpp picks the decoder by magic bytes). One call at a time on the trigger's thread (no pthreads): the
// result stays in this module until the next call or codec_release.
//
//   codec_encode(pixels, w, h, channels, quality, speed) -> 0, or 1 on failure
//   codec_decode(file, length, max_pixels)               -> 0, or 1 on failure
//   codec_result() / codec_result_length(): the AVIF file, or the decoded
//     pixels followed by the ICC profile (codec_icc_length() bytes)
//   codec_width/height/channels(): the decoded image's
//   codec_failure(), codec_error(): the failure's kind (the core's CodecError
//     name: heif_codec.hpp failure_name) and message
#include <emscripten.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "codec/decode.hpp"

namespace {

using namespace vips_edge::codec;

struct Result {
  std::vector<std::uint8_t> bytes;
  std::size_t icc_length = 0;
  int width = 0, height = 0, channels = 0;
  std::string error;
  const char *failure = "";
};
Result g_result;

int failed(Failure failure, const std::string &message) {
  g_result = Result{};
  g_result.error = message;
  g_result.failure = failure_name(failure);
  return 1;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int codec_encode(const std::uint8_t *pixels, int width, int height, int channels, int quality,
                                      int speed) {
  try {
    EncodeParams params{width, height, channels, quality, speed};
    std::size_t length = std::size_t(width > 0 ? width : 0) * std::size_t(height > 0 ? height : 0) *
                         std::size_t(channels > 0 ? channels : 0);
    g_result = Result{};
    g_result.bytes = encode_avif({pixels, length}, params);
    return 0;
  } catch (const CodecError &e) {
    return failed(e.failure, e.what());
  } catch (const std::exception &e) {
    return failed(Failure::Internal, e.what());
  }
}

EMSCRIPTEN_KEEPALIVE int codec_decode(const std::uint8_t *file, std::size_t length, double max_pixels) {
  try {
    Decoded decoded = decode_image({file, length}, static_cast<std::uint64_t>(max_pixels));
    g_result = Result{};
    g_result.bytes = std::move(decoded.pixels);
    g_result.icc_length = decoded.icc.size();
    g_result.bytes.insert(g_result.bytes.end(), decoded.icc.begin(), decoded.icc.end());
    g_result.width = decoded.width;
    g_result.height = decoded.height;
    g_result.channels = decoded.channels;
    return 0;
  } catch (const CodecError &e) {
    return failed(e.failure, e.what());
  } catch (const std::exception &e) {
    return failed(Failure::Corrupt, e.what());
  }
}

EMSCRIPTEN_KEEPALIVE const std::uint8_t *codec_result() { return g_result.bytes.data(); }
EMSCRIPTEN_KEEPALIVE std::size_t codec_result_length() { return g_result.bytes.size(); }
EMSCRIPTEN_KEEPALIVE std::size_t codec_icc_length() { return g_result.icc_length; }
EMSCRIPTEN_KEEPALIVE int codec_width() { return g_result.width; }
EMSCRIPTEN_KEEPALIVE int codec_height() { return g_result.height; }
EMSCRIPTEN_KEEPALIVE int codec_channels() { return g_result.channels; }
EMSCRIPTEN_KEEPALIVE const char *codec_failure() { return g_result.failure; }
EMSCRIPTEN_KEEPALIVE const char *codec_error() { return g_result.error.c_str(); }
EMSCRIPTEN_KEEPALIVE void codec_release() { g_result = Result{}; }

}  // extern "C"
