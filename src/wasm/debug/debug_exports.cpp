// Exports of the test twin (vips_edge_debug) only, never of the product
// module (CMakeLists.txt links this folder into the twin alone): faults on
// demand, so tests can prove the trigger recovers from each, and diagnostics.
#include <emscripten.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "image/pipeline.hpp"
#include "wasm/debug/message_types.hpp"
#include "wasm/runtime.hpp"

namespace {

// What a broken transform looks like from the outside.
enum Fault { Trap = 0, Hang = 1, Abort = 2, OutOfMemory = 3 };

[[noreturn]] void hang_forever() {
  // A deadlock: waits for a notification that never comes.
  static std::mutex mutex;
  static std::condition_variable never;
  std::unique_lock<std::mutex> lock(mutex);
  for (;;) never.wait(lock);
}

// Allocates (and touches) until malloc fails, then does what glib's g_malloc
// does on failure: abort.
[[noreturn]] void exhaust_memory() {
  std::vector<void *> blocks;
  for (;;) {
    void *p = std::malloc(16 << 20);
    if (!p) std::abort();
    static_cast<char *>(p)[0] = 1;
    blocks.push_back(p);
  }
}

}  // namespace

extern "C" {

// A wasm trap on the calling thread (the module's owner).
EMSCRIPTEN_KEEPALIVE void vips_edge_debug_trap() { __builtin_trap(); }

// A fault on a transform thread, where a real one would happen: the result
// callback for `token` never comes.
EMSCRIPTEN_KEEPALIVE void vips_edge_debug_fault_async(int token, int fault) {
  vips_edge::wasm::transform_threads().post([=]() -> vips_edge::TransformThreads::Report {
    switch (fault) {
      case Trap: __builtin_trap();
      case Hang: hang_forever();
      case Abort: std::abort();
      case OutOfMemory: exhaust_memory();
    }
    return vips_edge::wasm::reporter(token, {vips_edge::wasm::to_c_string("unknown fault")});
  });
}

// node/src/engine-messages.ts, as generated from handler/message_tables.hpp.
EMSCRIPTEN_KEEPALIVE char *vips_edge_debug_message_types() {
  return vips_edge::wasm::to_c_string(vips_edge::msg::typescript_declarations());
}

// What libvips sees in an encoded image (tests of the output).
EMSCRIPTEN_KEEPALIVE char *vips_edge_debug_probe(const std::uint8_t *bytes, std::size_t length) {
  try {
    vips::VImage image = vips::VImage::new_from_buffer(bytes, length, "");
    const char *loader = image.get_typeof("vips-loader") ? image.get_string("vips-loader") : "";
    return vips_edge::wasm::to_c_string(nlohmann::json{
        {"width", image.width()},
        {"height", image.height()},
        {"bands", image.bands()},
        {"interpretation", vips_enum_nick(VIPS_TYPE_INTERPRETATION, image.interpretation())},
        {"loader", loader},
        {"hasIcc", image.get_typeof(VIPS_META_ICC_NAME) != 0},
        {"hasExif", image.get_typeof(VIPS_META_EXIF_NAME) != 0}}.dump());
  } catch (const std::exception &e) {
    return vips_edge::wasm::to_c_string(nlohmann::json{{"error", e.what()}}.dump());
  }
}

}  // extern "C"
