// The codec module's part of a request, run in-process: the native builds
// (Catch2 tests, fuzzers) have no trigger to hand AVIF work to, so this
// answers the core's encode/decode requests with heif_codec.hpp directly,
// the way node/src/engine.ts does with the wasm codec module.
#pragma once

#include <span>

#include "handler/handler.hpp"

namespace vips_edge::test {

// Handler::finish, then resume until the reply is no codec request; the
// image body base64'd into the response (response_body.hpp).
msg::FinishReply finish_all(const Handler &handler, const Job &job, const msg::FetchOutcome &outcome,
                            std::span<const std::uint8_t> source);

}  // namespace vips_edge::test
