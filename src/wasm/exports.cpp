// The C ABI of the wasm module, called by the Node trigger (node/src/engine.ts).
// Thin: every decision is in handler/. Strings cross as UTF-8, results are
// malloc'd and freed by the caller with _free; source bytes are written by JS
// straight into a malloc'd buffer (no copy, no JSON/base64 on the way in), and
// a response's image bytes leave the same way (no base64 inside the JSON: the
// trigger base64s them natively). Replies are the JSON of handler/messages.hpp.
#include <emscripten.h>
#include <emscripten/threading.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <span>

#include "api/config.hpp"
#include "handler/messages.hpp"
#include "image/pipeline.hpp"
#include "wasm/runtime.hpp"

namespace vips_edge::wasm {

std::unique_ptr<Handler> &handler() {
  static std::unique_ptr<Handler> h;
  return h;
}

TransformThreads &transform_threads() {
  static TransformThreads threads;
  return threads;
}

char *to_c_string(const std::string &s) {
  char *out = static_cast<char *>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

Result result_of(const msg::FinishReply &reply) {
  const auto *respond = std::get_if<msg::Respond>(&reply);
  if (!respond || !respond->body_bytes) return {to_c_string(msg::to_text(reply))};
  // One copy out of the render's vector; the trigger base64s it in place.
  auto *body = static_cast<std::uint8_t *>(std::malloc(std::max<std::size_t>(respond->body.size(), 1)));
  if (!body) return {};  // NULL: the trigger's out-of-memory failure
  std::memcpy(body, respond->body.data(), respond->body.size());
  char *json = to_c_string(msg::to_text(reply));
  if (!json) {
    std::free(body);
    return {};
  }
  return {json, body, respond->body.size()};
}

TransformThreads::Report reporter(int token, Result result) {
  return [=] {
    MAIN_THREAD_ASYNC_EM_ASM({ Module["onVipsEdgeResult"]($0, $1, $2, $3); }, token, result.json, result.body,
                             result.body_length);
  };
}

}  // namespace vips_edge::wasm

namespace {

using namespace vips_edge;

char *failed(const std::string &message) { return wasm::to_c_string(msg::to_text(msg::Failed{message})); }

// A reply from the transform thread; an exception is a FailedReply.
template <class MakeReply>
wasm::Result report(MakeReply make_reply) {
  try {
    return wasm::result_of(make_reply());
  } catch (const std::exception &e) {
    return {failed(e.what())};
  }
}

}  // namespace

extern "C" {

// Loads the config and starts libvips, then the transform thread (it runs as
// soon as its pool Worker has loaded: nothing here waits for it). libvips
// starts no thread during init, so this is safe on the thread that owns the
// module, and it overlaps the Worker's start. Returns NULL on success, else a
// FailedReply (caller frees).
EMSCRIPTEN_KEEPALIVE char *vips_edge_init(const char *config_json, int concurrency) {
  try {
    Config config = parse_config(config_json);
    init_vips(concurrency);
    wasm::handler() = std::make_unique<Handler>(std::move(config));
    wasm::transform_threads().start();
    return nullptr;
  } catch (const std::exception &e) {
    return failed(e.what());
  }
}

// PlanReply. A FetchReply's job stays in the handler's job table until finish or drop.
// now_seconds: unix time from the trigger's clock (exp is judged by it; the
// module reads no clock, so its answers follow from its inputs).
EMSCRIPTEN_KEEPALIVE char *vips_edge_plan(const char *event_json, double now_seconds) {
  if (!wasm::handler()) return failed("vips_edge_init was not called");
  if (!(now_seconds >= 0 && now_seconds < 1e15)) return failed("vips_edge_plan: now must be unix seconds");
  try {
    Prepared prepared = wasm::handler()->prepare(event_json, static_cast<std::int64_t>(now_seconds));
    std::uint32_t job = 0;
    if (auto *j = std::get_if<Job>(&prepared)) job = wasm::handler()->keep(*j);
    return wasm::to_c_string(msg::to_text(plan_reply(std::move(prepared), job)));
  } catch (const std::exception &e) {
    return failed(e.what());
  }
}

// The heap's high-water mark (bytes): malloc never gives memory back to the
// wasm memory, whose touched pages stay resident for the instance's life; the
// trigger replaces an instance a huge image left large (engine.ts).
EMSCRIPTEN_KEEPALIVE std::size_t vips_edge_heap_top() { return reinterpret_cast<std::size_t>(sbrk(0)); }

// Forgets a job whose finish or resume will not come (the trigger gave up
// on it): a planned job, or a render waiting for the codec module.
EMSCRIPTEN_KEEPALIVE void vips_edge_drop_job(std::uint32_t job) {
  if (wasm::handler()) wasm::handler()->drop(job);
}

// finish(job) off the thread that owns the module: the transform runs on a
// transform thread (transform_threads.hpp) and the FinishReply comes back
// through Module.onVipsEdgeResult(token, resultPtr, bodyPtr, bodyLength)
// (runtime.hpp Result). The owning thread stays
// free meanwhile, which Emscripten needs to hand pool workers to the threads
// libvips and libwebp start inside a transform, and which lets the trigger's
// watchdog end a transform that never returns. The outcome and source must
// stay allocated until the result is reported.
EMSCRIPTEN_KEEPALIVE void vips_edge_finish_async(int token, std::uint32_t job_handle, const char *outcome_json,
                                                 const std::uint8_t *source, std::size_t length) {
  std::optional<Job> job = wasm::handler() ? wasm::handler()->take_job(job_handle) : std::nullopt;
  wasm::transform_threads().post([=, job = std::move(job)] {
    if (!wasm::handler() || !job)
      return wasm::reporter(token, {failed("no job " + std::to_string(job_handle) + " in this instance")});
    return wasm::reporter(token, report([&] { return wasm::handler()->finish(*job, outcome_json, {source, length}); }));
  });
}

// resume(job) after an Encode or Decode reply, like finish_async: on the
// transform thread, the FinishReply through Module.onVipsEdgeResult. The
// outcome and bytes (the AVIF file, or the decoded pixels + ICC profile) must
// stay allocated until the result is reported.
EMSCRIPTEN_KEEPALIVE void vips_edge_resume_async(int token, std::uint32_t job, const char *outcome_json,
                                                 const std::uint8_t *bytes, std::size_t length) {
  wasm::transform_threads().post([=] {
    if (!wasm::handler()) return wasm::reporter(token, {failed("vips_edge_init was not called")});
    return wasm::reporter(token, report([&] { return wasm::handler()->resume(job, outcome_json, {bytes, length}); }));
  });
}

}  // extern "C"
