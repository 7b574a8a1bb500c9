// A request through Handler::prepare/finish/resume with the native codec
// driver answering the codec module's Encode/Decode replies, as the trigger
// does: the codec formats' tests (test_avif.cpp, test_tiff.cpp).
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "api/config.hpp"
#include "codec/heif_codec.hpp"
#include "handler/handler.hpp"
#include "support/native_driver.hpp"
#include "support/text_handler.hpp"
#include "util/base64.hpp"
#include "image_helpers.hpp"

namespace vips_edge::test {

inline nlohmann::json answer(const Bytes &source, const std::string &query, const Config &config = {},
                             const std::string &accept = "") {
  std::ifstream in(std::string(VIPS_EDGE_FIXTURES) + "/events/origin-request-custom.json");
  nlohmann::json event = nlohmann::json::parse(in);
  nlohmann::json &request = event["Records"][0]["cf"]["request"];
  request["querystring"] = query;
  if (!accept.empty())
    request["headers"]["accept"] = nlohmann::json::array({{{"key", "Accept"}, {"value", accept}}});
  Handler handler{config};
  Prepared prepared = handler.prepare(event.dump(), kTestNow);
  REQUIRE(std::holds_alternative<Job>(prepared));
  msg::FinishReply reply = finish_all(handler, std::get<Job>(prepared), msg::OriginAnswered{200, {}}, source);
  CHECK(handler.pending_count() == 0);
  return nlohmann::json::parse(msg::to_text(reply));
}

inline Bytes body_of(const nlohmann::json &reply) {
  REQUIRE(reply["action"] == "respond");
  return base64_decode(reply["response"]["body"].get<std::string>());
}

// The codec::CodecError reason `decode(file, max_pixels)` throws (codec::decode_heif,
// codec::decode_tiff); a file that decodes fails the test.
template <class Decode>
codec::Failure decode_failure(Decode decode, const Bytes &file, std::uint64_t max_pixels = 100'000'000) {
  try {
    decode(file, max_pixels);
  } catch (const codec::CodecError &e) {
    return e.failure;
  }
  FAIL("decoded");
  return codec::Failure::Internal;
}

inline std::string content_type(const nlohmann::json &reply) {
  return reply["response"]["headers"]["content-type"][0]["value"];
}

}  // namespace vips_edge::test
