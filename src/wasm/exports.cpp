// The C ABI of the wasm module, called by the Node trigger (node/src/engine.ts).
// Thin: every decision is in handler/. Strings cross as UTF-8, results are
// malloc'd and freed by the caller with _free; source bytes are written by JS
// straight into a malloc'd buffer (no copy, no JSON/base64 on the way in).
#include <emscripten.h>
#include <emscripten/threading.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/config.hpp"
#include "handler/handler.hpp"
#include "image/pipeline.hpp"
#include "wasm/transform_threads.hpp"

namespace {

std::unique_ptr<vips_edge::Handler> g_handler;
vips_edge::TransformThreads g_transform_threads;

char *to_c_string(const std::string &s) {
  char *out = static_cast<char *>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

char *error_json(const std::string &message) {
  return to_c_string(nlohmann::json{{"error", message}}.dump());
}

}  // namespace

extern "C" {

// Loads the config and starts libvips. Returns NULL on success, else a JSON
// {"error": "..."} (caller frees).
EMSCRIPTEN_KEEPALIVE char *vips_edge_init(const char *config_json, int concurrency) {
  try {
    vips_edge::Config config = vips_edge::parse_config(config_json);
    vips_edge::init_vips(concurrency);
    g_handler = std::make_unique<vips_edge::Handler>(std::move(config));
    return nullptr;
  } catch (const std::exception &e) {
    return error_json(e.what());
  }
}

EMSCRIPTEN_KEEPALIVE char *vips_edge_plan(const char *event_json) {
  if (!g_handler) return error_json("vips_edge_init was not called");
  try {
    return to_c_string(g_handler->plan(event_json));
  } catch (const std::exception &e) {
    return error_json(e.what());
  }
}

// Not exported: called synchronously from JS it deadlocks (see below).
static char *finish_to_c_string(const char *event_json, const char *outcome_json, const std::uint8_t *source,
                                std::size_t length) {
  if (!g_handler) return error_json("vips_edge_init was not called");
  try {
    return to_c_string(g_handler->finish(event_json, outcome_json, {source, length}));
  } catch (const std::exception &e) {
    return error_json(e.what());
  }
}

// finish() off the JS main thread: the transform runs on a transform thread
// (transform_threads.hpp) and
// the result comes back through Module.onVipsEdgeResult(token, resultPtr) on
// the main thread. The JS main thread stays free meanwhile, which Emscripten
// needs to hand pool workers to new pthreads and to recycle finished ones:
// libvips and libwebp start threads inside a single transform, and a blocked
// main thread deadlocks them. The inputs must stay allocated until then.
EMSCRIPTEN_KEEPALIVE void vips_edge_finish_async(int token, const char *event_json, const char *outcome_json,
                                                 const std::uint8_t *source, std::size_t length) {
  g_transform_threads.post([=] {
    char *result = finish_to_c_string(event_json, outcome_json, source, length);
    MAIN_THREAD_ASYNC_EM_ASM({ Module["onVipsEdgeResult"]($0, $1); }, token, result);
  });
}

// Test and diagnostics: what libvips sees in an encoded image.
EMSCRIPTEN_KEEPALIVE char *vips_edge_probe(const std::uint8_t *bytes, std::size_t length) {
  try {
    vips::VImage image = vips::VImage::new_from_buffer(bytes, length, "");
    const char *loader = image.get_typeof("vips-loader") ? image.get_string("vips-loader") : "";
    return to_c_string(nlohmann::json{
        {"width", image.width()},
        {"height", image.height()},
        {"bands", image.bands()},
        {"interpretation", vips_enum_nick(VIPS_TYPE_INTERPRETATION, image.interpretation())},
        {"loader", loader},
        {"hasIcc", image.get_typeof(VIPS_META_ICC_NAME) != 0},
        {"hasExif", image.get_typeof(VIPS_META_EXIF_NAME) != 0}}.dump());
  } catch (const std::exception &e) {
    return error_json(e.what());
  }
}

// Test-only: a real wasm trap, so the trigger's recovery path can be tested.
EMSCRIPTEN_KEEPALIVE void vips_edge_force_trap() { __builtin_trap(); }

}  // extern "C"
