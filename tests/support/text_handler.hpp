// Text forms of the Handler's entry points, for the native tests and the
// fuzzers: the same steps from JSON text in one process. The product (the
// wasm ABI, src/wasm/exports.cpp) keeps each Job under a handle instead.
//   plan_text:   PlanReply JSON (a Fetch carries job 0: nothing is kept)
//   finish_text: prepares the event again, then Handler::finish, the image
//                body base64'd into the response as the trigger does
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "events/cloudfront.hpp"
#include "handler/handler.hpp"

namespace vips_edge::test {

// The clock the tests plan at (2027-01-15T08:00:00Z): an exp is judged against it.
inline constexpr std::int64_t kTestNow = 1'800'000'000;

std::string plan_text(const Handler &handler, std::string_view event_json, std::int64_t now = kTestNow);
std::string finish_text(const Handler &handler, std::string_view event_json, std::string_view outcome_json,
                        std::span<const std::uint8_t> source, std::int64_t now = kTestNow);

// A generated response read back as strictly as an event (FieldError with
// the JSON path; "$: invalid JSON: ..." for malformed text).
cf::Response parse_response(std::string_view text);

}  // namespace vips_edge::test
