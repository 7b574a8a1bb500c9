#include "codec/native_driver.hpp"

#include "codec/heif_codec.hpp"

namespace vips_edge::codec {

namespace {

msg::CodecError message_error(Failure failure) {
  switch (failure) {
    case Failure::Corrupt: return msg::CodecError::Corrupt;
    case Failure::Unsupported: return msg::CodecError::Unsupported;
    case Failure::TooLarge: return msg::CodecError::TooLarge;
    case Failure::Internal: break;
  }
  return msg::CodecError::Internal;
}

}  // namespace

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
    Decoded decoded = decode_heif(source, decode.max_pixels);
    msg::CodecDone done{decoded.pixels.size() + decoded.icc.size(), decoded.width, decoded.height, decoded.channels,
                        decoded.icc.size()};
    decoded.pixels.insert(decoded.pixels.end(), decoded.icc.begin(), decoded.icc.end());
    return {done, std::move(decoded.pixels)};
  } catch (const CodecError &e) {
    return {msg::CodecFailed{message_error(e.failure), e.what()}, {}};
  }
}

RenderOutcome render_all(std::span<const std::uint8_t> source, const TransformSpec &spec,
                         const OriginHeaders &origin_headers, const Config &config) {
  RenderStep step = render(source, spec, origin_headers, config);
  for (;;) {
    if (auto *done = std::get_if<RenderOutcome>(&step)) return std::move(*done);
    if (auto *encode = std::get_if<PendingEncode>(&step)) {
      const Pixels &p = encode->pixels;
      std::vector<std::uint8_t> avif = encode_avif(p.data, {p.width, p.height, p.channels, encode->quality, encode->speed});
      step = render_encoded(std::move(*encode), std::move(avif), spec, origin_headers, config);
    } else {
      Decoded decoded = decode_heif(source, std::get<PendingDecode>(step).max_pixels);
      step = render_decoded({decoded.width, decoded.height, decoded.channels, decoded.pixels, decoded.icc, source.size()},
                            spec, origin_headers, config);
    }
  }
}

msg::FinishReply finish_all(const Handler &handler, const Job &job, const msg::FetchOutcome &outcome,
                            std::span<const std::uint8_t> source) {
  msg::FinishReply reply = handler.finish(job, outcome, source);
  while (std::holds_alternative<msg::Encode>(reply) || std::holds_alternative<msg::Decode>(reply)) {
    const std::uint32_t handle = std::holds_alternative<msg::Encode>(reply) ? std::get<msg::Encode>(reply).job
                                                                             : std::get<msg::Decode>(reply).job;
    CodecAnswer answer = run_codec(reply, source);
    reply = handler.resume(handle, answer.outcome, answer.bytes);
  }
  return reply;
}

}  // namespace vips_edge::codec
