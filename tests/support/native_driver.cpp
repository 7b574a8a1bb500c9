#include "support/native_driver.hpp"

#include <nlohmann/json.hpp>

#include "codec/decode.hpp"
#include "support/response_body.hpp"

namespace vips_edge::test {

using codec::CodecError;
using codec::Decoded;
using codec::decode_image;
using codec::encode_avif;
using codec::failure_name;

namespace {

// The outcome and bytes the trigger would pass to resume for `reply` (an
// Encode or Decode), given the fetched source.
struct CodecAnswer {
  msg::CodecOutcome outcome;
  std::vector<std::uint8_t> bytes;
};

CodecAnswer run_codec(const msg::FinishReply &reply, std::span<const std::uint8_t> source) {
  try {
    if (const auto *encode = std::get_if<msg::Encode>(&reply)) {
      const auto *pixels = reinterpret_cast<const std::uint8_t *>(static_cast<std::uintptr_t>(encode->pixels));
      const std::size_t length =
          std::size_t(encode->width) * std::size_t(encode->height) * std::size_t(encode->channels);
      std::vector<std::uint8_t> avif = encode_avif(
          {pixels, length}, {encode->width, encode->height, encode->channels, encode->quality, encode->speed});
      msg::CodecDone done{avif.size(), {}, {}, {}, {}};
      return {done, std::move(avif)};
    }
    const auto &decode = std::get<msg::Decode>(reply);
    Decoded decoded = decode_image(source, decode.max_pixels);
    msg::CodecDone done{decoded.pixels.size() + decoded.icc.size(), decoded.width, decoded.height, decoded.channels,
                        decoded.icc.size()};
    decoded.pixels.insert(decoded.pixels.end(), decoded.icc.begin(), decoded.icc.end());
    return {done, std::move(decoded.pixels)};
  } catch (const CodecError &e) {
    // Named as the wasm module names it to the trigger (failure_name), read
    // as resume reads the trigger's JSON.
    const nlohmann::json failed = {{"error", failure_name(e.failure)}, {"message", e.what()}};
    return {msg::read_codec_outcome(failed.dump()), {}};
  }
}

}  // namespace

msg::FinishReply finish_all(const Handler &handler, const Job &job, const msg::FetchOutcome &outcome,
                            std::span<const std::uint8_t> source) {
  msg::FinishReply reply = handler.finish(job, outcome, source);
  while (std::holds_alternative<msg::Encode>(reply) || std::holds_alternative<msg::Decode>(reply)) {
    const std::uint32_t handle = std::holds_alternative<msg::Encode>(reply) ? std::get<msg::Encode>(reply).job
                                                                             : std::get<msg::Decode>(reply).job;
    CodecAnswer answer = run_codec(reply, source);
    reply = handler.resume(handle, answer.outcome, answer.bytes);
  }
  return with_body(std::move(reply));
}

}  // namespace vips_edge::test
