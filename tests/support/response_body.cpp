#include "support/response_body.hpp"

#include "util/base64.hpp"

namespace vips_edge {

namespace {

void attach(cf::Response &response, std::span<const std::uint8_t> bytes) {
  response.body = base64_encode(bytes);
  response.bodyEncoding = cf::BodyEncoding::Base64;
}

}  // namespace

cf::Response image_response(std::span<const std::uint8_t> bytes, ImageFormat format, const TransformSpec &spec,
                            const ResponseMeta &meta, const Config &config) {
  cf::Response response = image_head(bytes, format, spec, meta, config);
  attach(response, bytes);
  return response;
}

msg::FinishReply test::with_body(msg::FinishReply reply) {
  if (auto *respond = std::get_if<msg::Respond>(&reply); respond && respond->body_bytes) {
    attach(respond->response, respond->body);
    respond->body_bytes.reset();
    respond->body.clear();
  }
  return reply;
}

}  // namespace vips_edge
