#include "support/text_handler.hpp"

#include "support/response_body.hpp"
#include "util/strict_fields.hpp"

namespace vips_edge::test {

std::string plan_text(const Handler &handler, std::string_view event_json, std::int64_t now) {
  return msg::to_text(plan_reply(handler.prepare(event_json, now), 0));
}

std::string finish_text(const Handler &handler, std::string_view event_json, std::string_view outcome_json,
                        std::span<const std::uint8_t> source, std::int64_t now) {
  Prepared prepared = handler.prepare(event_json, now);
  if (auto *job = std::get_if<Job>(&prepared))
    return msg::to_text(with_body(handler.finish(*job, outcome_json, source)));
  if (auto *p = std::get_if<msg::Passthrough>(&prepared)) return msg::to_text(msg::FinishReply{std::move(*p)});
  return msg::to_text(msg::FinishReply{std::get<msg::Respond>(std::move(prepared))});
}

cf::Response parse_response(std::string_view text) { return strict::parse(text).get<cf::Response>(); }

}  // namespace vips_edge::test
