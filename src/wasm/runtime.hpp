// What the C ABI files share: the handler, the transform threads and the way
// a result gets back to JavaScript.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "handler/handler.hpp"
#include "wasm/transform_threads.hpp"

namespace vips_edge::wasm {

// Set by vips_edge_init; null until then.
std::unique_ptr<Handler> &handler();
TransformThreads &transform_threads();

// A malloc'd copy the caller frees with _free (NULL if malloc failed).
char *to_c_string(const std::string &s);

// What an asynchronous export reports: the reply's JSON (malloc'd, NULL if
// malloc failed) and, for a Respond carrying an image, its bytes in a
// malloc'd block of their own (else NULL, 0). The trigger frees both.
struct Result {
  char *json = nullptr;
  std::uint8_t *body = nullptr;
  std::size_t body_length = 0;
};

// A FinishReply as a Result: a Respond's image bytes leave beside the JSON.
Result result_of(const msg::FinishReply &reply);

// What a transform-thread job returns: hands `result` to
// Module.onVipsEdgeResult(token, json, body, bodyLength) on the thread that
// owns the module.
TransformThreads::Report reporter(int token, Result result);

}  // namespace vips_edge::wasm
