// The two entry points the Node trigger calls (natively and in wasm alike);
// the messages are typed in messages.hpp.
//
//   prepare(event) -> passthrough | respond | a Job (prepare.hpp)
//   finish(job, fetch outcome, source bytes) -> passthrough | respond
//                                               | encode | decode
//   resume(job, codec outcome, bytes)        -> the same
//
// encode/decode hand AVIF work to the codec module (render.hpp); the render
// waits here under the reply's job handle until resume (or drop_pending).
//
// The wasm ABI (src/wasm/exports.cpp) keeps each Job between the two calls
// under a handle (the tests' text forms: tests/support/text_handler.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/config.hpp"
#include "handler/messages.hpp"
#include "handler/prepare.hpp"
#include "handler/render.hpp"

namespace vips_edge {

// Renders waiting for the codec module. Their handles have the top bit set,
// so they never collide with the handles the wasm ABI gives plan()'s jobs.
// finish and resume may run on another thread than drop: locked.
class PendingRenders {
 public:
  struct Pending {
    Job job;
    OriginHeaders origin_headers;
    msg::Log log;
    std::variant<PendingEncode, PendingDecode> stage;
  };
  std::uint32_t keep(Pending pending);
  std::optional<Pending> take(std::uint32_t handle);
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::uint32_t, Pending> pending_;
  std::uint32_t last_ = 0;
};

class Handler {
 public:
  explicit Handler(Config config) : config_(std::move(config)) {}

  Prepared prepare(std::string_view event_json) const { return vips_edge::prepare(event_json, config_); }
  msg::FinishReply finish(const Job &job, const msg::FetchOutcome &outcome,
                          std::span<const std::uint8_t> source) const;
  // The same with the outcome as JSON text (a malformed one is a 500 answer).
  msg::FinishReply finish(const Job &job, std::string_view outcome_json, std::span<const std::uint8_t> source) const;

  // After an Encode or Decode reply: what the codec module made of it.
  msg::FinishReply resume(std::uint32_t job, const msg::CodecOutcome &outcome,
                          std::span<const std::uint8_t> bytes) const;
  msg::FinishReply resume(std::uint32_t job, std::string_view outcome_json, std::span<const std::uint8_t> bytes) const;
  // Forgets a render whose resume will not come (the trigger gave up).
  void drop_pending(std::uint32_t job) const { pending_.take(job); }
  std::size_t pending_count() const { return pending_.size(); }

  const Config &config() const { return config_; }

 private:
  // A render step as a reply: the response (or passthrough), or a codec
  // request whose render waits in pending_.
  msg::FinishReply answer(const Job &job, const OriginHeaders &origin_headers, msg::Log log, RenderStep step) const;

  Config config_;
  mutable PendingRenders pending_;
};

// The PlanReply for a prepared request; `job` is the handle a Fetch carries.
msg::PlanReply plan_reply(Prepared prepared, std::uint32_t job);

}  // namespace vips_edge
