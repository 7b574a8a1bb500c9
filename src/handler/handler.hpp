// The two entry points the Node trigger calls (natively and in wasm alike);
// the messages are typed in messages.hpp.
//
//   prepare(event) -> passthrough | respond | a Job (prepare.hpp; its first
//                     Fetch may be wm's overlay: handler/watermarks.hpp)
//   finish(job, fetch outcome, source bytes) -> passthrough | respond
//                                               | encode | decode
//                                               | fetch (the fallback image, or the source
//                                                 after wm's overlay: a new job)
//   resume(job, codec outcome, bytes)        -> the same
//
// encode/decode hand AVIF work to the codec module (render.hpp); the render
// waits in the job table under the reply's job handle until resume (or drop).
//
// The wasm ABI (src/wasm/exports.cpp) keeps each planned Job in the same
// table between the two calls (the tests' text forms, which keep nothing:
// tests/support/text_handler.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/config.hpp"
#include "handler/fallback.hpp"
#include "handler/job_table.hpp"
#include "handler/messages.hpp"
#include "handler/prepare.hpp"
#include "handler/render.hpp"
#include "handler/watermarks.hpp"

namespace vips_edge {

class Handler {
 public:
  explicit Handler(Config config) : config_(std::move(config)) {}

  // `now`: unix seconds (the trigger's clock; exp is checked against it).
  // A job's watermark overlay attached when kept, else fetched first (watermarks.hpp).
  Prepared prepare(std::string_view event_json, std::int64_t now) const;
  msg::FinishReply finish(const Job &job, const msg::FetchOutcome &outcome,
                          std::span<const std::uint8_t> source) const;
  // The same with the outcome as JSON text (a malformed one is a 500 answer).
  msg::FinishReply finish(const Job &job, std::string_view outcome_json, std::span<const std::uint8_t> source) const;

  // After an Encode or Decode reply: what the codec module made of it.
  msg::FinishReply resume(std::uint32_t job, const msg::CodecOutcome &outcome,
                          std::span<const std::uint8_t> bytes) const;
  msg::FinishReply resume(std::uint32_t job, std::string_view outcome_json, std::span<const std::uint8_t> bytes) const;
  // A planned job kept until finish: the handle a Fetch carries.
  std::uint32_t keep(Job job) const { return jobs_.keep(std::move(job)); }
  std::optional<Job> take_job(std::uint32_t handle) const { return jobs_.take<Job>(handle); }
  // Forgets a job or render whose finish or resume will not come (the trigger gave up).
  void drop(std::uint32_t handle) const { jobs_.drop(handle); }
  // Jobs and renders kept.
  std::size_t pending_count() const { return jobs_.size(); }

  const Config &config() const { return config_; }

 private:
  // A render step as a reply: the response (or passthrough), or a codec
  // request whose render waits in jobs_.
  msg::FinishReply answer(const Job &job, const ResponseMeta &meta, msg::Log log, RenderStep step) const;
  // The config for one job's render: the responses' max-age cut at its exp.
  Config config_for(const Job &job) const;
  // A job that failed: a Fetch of the fallback image when one answers it
  // (handler/fallback.hpp), else the JSON error (the replaced one for a fallback).
  msg::FinishReply failed(const Job &job, const Failure &failure, msg::Log log) const;

  // A job fetching wm's overlay: keeps it, then the Fetch of the source.
  msg::FinishReply finish_overlay(const Job &job, const msg::FetchOutcome &outcome,
                                  std::span<const std::uint8_t> bytes) const;

  Config config_;
  mutable JobTable jobs_;
  mutable WatermarkStore watermarks_;
};

// The PlanReply for a prepared request; `job` is the handle a Fetch carries.
msg::PlanReply plan_reply(Prepared prepared, std::uint32_t job);

}  // namespace vips_edge
