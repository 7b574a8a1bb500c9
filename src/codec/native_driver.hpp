// The codec module's part of a request, run in-process: the native builds
// (Catch2 tests, fuzzers) have no trigger to hand AVIF work to, so this
// answers the core's encode/decode requests with heif_codec.hpp directly,
// the way node/src/engine.ts does with the wasm codec module.
#pragma once

#include <span>

#include "handler/handler.hpp"
#include "handler/render.hpp"

namespace vips_edge::codec {

// render() with its codec steps done: always a RenderOutcome.
RenderOutcome render_all(std::span<const std::uint8_t> source, const TransformSpec &spec,
                         const OriginHeaders &origin_headers, const Config &config);

// Handler::finish, then resume until the reply is no codec request.
msg::FinishReply finish_all(const Handler &handler, const Job &job, const msg::FetchOutcome &outcome,
                            std::span<const std::uint8_t> source);

// The outcome and bytes the trigger would pass to resume for `reply`
// (an Encode or Decode), given the fetched source.
struct CodecAnswer {
  msg::CodecOutcome outcome;
  std::vector<std::uint8_t> bytes;
};
CodecAnswer run_codec(const msg::FinishReply &reply, std::span<const std::uint8_t> source);

}  // namespace vips_edge::codec
