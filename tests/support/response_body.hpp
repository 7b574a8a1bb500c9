// The trigger's one step after the module, for the native tests and the
// fuzzers: an image leaves the module as bytes beside its response
// (handler/messages.hpp Respond) and node/src/engine.ts base64s them into
// response.body. Here the same, so tests read whole responses as CloudFront
// gets them.
#pragma once

#include <cstdint>
#include <span>

#include "handler/messages.hpp"
#include "http/response.hpp"

namespace vips_edge {

// image_head(bytes, ...) with its body, the base64 of `bytes`.
cf::Response image_response(std::span<const std::uint8_t> bytes, ImageFormat format, const TransformSpec &spec,
                            const ResponseMeta &meta, const Config &config);

namespace test {

// `reply` with a Respond's image bytes base64'd into response.body (and no
// bodyBytes): the reply as the trigger hands it on.
msg::FinishReply with_body(msg::FinishReply reply);

}  // namespace test

}  // namespace vips_edge
