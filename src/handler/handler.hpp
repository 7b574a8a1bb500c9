// The two entry points the Node trigger calls (natively and in wasm alike);
// the messages are typed in messages.hpp.
//
//   prepare(event) -> passthrough | respond | a Job (prepare.hpp)
//   finish(job, fetch outcome, source bytes) -> passthrough | respond
//
// The wasm ABI (src/wasm/exports.cpp) keeps each Job between the two calls
// under a handle. The text forms below run the same steps from JSON text in
// one process (native tests, fuzzing): plan() answers a Fetch with job 0, and
// finish(event, ...) prepares the event again.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "api/config.hpp"
#include "handler/messages.hpp"
#include "handler/prepare.hpp"

namespace vips_edge {

class Handler {
 public:
  explicit Handler(Config config) : config_(std::move(config)) {}

  Prepared prepare(std::string_view event_json) const { return vips_edge::prepare(event_json, config_); }
  msg::FinishReply finish(const Job &job, const msg::FetchOutcome &outcome,
                          std::span<const std::uint8_t> source) const;
  // The same with the outcome as JSON text (a malformed one is a 500 answer).
  msg::FinishReply finish(const Job &job, std::string_view outcome_json, std::span<const std::uint8_t> source) const;

  // Text forms: PlanReply / FinishReply JSON.
  std::string plan(std::string_view event_json) const;
  std::string finish(std::string_view event_json, std::string_view outcome_json,
                     std::span<const std::uint8_t> source) const;

  const Config &config() const { return config_; }

 private:
  Config config_;
};

// The PlanReply for a prepared request; `job` is the handle a Fetch carries.
msg::PlanReply plan_reply(Prepared prepared, std::uint32_t job);

}  // namespace vips_edge
